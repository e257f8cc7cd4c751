"""The JSON API (django-ninja) under /api/, with OpenAPI docs at /api/docs.

Browsers use their session (CSRF-checked); scripts and partner departments use bearer tokens. Writes need a
token with the `write` scope; apps check finer scopes with `require_scope()`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from artrights.accounts.api import router as accounts_router
from artrights.accounts.models import ApiToken, TokenScope
from artrights.accounts.services import authenticate_token
from artrights.core.api import router as core_router
from artrights.core.errors import BilingualError
from artrights.core.messages import in_user_language
from artrights.core.middleware import client_ip
from artrights.core.statemachine import TransitionNotAllowed
from artrights.ledger.api import router as ledger_router
from artrights.matching.api import router as matching_router
from artrights.registry.api import router as registry_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = authenticate_token(token, ip=client_ip(request))
        if found is None:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS") and not found.allows(TokenScope.WRITE):
            raise PermissionDenied(_("此令牌没有写入权限。"))
        request.user = found.user
        return found


def require_scope(request: HttpRequest, scope: str) -> None:
    """Token requests must carry `scope`; session requests are governed by the access rules alone."""
    auth: Any = getattr(request, "auth", None)
    if isinstance(auth, ApiToken) and not auth.allows(scope):
        raise PermissionDenied(_("此令牌缺少权限范围：%(scope)s") % {"scope": scope})


api = NinjaAPI(
    title="ArtRights API 艺术版权保护与活化平台",
    version="1",
    description="艺术版权保护与活化平台的接口。Session (CSRF) or `Authorization: Bearer <token>`.",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = exc.messages
    # A refusal because the person has too much under way is a 429, which clients know to retry later.
    status = 429 if getattr(exc, "code", None) == "too_many" else 422
    return api.create_response(request, {"detail": "；".join(messages), "errors": messages}, status=status)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("您没有权限执行此操作。")}, status=403)


@api.exception_handler(TransitionNotAllowed)
def _conflict(request: HttpRequest, exc: TransitionNotAllowed) -> HttpResponse:
    return api.create_response(request, {"detail": in_user_language(exc), "allowed": exc.allowed}, status=409)


@api.exception_handler(BilingualError)
def _refused(request: HttpRequest, exc: BilingualError) -> HttpResponse:
    return api.create_response(request, {"detail": in_user_language(exc), "code": exc.code}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("需要登录或有效的API令牌。")}, status=401)


api.add_router("/accounts", accounts_router)
api.add_router("/core", core_router)
api.add_router("/log", ledger_router)
api.add_router("/registry", registry_router)
api.add_router("/matching", matching_router)
