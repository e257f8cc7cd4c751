from django.urls import path

from . import views

app_name = "onestop"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/", views.mine, name="mine"),
    path("requests/new/", views.new, name="new"),
    path("requests/<int:pk>/", views.detail, name="request"),
    path("requests/<int:pk>/refer/", views.refer, name="refer"),
    path("requests/<int:pk>/draft/", views.draft, name="draft"),
    path("requests/<int:pk>/<str:action>/", views.act, name="act"),
    path("desk/", views.desk, name="desk"),
    path("training/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("training/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("signups/<int:pk>/cancel/", views.cancel, name="cancel"),
]
