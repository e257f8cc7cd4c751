"""Public, static-like endpoints of the log (C2SP tlog-tiles): checkpoint, tiles, entry bundles, key.

No login: anyone, including a mirror or a court, may fetch these. Full tiles never change, so they are cached
for a year; partial tiles and the checkpoint change as the log grows.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from artrights.proofs.tiles import TileError, parse_tile_path

from . import keys, selectors

IMMUTABLE = "public, max-age=31536000, immutable"
FRESH = "no-cache"


def _plain(body: str | bytes, content_type: str, cache: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = cache
    # Public data meant for any client, including browser-based auditors on other origins.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = selectors.latest_checkpoint()
    if latest is None:
        raise Http404(_("账本尚未发布检查点。"))
    return _plain(latest.signed_note(), "text/plain; charset=utf-8", FRESH)


@require_safe
def verifier_key(request: HttpRequest) -> HttpResponse:
    return _plain(keys.log_verifier_key() + "\n", "text/plain; charset=utf-8", "public, max-age=3600")


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    try:
        parsed = parse_tile_path(path)
        data = selectors.entry_bundle(parsed) if parsed.is_entries else selectors.tile_data(parsed)
    except TileError as exc:
        raise Http404(str(exc)) from None
    return _plain(data, "application/octet-stream", FRESH if parsed.is_partial else IMMUTABLE)
