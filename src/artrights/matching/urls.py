from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.check, name="check"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/image", views.report_image, name="report_image"),
    path("reports/<int:pk>/evidence.json", views.evidence_json, name="evidence_json"),
    path("url-checks/<int:pk>/", views.url_check, name="url_check"),
    path("url-checks/<int:pk>/panel", views.url_check_panel, name="url_check_panel"),
    path("watch/", views.watch, name="watch"),
]
