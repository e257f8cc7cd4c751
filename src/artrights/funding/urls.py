from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<str:code>/apply/", views.apply, name="apply"),
    path("applications/<str:number>/", views.application, name="application"),
    path("applications/<str:number>/<str:action>/", views.act, name="act"),
    path("admin/programmes/", views.programmes, name="programmes"),
    path("admin/programmes/<str:code>/", views.programme, name="programme"),
    path("admin/queue/", views.queue, name="queue"),
    path("admin/budget/", views.budget, name="budget"),
]
