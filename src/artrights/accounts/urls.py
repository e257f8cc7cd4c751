from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.sign_up, name="sign_up"),
    path("verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path("identity/", views.identity, name="identity"),
    path("identity/resend-email/", views.resend_email, name="resend_email"),
    path("identity/phone-code/", views.send_phone_code, name="send_phone_code"),
    path("identity/verify-phone/", views.verify_phone, name="verify_phone"),
]
