"""The JSON API (django-ninja) under /api/, with OpenAPI docs at /api/docs.

Browsers use their session (CSRF-checked); scripts and partner departments use bearer tokens, which reach an
operation only with the scope it needs (`accounts.api.BearerToken`: `read` to read, `write` to change, or the
scope a route declares with `auth=token_or_session(scope)`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.parser import Parser

from artrights.accounts.api import router as accounts_router
from artrights.accounts.api import token_or_session
from artrights.core import safejson
from artrights.core.api import router as core_router
from artrights.core.errors import BilingualError
from artrights.core.messages import in_user_language
from artrights.core.statemachine import TransitionNotAllowed
from artrights.credit.api import router as credit_router
from artrights.evidence.api import router as evidence_router
from artrights.funding.api import router as funding_router
from artrights.inspections.api import router as inspections_router
from artrights.ledger.api import router as ledger_router
from artrights.licensing.api import router as licensing_router
from artrights.matching.api import router as matching_router
from artrights.mediation.api import router as mediation_router
from artrights.onestop.api import router as onestop_router
from artrights.registry.api import router as registry_router


class BoundedJsonParser(Parser):
    """Request bodies parsed with a bound on nesting: deeply nested JSON is a clear 400 that says why, never a 500."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        parsed: dict[str, Any] = safejson.loads(request.body)
        return parsed


api = NinjaAPI(
    title="ArtRights API 艺术版权保护与活化平台",
    version="1",
    description="艺术版权保护与活化平台的接口。Session (CSRF) or `Authorization: Bearer <token>`: a token reads "
    "with the `read` scope and changes anything with `write` (which includes `read`); an operation that names "
    "another scope needs that one. A token made with a token holds no scope its maker lacks and is revoked with it.",
    auth=token_or_session(),
    docs_url="/docs",
    urls_namespace="api",
    parser=BoundedJsonParser(),
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


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja answers a body its parser refused with "Cannot parse request body" in English; say why, in
    # the user's language.
    cause = exc.__cause__
    detail = in_user_language(cause) if isinstance(cause, BilingualError) else str(exc.message)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("需要登录或有效的API令牌。")}, status=401)


api.add_router("/accounts", accounts_router)
api.add_router("/core", core_router)
api.add_router("/log", ledger_router)
api.add_router("/registry", registry_router)
api.add_router("/matching", matching_router)
api.add_router("/evidence", evidence_router)
api.add_router("/credit", credit_router)
api.add_router("/licensing", licensing_router)
api.add_router("/inspections", inspections_router)
api.add_router("/mediation", mediation_router)
api.add_router("/funding", funding_router)
api.add_router("/onestop", onestop_router)
