"""The public log over HTTP: a readable page at /log/, and the static-like endpoints (C2SP tlog-tiles) a mirror
or an auditor fetches: checkpoint, tiles, entry bundles, key.

No login: anyone, including a mirror or a court, may fetch these. Full tiles never change, so they are cached
for a year; partial tiles and the checkpoint change as the log grows.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from artrights.core.public_url import public_url
from artrights.proofs.statements import StatementType
from artrights.proofs.tiles import TileError, parse_tile_path

from . import keys, selectors
from .labels import statement_label
from .models import LogEntry, _bytes

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


# The readable page -----------------------------------------------------------------------------------------

ENTRIES_PER_PAGE = 50
# Statements whose number is a registered work's, which has a public record page at /verify/<number>.
WORK_STATEMENTS = {
    StatementType.REGISTRATION,
    StatementType.DIGITAL_FILING,
    StatementType.SOFTWARE_REGISTRATION,
    StatementType.CHANGE,
    StatementType.REVOCATION,
}


@dataclass(frozen=True)
class EntryRow:
    index: int
    kind: str
    label: str
    logged_at: datetime
    number: str
    record_url: str
    leaf_hash: str
    statement: str
    signed: bool  # covered by the latest checkpoint; later entries wait for the next one


def _row(entry: LogEntry, signed_size: int) -> EntryRow:
    data = _bytes(entry.data)
    try:
        parsed: Any = json.loads(data)
        statement = json.dumps(parsed, ensure_ascii=False, indent=2)
    except ValueError:
        parsed, statement = {}, data.decode("utf-8", "replace")
    number = parsed.get("number", "") if isinstance(parsed, dict) else ""
    number = number if isinstance(number, str) else ""
    return EntryRow(
        index=entry.index,
        kind=entry.kind,
        label=statement_label(entry.kind),
        logged_at=entry.created_at,
        number=number,
        record_url=reverse("verify_number", args=[number]) if number and entry.kind in WORK_STATEMENTS else "",
        leaf_hash=_bytes(entry.leaf_hash).hex(),
        statement=statement,
        signed=entry.index < signed_size,
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The log for people: the latest checkpoint, the newest entries page by page, and how to audit it."""
    latest = selectors.latest_checkpoint()
    signed_size = latest.size if latest is not None else 0
    page = Paginator(selectors.NewestEntries(), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "checkpoint": latest,
        "root_hash": base64.b64encode(_bytes(latest.root_hash)).decode() if latest is not None else "",
        "witnesses": selectors.cosigning_witnesses(latest) if latest is not None else [],
        "page": page,
        "rows": [_row(entry, signed_size) for entry in page.object_list],
        "origin": keys.log_origin(),
        "verifier_key": keys.log_verifier_key(),
        "base_url": public_url(request),
    }
    return render(request, "ledger/index.html", context)
