from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("from-report/<int:pk>/", views.from_report, name="from_report"),
    path("<str:number>/", views.record, name="record"),
    path("<str:number>/panel", views.panel, name="panel"),
    path("<str:number>/files/<int:position>", views.artifact, name="artifact"),
    path("<str:number>/package.wacz", views.package, name="package"),
    path("<str:number>/report.pdf", views.report, name="report"),
    path("<str:number>/custody.json", views.custody_json, name="custody"),
    path("<str:number>/verify/", views.verify, name="verify"),
]
