from django.urls import path, re_path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("key", views.verifier_key, name="key"),
    # tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]; the strict parser decides what is valid.
    re_path(r"^(?P<path>tile/.+)$", views.tile, name="tile"),
]
