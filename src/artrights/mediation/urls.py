from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("register/", views.register, name="register"),
    path("delegate/", views.delegate, name="delegate"),
    path("desk/", views.desk, name="desk"),
    path("intake/", views.intake, name="intake"),
    path("mediators/", views.roster, name="roster"),
    path("mediators/<int:pk>/status/", views.mediator_status, name="mediator_status"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("statistics/", views.statistics, name="statistics"),
    path("referrals/", views.referrals, name="referrals"),
    path("cases/<str:number>/", views.case, name="case"),
    path("cases/<str:number>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("cases/<str:number>/referral.pdf", views.referral_pdf, name="referral_pdf"),
    path("cases/<str:number>/<str:action>/", views.act, name="act"),
]
