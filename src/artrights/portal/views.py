from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from artrights.accounts import selectors
from artrights.accounts.access import get_visible_or_404
from artrights.accounts.models import ApiToken, TokenScope, User
from artrights.accounts.services import issue_token, revoke_token
from artrights.core.messages import error_messages
from artrights.core.models import AuditEvent

from .dashboards import ROLE_CARDS


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def guide(request: HttpRequest) -> HttpResponse:
    """办事指南: materials, time limits (the platform's own settings), fees, FAQ and contact, for everyone."""
    return render(
        request,
        "portal/guide.html",
        {
            "registry_name": settings.ARTRIGHTS_REGISTRY_NAME,
            "review_days": settings.ARTRIGHTS_REVIEW_WORKING_DAYS,
            "correction_days": settings.ARTRIGHTS_CORRECTION_DAYS,
            "contact": {
                "address": settings.ARTRIGHTS_CONTACT_ADDRESS,
                "phone": settings.ARTRIGHTS_CONTACT_PHONE,
                "email": settings.ARTRIGHTS_CONTACT_EMAIL,
            },
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    recent = AuditEvent.objects.filter(actor=user)[:10]
    return render(
        request,
        "portal/dashboard.html",
        {"cards": ROLE_CARDS.get(user.role, []), "recent": recent},
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        try:
            _token, new_token = issue_token(
                user=request.user,
                name=request.POST.get("name", ""),
                scopes=request.POST.getlist("scopes"),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(
        request,
        "portal/tokens.html",
        {
            "tokens": selectors.tokens_of(request.user),
            "scopes": TokenScope.choices,
            "new_token": new_token,
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_visible_or_404(request.user, ApiToken, pk=token_id)
    revoke_token(user=request.user, token=token)
    messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
    return redirect("portal:tokens")


# Error pages (handler403/404/500 in artrights/urls.py): the site's layout in the visitor's language with a way
# back; under /api/ the same answers as JSON, as the API's own errors are.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _way_back(request: HttpRequest) -> str | None:
    """The page the visitor came from on this site, if any (never an address on another host)."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    if not referer or urlsplit(referer).path == request.path:  # "back" to this very page would go nowhere
        return None
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return None


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = error_messages(exception)[0] if isinstance(exception, PermissionDenied) and str(exception) else ""
    if _is_api(request):
        return JsonResponse({"detail": detail or _("您没有权限执行此操作。")}, status=403)
    return render(request, "403.html", {"detail": detail, "back": _way_back(request)}, status=403)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The exception's text is never shown: "no such work" and "someone else's work" must read the same.
    if _is_api(request):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return render(request, "404.html", {"back": _way_back(request)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("服务器内部错误，请稍后再试。")}, status=500)
    # Rendered without the request's context processors: whatever failed (the database, a session) may fail again.
    return HttpResponseServerError(loader.render_to_string("500.html"))
