"""Reads for IP credit: what the public query, the desks, the subject's own page and the API share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from artrights.accounts.access import get_visible_or_404, visible_to
from artrights.core.identifiers import IdentifierError, normalise, parse_resident_id, parse_uscc
from artrights.core.selectors import working_calendar
from artrights.core.validators import hidden_characters

from .models import (
    IN_FORCE,
    CaseStatus,
    CodeKind,
    CreditRecord,
    CreditSubject,
    Disclosure,
    EntryStatus,
    Evaluation,
    Indicator,
    ListEntry,
    ListType,
    Objection,
    PartnerQuery,
    RecordStatus,
    Repair,
    add_months,
)
from .rules import codes_of

PUBLIC_RESULTS = 50


# --- the public query ----------------------------------------------------------------------------------------


def public_records() -> QuerySet[CreditRecord]:
    """Records the public may read: in force and disclosed to the public."""
    return CreditRecord.objects.filter(status__in=IN_FORCE, disclosure=Disclosure.PUBLIC).select_related(
        "subject", "behaviour"
    )


def public_entries() -> QuerySet[ListEntry]:
    """Entries the public may read: subjects on a list now."""
    return ListEntry.objects.filter(status=EntryStatus.LISTED).select_related("subject")


def _valid_code(text: str) -> str:
    """``text`` normalised when it is a valid USCC or resident ID number, else ""."""
    try:
        return parse_uscc(text).code
    except IdentifierError:
        pass
    try:
        return parse_resident_id(text).number
    except IdentifierError:
        return ""


def _matching(query: str) -> tuple[Q, Q]:
    """Who the query names, as a filter of records and entries (through their subject) and of subjects: a valid
    credit code finds its subject by the code's index and nothing else; other text finds organisations by part of
    their name and persons only by their full name (S20 Art 38: published personal information is de-identified)."""
    text = query.strip()
    code = _valid_code(text)
    if code:
        return Q(subject__code=code), Q(code=code)
    by_name = Q(name=text) | (Q(name__icontains=text, code_kind=CodeKind.USCC) if len(text) >= 2 else Q(pk__in=[]))
    through = Q(subject__name=text) | (
        Q(subject__name__icontains=text, subject__code_kind=CodeKind.USCC) if len(text) >= 2 else Q(pk__in=[])
    )
    return through, by_name


@dataclass
class PublicResults:
    query: str
    records: list[CreditRecord]
    entries: list[ListEntry]
    grades: list[Evaluation]


def public_search(query: str) -> PublicResults:
    """What the public query finds for a name or a code (nothing for an empty query, or one with control
    characters, which no name or code holds)."""
    if not query.strip() or hidden_characters(query):
        return PublicResults(query, [], [], [])
    through, by_name = _matching(query)
    agencies = CreditSubject.objects.filter(is_agency=True).filter(by_name)[:PUBLIC_RESULTS]
    return PublicResults(
        query,
        list(public_records().filter(through)[:PUBLIC_RESULTS]),
        list(public_entries().filter(through)[:PUBLIC_RESULTS]),
        [g for g in (latest_grade(s) for s in agencies) if g is not None],
    )


def public_record(number: str) -> CreditRecord:
    found = public_records().filter(number=number).first()
    if found is None:
        raise Http404
    return found


def record_for(user: Any, number: str) -> CreditRecord:
    """A record as ``user`` may read it: any they may view, else a published public one; 404 otherwise."""
    rows = CreditRecord.objects.select_related("subject", "behaviour")
    found = visible_to(user, rows).filter(number=number).first() if user.is_authenticated else None
    return found if found is not None else public_record(number)


def entry_for(user: Any, number: str) -> ListEntry:
    """A list entry as ``user`` may read it: any they may view, else one the public may read; 404 otherwise."""
    rows = ListEntry.objects.select_related("subject")
    found = visible_to(user, rows).filter(number=number).first() if user.is_authenticated else None
    if found is None:
        found = public_entries().filter(number=number).first()
    if found is None:
        raise Http404
    return found


def latest_grade(subject: CreditSubject) -> Evaluation | None:
    return subject.evaluations.order_by("-at", "-pk").first()


def graded_agencies() -> list[Evaluation]:
    """Every agency's current grade, best first (the public list of agency grades)."""
    latest = [g for g in (latest_grade(s) for s in CreditSubject.objects.filter(is_agency=True)) if g is not None]
    order = {"A+": 0, "A": 1, "B": 2, "C": 3, "D": 4}
    return sorted(latest, key=lambda g: (order.get(g.grade, 9), -g.score, g.subject.name))


def agency_by_code(code: str) -> CreditSubject:
    found = CreditSubject.objects.filter(is_agency=True, code=normalise(code)).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class GradeLine:
    indicator: str
    label: str
    kind: str
    points: int
    references: list[str]
    capped: bool


