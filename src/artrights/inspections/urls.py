from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.public, name="public"),
    path("draws/<int:pk>/", views.public_draw, name="draw"),
    path("draws/<int:pk>/record.json", views.record_json, name="record"),
    path("desk/", views.desk, name="desk"),
    path("targets/", views.targets, name="targets"),
    path("inspectors/", views.inspectors, name="inspectors"),
    path("plans/new/", views.new_plan, name="new_plan"),
    path("plans/<str:number>/", views.plan, name="plan"),
    path("plans/<str:number>/commit/", views.commit, name="commit"),
    path("plans/<str:number>/draw/", views.execute, name="execute"),
    path("results/<int:pk>/review/", views.review, name="review"),
    path("mine/", views.mine, name="mine"),
    path("mine/conflicts/", views.declare, name="declare"),
    path("tasks/<int:pk>/<str:action>/", views.task_action, name="task_action"),  # recuse, result
]
