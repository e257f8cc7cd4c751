from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.my_works, name="my_works"),
    path("apply/", views.apply, name="apply"),
    path("digital/", views.file_digital, name="file_digital"),
    path("software/", views.apply_software, name="apply_software"),
    path("review/", views.review_queue, name="review_queue"),
    path("works/<int:pk>/", views.detail, name="detail"),
    path("works/<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("works/<int:pk>/correct/", views.correct, name="correct"),
    path("works/<int:pk>/certificate/", views.certificate_panel, name="certificate_panel"),
    path("works/<int:pk>/files/<int:file_id>", views.work_file, name="work_file"),
    path("works/<int:pk>/certificate.<slug:kind>", views.certificate_file, name="certificate"),
    path("works/<int:pk>/documents/<int:document_id>.pdf", views.document_file, name="document"),
    path("works/<int:pk>/owner-openings.json", views.owner_openings, name="owner_openings"),
    path("works/<int:pk>/contracts/", views.file_contract, name="file_contract"),
    path("works/<int:pk>/pledges/", views.register_pledge, name="register_pledge"),
    path("works/<int:pk>/reissue/", views.reissue, name="reissue"),
    path("works/<int:pk>/change/", views.change, name="change"),
    path("clients/", views.clients, name="clients"),
    path("pledges/", views.pledges, name="pledges"),
    path("pledges/<int:pledge_id>/consents/", views.consent, name="consent"),
    path("search/", views.public_search, name="public_search"),
    path("record/<str:number>/", views.public_record, name="public_record"),
    path("record/<str:number>/thumbnail.jpg", views.public_thumbnail, name="public_thumbnail"),
]