def grade_lines(evaluation: Evaluation) -> list[GradeLine]:
    """The lines of a grade, named in the reader's language."""
    labels = {
        i.code: i.label for i in Indicator.objects.filter(code__in=[line["indicator"] for line in evaluation.lines])
    }
    return [
        GradeLine(
            line["indicator"],
            labels.get(line["indicator"], line["indicator"]),
            line["kind"],
            line["points"],
            list(line["references"]),
            bool(line.get("capped")),
        )
        for line in evaluation.lines
    ]


# --- the subject's own pages ---------------------------------------------------------------------------------


def subjects_of(user: Any) -> QuerySet[CreditSubject]:
    """The subjects ``user`` answers for (their organisation, their own identity)."""
    return CreditSubject.objects.filter(code__in=codes_of(user))


def subject_for(user: Any, pk: int) -> CreditSubject:
    return get_visible_or_404(user, CreditSubject, pk=pk)


def records_of(subject: CreditSubject) -> QuerySet[CreditRecord]:
    return subject.records.select_related("behaviour").prefetch_related("annotations")


def entries_of(subject: CreditSubject) -> QuerySet[ListEntry]:
    return subject.list_entries.prefetch_related("records")


# --- the supervisor's desk -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A case on the desk with its deadline in working days."""

    case: Objection | Repair | ListEntry
    due: dt.date
    days_left: int  # negative: overdue by that many working days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def _due(cases: list[Any], field: str) -> list[Due]:
    calendar = working_calendar()
    day = timezone.localdate()
    return [Due(c, getattr(c, field), calendar.working_days_between(day, getattr(c, field))) for c in cases]


def objections_due() -> list[Due]:
    rows = Objection.objects.filter(status=CaseStatus.UNDER_REVIEW).select_related("record__subject", "applicant")
    return _due(list(rows.order_by("decision_due", "pk")), "decision_due")


def repairs_due() -> list[Due]:
    rows = Repair.objects.filter(status=CaseStatus.UNDER_REVIEW).select_related(
        "record__subject", "entry__subject", "applicant"
    )
    return _due(list(rows.order_by("decision_due", "pk")), "decision_due")


def proposals_due() -> list[Due]:
    """Proposed listings, with the day the statement period ends (the listing may be decided after it)."""
    rows = ListEntry.objects.filter(status=EntryStatus.PROPOSED).select_related("subject")
    return _due(list(rows.order_by("statement_due", "pk")), "statement_due")


def listings_ending(within_days: int = 60) -> QuerySet[ListEntry]:
    until = timezone.localdate() + dt.timedelta(days=within_days)
    return public_entries().filter(planned_exit_on__lte=until).order_by("planned_exit_on", "pk")


# S23 Art 17: three years on the abnormal-operation list with the obligation unmet.
ESCALATION_MONTHS = 36


def escalations_due(on: dt.date | None = None) -> QuerySet[ListEntry]:
    """Agencies on the abnormal-operation list for three years or more, not yet proposed for or on the
    joint-punishment list."""
    day = on or timezone.localdate()
    serious = ListEntry.objects.filter(
        subject=OuterRef("subject"),
        list_type=ListType.NATIONAL_JOINT_IP,
        status__in=(EntryStatus.PROPOSED, EntryStatus.LISTED),
    )
    return (
        ListEntry.objects.filter(
            list_type=ListType.ABNORMAL_OPERATION,
            status=EntryStatus.LISTED,
            listed_on__lte=add_months(day, -ESCALATION_MONTHS),
        )
        .exclude(Exists(serious))
        .select_related("subject")
        .order_by("listed_on", "pk")
    )


def live_entries() -> QuerySet[ListEntry]:
    return public_entries().order_by("-listed_on", "-pk")


def recent_records(limit: int = 20) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.select_related("subject", "behaviour").order_by("-created_at", "-pk")[:limit]


def unpublished_records() -> QuerySet[CreditRecord]:
    return CreditRecord.objects.filter(status=RecordStatus.RECORDED).select_related("subject", "behaviour")


def find_subjects(user: Any, query: str) -> QuerySet[CreditSubject]:
    rows = visible_to(user, CreditSubject.objects.all())
    text = query.strip()
    if not text:
        return rows.order_by("-created_at", "-pk")[:20]
    return rows.filter(Q(code=normalise(text)) | Q(name__icontains=text))[:50]


def objection_for(user: Any, number: str) -> Objection:
    return get_visible_or_404(
        user, Objection.objects.select_related("record__subject", "record__behaviour"), number=number
    )


def repair_for(user: Any, number: str) -> Repair:
    return get_visible_or_404(
        user, Repair.objects.select_related("record__subject", "entry__subject", "applicant"), number=number
    )


# --- partners ------------------------------------------------------------------------------------------------


def queries_for(user: Any, limit: int = 20) -> QuerySet[PartnerQuery]:
    """The query log as ``user`` may read it: a partner their department's, a supervisor all."""
    return visible_to(user, PartnerQuery.objects.select_related("user", "department", "subject"))[:limit]
