"""The credit API: the public query, a partner department's status query (token scope ``credit:query``), its
report of measures applied (``credit:feedback``), and the catalogue-driven feeds pulled page by page
(``credit:query``). The feed format is documented in ``credit/feeds.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from artrights.accounts.access import require
from artrights.accounts.api import token_of, token_or_session
from artrights.accounts.models import TokenScope
from artrights.core.middleware import client_ip

from . import feeds, selectors, services
from .models import CreditRecord, CreditSubject, Evaluation, ListEntry, MeasureReport
from .services.partners import Listing

router = Router(tags=["credit"])


class RecordOut(Schema):
    number: str
    behaviour: str = Field(description="catalogue code")
    behaviour_name: str
    severity: str
    source_dept: str
    decision_no: str
    decided_on: dt.date
    min_publicity_end: dt.date
    max_publicity_end: dt.date
    status: str = Field(description="under_objection: annotated, an objection is being decided")
    log_index: int | None

    @staticmethod
    def resolve_behaviour(obj: CreditRecord) -> str:
        return obj.behaviour.code

    @staticmethod
    def resolve_behaviour_name(obj: CreditRecord) -> str:
        return obj.behaviour.label


class PublicRecordOut(RecordOut):
    subject_name: str
    subject_code: str = Field(description="an organisation's USCC; a person's ID number de-identified")

    @staticmethod
    def resolve_subject_name(obj: CreditRecord) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_code(obj: CreditRecord) -> str:
        return obj.subject.public_code


class EntryOut(Schema):
    number: str
    list_type: str
    list_name: str
    status: str
    listed_on: dt.date | None
    planned_exit_on: dt.date | None = Field(description="null: until the obligation is met")
    extensions: int
    log_index: int | None

    @staticmethod
    def resolve_list_name(obj: ListEntry) -> str:
        return str(obj.get_list_type_display())


class PublicEntryOut(EntryOut):
    subject_name: str
    subject_code: str

    @staticmethod
    def resolve_subject_name(obj: ListEntry) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_code(obj: ListEntry) -> str:
        return obj.subject.public_code


class GradeOut(Schema):
    agency: str
    code: str
    grade: str
    score: int
    bonus: int
    at: dt.datetime
    lines: list[dict[str, Any]]

    @staticmethod
    def resolve_agency(obj: Evaluation) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_code(obj: Evaluation) -> str:
        return obj.subject.code


class PublicOut(Schema):
    records: list[PublicRecordOut]
    entries: list[PublicEntryOut]
    grades: list[GradeOut]


class MeasureOut(Schema):
    code: str
    text: str
    domain: str
    implementing_dept: str
    legal_basis: str


class ListingOut(Schema):
    entry: EntryOut
    measures: list[MeasureOut]
    for_purpose: list[str] = Field(description="codes of the measures in the area of the query's purpose")
    principal_of: str | None = Field(None, description="the listed organisation, when the code is its principal's")


class StatusOut(Schema):
    code: str
    known: bool = Field(description="whether the platform has the subject")
    name: str | None
    listed: bool = Field(description="on a list now (itself, or as a principal of a listed organisation)")
    listings: list[ListingOut]
    records: list[RecordOut] = Field(description="records in force the subject's catalogue entries let partners see")
    grade: GradeOut | None
    query_id: int = Field(description="the entry in the query log (kept at least five years)")


class StatusQuery(Schema):
    code: str = Field(max_length=30, description="USCC or resident ID number")
    purpose: str = Field(
        description="admin_approval, supervision, public_service, funding, procurement, finance, honours"
    )
    authority: str = Field(max_length=300, description="the legal basis of the query (S20 Art 44)")
    authorisation_ref: str = Field(max_length=100, description="the authorisation document's number")


class MeasureIn(Schema):
    entry: str = Field(description="the list entry's number")
    measure: str = Field(description="the measure's code")
    action: str = Field(description="applied or stopped")
    applied_on: dt.date
    note: str = Field("", max_length=2000)


class MeasureReportOut(Schema):
    id: int
    entry: str
    measure: str
    action: str
    applied_on: dt.date
    at: dt.datetime

    @staticmethod
    def resolve_entry(obj: MeasureReport) -> str:
        return obj.entry.number

    @staticmethod
    def resolve_measure(obj: MeasureReport) -> str:
        return obj.measure.code


class FeedQuery(Schema):
    since: dt.datetime | None = Field(None, description="only items changed at or after this time")
    limit: int = Field(500, ge=1, le=2000)
    offset: int = Field(0, ge=0)


class FeedPage(Schema):
    format: str
    kind: str
    count: int = Field(description="items changed since `since`, all pages together")
    items: list[dict[str, Any]]


def _listing(listing: Listing, *, principal: bool) -> dict[str, Any]:
    return {
        "entry": listing.entry,
        "measures": [
            {
                "code": m.code,
                "text": m.label,
                "domain": m.domain,
                "implementing_dept": m.implementing_dept,
                "legal_basis": m.legal_basis,
            }
            for m in listing.measures
        ],
        "for_purpose": [m.code for m in listing.for_purpose],
        "principal_of": listing.entry.subject.name if principal else None,
    }


class PublicQuery(Schema):
    q: str = Field(max_length=100, description="a name (part of an organisation's) or a full code")


@router.get("/public", response=PublicOut, auth=None, summary="Public query of published records, lists and grades")
def public(request: HttpRequest, query: Query[PublicQuery]) -> dict[str, Any]:
    found = selectors.public_search(query.q)
    return {"records": found.records, "entries": found.entries, "grades": found.grades}


@router.get(
    "/status",
    response=StatusOut,
    auth=token_or_session(TokenScope.CREDIT_QUERY),
    summary="A partner department's status query (logged with its purpose and authority)",
)
def status(request: HttpRequest, query: Query[StatusQuery]) -> dict[str, Any]:
    token = token_of(request)
    found = services.query_status(
        user=request.user,
        code=query.code,
        purpose=query.purpose,
        authority=query.authority,
        authorisation_ref=query.authorisation_ref,
        via="api" if token is not None else "web",
        token_prefix=token.prefix if token is not None else "",
        ip_address=client_ip(request),
    )
    assert found.query is not None
    return {
        "code": found.code,
        "known": found.subject is not None,
        "name": found.subject.name if found.subject else None,
        "listed": found.listed,
        "listings": [_listing(item, principal=False) for item in found.listings]
        + [_listing(item, principal=True) for item in found.principal_of],
        "records": found.records,
        "grade": found.grade,
        "query_id": found.query.pk,
    }


@router.post(
    "/measures",
    response={201: MeasureReportOut},
    auth=token_or_session(TokenScope.CREDIT_FEEDBACK),
    summary="Report a joint-punishment measure applied to a listed subject, or stopped",
)
def measures(request: HttpRequest, payload: MeasureIn) -> Status[MeasureReport]:
    entry = selectors.entry_for(request.user, payload.entry)
    report = services.report_measure(
        user=request.user,
        entry=entry,
        measure_code=payload.measure,
        action=payload.action,
        applied_on=payload.applied_on,
        note=payload.note,
    )
    return Status(201, report)


@router.get(
    "/feed/{kind}",
    response=FeedPage,
    auth=token_or_session(TokenScope.CREDIT_QUERY),
    summary="Pull the records or listings feed (artrights-credit-feed/v1), oldest change first",
)
def feed(request: HttpRequest, kind: str, page: Query[FeedQuery]) -> dict[str, Any]:
    require(request.user, "export", CreditSubject)
    item: Callable[[Any], dict[str, Any]]
    if kind == "records":
        rows: Any = feeds.shared_records(page.since)
        item = feeds.record_item
    elif kind == "listings":
        rows = feeds.shared_listings(page.since)
        item = feeds.listing_item
    else:
        raise Http404
    window = rows[page.offset : page.offset + page.limit]
    return {"format": feeds.FORMAT, "kind": kind, "count": rows.count(), "items": [item(r) for r in window]}
