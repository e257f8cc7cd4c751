from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .api import api
from .portal import views as portal_views
from .registry import views as registry_views

urlpatterns = [
    path("", include("artrights.portal.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/", include("artrights.accounts.urls")),
    path("registry/", include("artrights.registry.urls")),
    path("verify/", registry_views.verify_page, name="verify"),
    path("verify/trust.json", registry_views.trust_json, name="trust_json"),
    path("verify/<str:number>", registry_views.public_record, name="verify_number"),
    path("tsa/", include("artrights.timestamps.urls")),
    path("matching/", include("artrights.matching.urls")),
    path("evidence/", include("artrights.evidence.urls")),
    path("credit/", include("artrights.credit.urls")),
    path("licensing/", include("artrights.licensing.urls")),
    path("inspections/", include("artrights.inspections.urls")),
    path("mediation/", include("artrights.mediation.urls")),
    path("funding/", include("artrights.funding.urls")),
    path("onestop/", include("artrights.onestop.urls")),
    # Django's language switch, wrapped so that it also sets a signed-in user's language for e-mail and SMS.
    path("i18n/setlang/", portal_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("log/", include("artrights.ledger.urls")),
]

handler400 = "artrights.portal.views.bad_request"
handler403 = "artrights.portal.views.forbidden"
handler404 = "artrights.portal.views.not_found"
handler500 = "artrights.portal.views.server_error"

admin.site.site_header = "ArtRights 艺术版权保护与活化平台"
admin.site.site_title = "ArtRights"
