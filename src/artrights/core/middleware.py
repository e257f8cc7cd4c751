from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from . import audit, public_url


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy the operator sets ARTRIGHTS_TRUST_X_FORWARDED_FOR; otherwise the header is client-controlled.
    if settings.ARTRIGHTS_TRUST_X_FORWARDED_FOR:
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Puts the requesting user and origin into the audit context for everything the request writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        with audit.context(
            actor=user if user is not None and user.is_authenticated else None,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            request_path=request.path,
            via="api" if request.path.startswith("/api/") else "web",
        ):
            return self.get_response(request)


class UploadLimitMiddleware:
    """Refuses a request body over the upload limit before Django reads (and stores) any of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.ARTRIGHTS_MAX_UPLOAD_BYTES
        if length > limit:
            return too_large(request, length)
        return self.get_response(request)


def too_large(request: HttpRequest, size: int | None = None) -> HttpResponse:
    # This runs before LocaleMiddleware, so pick the user's language here.
    with translation.override(translation.get_language_from_request(request)):
        return _too_large(request, size)


def _too_large(request: HttpRequest, size: int | None) -> HttpResponse:
    limit_mb = settings.ARTRIGHTS_MAX_UPLOAD_BYTES / (1024 * 1024)
    if request.path.startswith("/api/") or "application/json" in request.META.get("HTTP_ACCEPT", ""):
        return JsonResponse(
            {
                "detail": _("上传内容过大：上限为 %(limit).0f MB。") % {"limit": limit_mb},
                "code": "upload_too_large",
            },
            status=413,
        )
    return render(request, "413.html", {"limit_mb": limit_mb, "size": size}, status=413)


class PublicUrlMiddleware:
    """Lets `core.public_url` answer with the address this request came to when no public URL is configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with public_url.serving(request):
            return self.get_response(request)
