"""The built-in TSA over HTTP (RFC 3161 §3.4): POST application/timestamp-query, answer timestamp-reply."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import keys, services

MAX_REQUEST = 16 * 1024  # a TimeStampReq is a few hundred bytes


@csrf_exempt  # a machine protocol without cookies; nothing here acts for a logged-in user
@require_POST
def tsa(request: HttpRequest) -> HttpResponse:
    if request.content_type != "application/timestamp-query":
        return HttpResponse(
            "Content-Type must be application/timestamp-query\n",
            status=415,
            content_type="text/plain; charset=utf-8",
        )
    body = request.body
    if len(body) > MAX_REQUEST:
        return HttpResponse("request too large\n", status=413, content_type="text/plain; charset=utf-8")
    return HttpResponse(services.answer(body), content_type="application/timestamp-reply")


@require_GET
def root_pem(request: HttpRequest) -> HttpResponse:
    return HttpResponse(keys.builtin_tsa().root_certificate_pem, content_type="application/x-pem-file")


@require_GET
def tsa_pem(request: HttpRequest) -> HttpResponse:
    return HttpResponse(keys.builtin_tsa().certificate_pem, content_type="application/x-pem-file")
