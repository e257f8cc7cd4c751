from django.urls import path

from . import views

app_name = "timestamps"
urlpatterns = [
    path("", views.tsa, name="tsa"),
    path("root.pem", views.root_pem, name="root_pem"),
    path("tsa.pem", views.tsa_pem, name="tsa_pem"),
]
