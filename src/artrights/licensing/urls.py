from django.urls import path

from . import views

app_name = "licensing"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("offers/<int:pk>/", views.offer, name="offer"),
    path("offers/<int:pk>/withdraw/", views.withdraw_offer, name="withdraw_offer"),
    path("contracts/<str:number>/", views.contract, name="contract"),
    path("contracts/<str:number>/terms.json", views.contract_terms, name="contract_terms"),
    path("contracts/<str:number>/do/<slug:action>/", views.contract_act, name="contract_act"),
    path("works/<str:number>/", views.work_title, name="work"),
    path("works/<str:number>/proof/<int:index>.json", views.link_proof, name="link_proof"),
    path("exchange/", views.exchange, name="exchange"),
    path("exchange/<str:number>/", views.listing, name="listing"),
    path("exchange/<str:number>/do/<slug:action>/", views.listing_act, name="listing_act"),
    path("financing/", views.financing, name="financing"),
    path("financing/pool.csv", views.pool_csv, name="pool_csv"),
    path("financing/pool.pdf", views.pool_pdf, name="pool_pdf"),
    path("financing/<int:pk>/pool.csv", views.financing_pool_csv, name="financing_pool_csv"),
]
