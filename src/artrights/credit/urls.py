from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("", views.query, name="query"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("desk/", views.desk, name="desk"),
    path("partner/", views.partner, name="partner"),
    path("mine/", views.mine, name="mine"),
    path("feed/<str:kind>.<str:fmt>", views.feed, name="feed"),
    path("subjects/", views.subjects, name="subjects"),
    path("subjects/<int:pk>/", views.subject, name="subject"),
    path("subjects/<int:pk>/records/new/", views.new_record, name="new_record"),
    path("subjects/<int:pk>/lists/new/", views.propose, name="propose"),
    path("subjects/<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("records/<str:number>/", views.record, name="record"),
    path("records/<str:number>/object/", views.object_to, name="object"),
    path("records/<str:number>/repair/", views.ask_repair, {"kind": "records"}, name="repair_record"),
    path("records/<str:number>/<str:action>/", views.record_action, name="record_action"),  # publish, withdraw
    path("lists/<str:number>/", views.entry, name="entry"),
    path("lists/<str:number>/repair/", views.ask_repair, {"kind": "lists"}, name="repair_entry"),
    path(
        "lists/<str:number>/<str:action>/", views.entry_action, name="entry_action"
    ),  # decide, extend, remove, measures
    path("objections/<str:number>/", views.objection, name="objection"),
    path("objections/<str:number>/extend/", views.extend_case, {"kind": "objections"}, name="extend_objection"),
    path("repairs/<str:number>/", views.repair, name="repair"),
    path("repairs/<str:number>/extend/", views.extend_case, {"kind": "repairs"}, name="extend_repair"),
]
