"""Catalogue-driven feeds to the city public credit system (DOMAIN.md §8, S20 Arts 21, 34, 37): records and list
entries as CSV or JSON files, or pulled page by page through the API.

Format ``artrights-credit-feed/v1``. A JSON file is ``{"format", "kind": "records" | "listings", "generated_at",
"since", "items": [...]}``; a CSV file has one item per row, columns in the order of ``RECORD_COLUMNS`` /
``LISTING_COLUMNS``, dates ISO 8601, lists joined with ``;``. Every item carries its catalogue entry
(``catalogue_code``, ``behaviour``, ``source_dept``, ``disclosure``, ``share_scope``, ``retention_months``,
``update_frequency``) beside the subject's code and name and the item's own fields and status. Items changed since
``since`` are included whatever their status, so updates, annotations and removals are re-shared (Art 37); records
marked ``none`` to share or ``restricted`` never leave the platform, and proposed listings (not yet decided) are
not shared.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import CreditRecord, Disclosure, EntryStatus, ListEntry, ShareScope

FORMAT = "artrights-credit-feed/v1"
RECORD_COLUMNS = (
    "number",
    "catalogue_code",
    "behaviour",
    "source_dept",
    "disclosure",
    "share_scope",
    "retention_months",
    "update_frequency",
    "subject_code",
    "subject_name",
    "subject_type",
    "severity",
    "decision_no",
    "decided_on",
    "published_on",
    "min_publicity_end",
    "max_publicity_end",
    "status",
    "ended_on",
    "annotations",
    "log_index",
    "updated_at",
)
LISTING_COLUMNS = (
    "number",
    "list_type",
    "subject_code",
    "subject_name",
    "subject_type",
    "basis",
    "decision_no",
    "records",
    "listed_on",
    "planned_exit_on",
    "extensions",
    "status",
    "ended_on",
    "exit_reason",
    "log_index",
    "updated_at",
)


def shared_records(since: dt.datetime | None = None) -> QuerySet[CreditRecord]:
    rows = CreditRecord.objects.exclude(share_scope=ShareScope.NONE).exclude(disclosure=Disclosure.RESTRICTED)
    rows = rows.exclude(log_index__isnull=True)
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    return rows.select_related("subject", "behaviour").prefetch_related("annotations").order_by("updated_at", "pk")


def shared_listings(since: dt.datetime | None = None) -> QuerySet[ListEntry]:
    rows = ListEntry.objects.exclude(status__in=(EntryStatus.PROPOSED, EntryStatus.DROPPED))
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    return rows.select_related("subject").prefetch_related("records").order_by("updated_at", "pk")


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def record_item(record: CreditRecord) -> dict[str, Any]:
    behaviour = record.behaviour
    return {
        "number": record.number,
        "catalogue_code": behaviour.code,
        "behaviour": behaviour.name,
        "source_dept": record.source_dept,
        "disclosure": record.disclosure,
        "share_scope": record.share_scope,
        "retention_months": behaviour.publicity_months(record.severity)[1],
        "update_frequency": behaviour.update_frequency,
        "subject_code": record.subject.code,
        "subject_name": record.subject.name,
        "subject_type": record.subject.subject_type,
        "severity": record.severity,
        "decision_no": record.decision_no,
        "decided_on": _day(record.decided_on),
        "published_on": _day(record.published_on),
        "min_publicity_end": _day(record.min_publicity_end),
        "max_publicity_end": _day(record.max_publicity_end),
        "status": record.status,
        "ended_on": _day(record.ended_on),
        "annotations": [f"{a.kind}:{a.text}" for a in record.annotations.all()],
        "log_index": record.log_index,
        "updated_at": record.updated_at.isoformat(),
    }


def listing_item(entry: ListEntry) -> dict[str, Any]:
    return {
        "number": entry.number,
        "list_type": entry.list_type,
        "subject_code": entry.subject.code,
        "subject_name": entry.subject.name,
        "subject_type": entry.subject.subject_type,
        "basis": entry.basis,
        "decision_no": entry.decision_no,
        "records": sorted(r.number for r in entry.records.all()),
        "listed_on": _day(entry.listed_on),
        "planned_exit_on": _day(entry.planned_exit_on),
        "extensions": entry.extensions,
        "status": entry.status,
        "ended_on": _day(entry.ended_on),
        "exit_reason": entry.exit_reason,
        "log_index": entry.log_index,
        "updated_at": entry.updated_at.isoformat(),
    }


def items(kind: str, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
    """The items of a feed (``records`` or ``listings``) changed since ``since`` (all when None)."""
    if kind == "records":
        return (record_item(r) for r in shared_records(since).iterator(chunk_size=2000))
    if kind == "listings":
        return (listing_item(e) for e in shared_listings(since).iterator(chunk_size=2000))
    raise ValueError(f"unknown feed {kind!r}")


def document(kind: str, rows: Iterable[dict[str, Any]], since: dt.datetime | None = None) -> dict[str, Any]:
    """A JSON feed file."""
    return {
        "format": FORMAT,
        "kind": kind,
        "generated_at": timezone.now().isoformat(),
        "since": since.isoformat() if since else None,
        "items": list(rows),
    }


def csv_text(kind: str, rows: Iterable[dict[str, Any]]) -> str:
    """A CSV feed file."""
    columns = RECORD_COLUMNS if kind == "records" else LISTING_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([";".join(v) if isinstance(v := row[c], list) else ("" if v is None else v) for c in columns])
    return out.getvalue()
