"""Who may do what in IP credit, by business verb (see accounts.access).

Supervisors keep the records and lists and decide objections and repairs. A partner department's staff (role
``partner``, member of a department) query statuses and report the measures they applied. The subject's own
side, the members of an organisation with the subject's credit code or the person whose verified identity is the
subject's ID number, reads what is recorded about it and asks for objection and repair. The public reads
published records through the public query, which needs no rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import OrganisationKind, Role

from .models import (
    CaseStatus,
    CreditRecord,
    CreditSubject,
    EntryStatus,
    ListEntry,
    Objection,
    PartnerQuery,
    RecordStatus,
    Repair,
)

OBJECTABLE = (RecordStatus.PUBLISHED, RecordStatus.CORRECTED, RecordStatus.DE_LISTED)


def codes_of(user: Any) -> set[str]:
    """The credit codes ``user`` answers for: their organisation's USCC and their own verified ID number."""
    codes: set[str] = set()
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        codes.add(organisation.uscc)
    party = getattr(user, "party", None)
    if party is not None and party.id_type == "resident_id":
        codes.add(party.id_number)
    return codes


def is_supervisor(user: Any) -> bool:
    return bool(user.role == Role.SUPERVISOR)


def is_partner(user: Any) -> bool:
    """Staff of a partner department: the partner role, in an organisation that is a government department."""
    organisation = getattr(user, "organisation", None)
    return bool(
        user.role == Role.PARTNER and organisation is not None and organisation.kind == OrganisationKind.DEPARTMENT
    )


def _own(user: Any, subject: CreditSubject) -> bool:
    return subject.code in codes_of(user)


# Subjects --------------------------------------------------------------------------------------------------


@rule(CreditSubject, "register")
def _register(user: Any, subject: None) -> bool:
    return is_supervisor(user)


@rule(CreditSubject, "view")
def _view_subject(user: Any, subject: CreditSubject) -> bool:
    return is_supervisor(user) or _own(user, subject)


@rule(CreditSubject, "record")
def _record(user: Any, subject: CreditSubject) -> bool:
    return is_supervisor(user)


@rule(CreditSubject, "propose_listing")
def _propose_listing(user: Any, subject: CreditSubject) -> bool:
    return is_supervisor(user)


@rule(CreditSubject, "evaluate")
def _evaluate(user: Any, subject: CreditSubject) -> bool:
    return is_supervisor(user) and subject.is_agency


@rule(CreditSubject, "query_status")
def _query_status(user: Any, subject: None) -> bool:
    return is_partner(user)


@rule(CreditSubject, "export")
def _export(user: Any, subject: None) -> bool:
    """The catalogue-driven feeds: supervisors hand files on, partner departments pull."""
    return is_supervisor(user) or is_partner(user)


@visible(CreditSubject)
def _subjects(user: Any, qs: QuerySet[CreditSubject]) -> QuerySet[CreditSubject]:
    return qs if is_supervisor(user) else qs.filter(code__in=codes_of(user))


# Records ---------------------------------------------------------------------------------------------------


@rule(CreditRecord, "view")
def _view_record(user: Any, record: CreditRecord) -> bool:
    return is_supervisor(user) or _own(user, record.subject)


@rule(CreditRecord, "publish")
def _publish(user: Any, record: CreditRecord) -> bool:
    return is_supervisor(user) and record.status == RecordStatus.RECORDED


@rule(CreditRecord, "withdraw")
def _withdraw(user: Any, record: CreditRecord) -> bool:
    """When the decision it rests on is revoked or changed (S22 Art 11)."""
    return is_supervisor(user)


@rule(CreditRecord, "object")
def _object(user: Any, record: CreditRecord) -> bool:
    return record.status in OBJECTABLE and _own(user, record.subject)


@rule(CreditRecord, "ask_repair")
def _ask_repair_record(user: Any, record: CreditRecord) -> bool:
    return record.status in OBJECTABLE and _own(user, record.subject)


@visible(CreditRecord)
def _records(user: Any, qs: QuerySet[CreditRecord]) -> QuerySet[CreditRecord]:
    return qs if is_supervisor(user) else qs.filter(subject__code__in=codes_of(user))


# List entries ----------------------------------------------------------------------------------------------


@rule(ListEntry, "view")
def _view_entry(user: Any, entry: ListEntry) -> bool:
    if is_supervisor(user) or _own(user, entry.subject):
        return True
    return is_partner(user) and entry.status != EntryStatus.PROPOSED


@rule(ListEntry, "decide_listing")
def _decide_listing(user: Any, entry: ListEntry) -> bool:
    return is_supervisor(user)


@rule(ListEntry, "extend")
def _extend(user: Any, entry: ListEntry) -> bool:
    return is_supervisor(user)


@rule(ListEntry, "remove")
def _remove(user: Any, entry: ListEntry) -> bool:
    return is_supervisor(user)


@rule(ListEntry, "report_measure")
def _report_measure(user: Any, entry: ListEntry) -> bool:
    return is_partner(user) and entry.status != EntryStatus.PROPOSED


@rule(ListEntry, "ask_repair")
def _ask_repair_entry(user: Any, entry: ListEntry) -> bool:
    return entry.status == EntryStatus.LISTED and _own(user, entry.subject)


@visible(ListEntry)
def _entries(user: Any, qs: QuerySet[ListEntry]) -> QuerySet[ListEntry]:
    if is_supervisor(user):
        return qs
    own = Q(subject__code__in=codes_of(user))
    return qs.filter(own | ~Q(status=EntryStatus.PROPOSED)) if is_partner(user) else qs.filter(own)


# Objections and repairs ------------------------------------------------------------------------------------


@rule(Objection, "view")
def _view_objection(user: Any, objection: Objection) -> bool:
    return is_supervisor(user) or objection.applicant_id == user.pk or _own(user, objection.record.subject)


@rule(Objection, "decide")
def _decide_objection(user: Any, objection: Objection) -> bool:
    return is_supervisor(user) and objection.status == CaseStatus.UNDER_REVIEW


@visible(Objection)
def _objections(user: Any, qs: QuerySet[Objection]) -> QuerySet[Objection]:
    if is_supervisor(user):
        return qs
    return qs.filter(Q(applicant=user) | Q(record__subject__code__in=codes_of(user)))


@rule(Repair, "view")
def _view_repair(user: Any, repair: Repair) -> bool:
    return is_supervisor(user) or repair.applicant_id == user.pk or _own(user, repair.subject)


@rule(Repair, "decide")
def _decide_repair(user: Any, repair: Repair) -> bool:
    return is_supervisor(user) and repair.status == CaseStatus.UNDER_REVIEW


@visible(Repair)
def _repairs(user: Any, qs: QuerySet[Repair]) -> QuerySet[Repair]:
    if is_supervisor(user):
        return qs
    codes = codes_of(user)
    return qs.filter(Q(applicant=user) | Q(record__subject__code__in=codes) | Q(entry__subject__code__in=codes))


# The query log ---------------------------------------------------------------------------------------------


@visible(PartnerQuery)
def _queries(user: Any, qs: QuerySet[PartnerQuery]) -> QuerySet[PartnerQuery]:
    """Supervisors read every query; a partner the queries of their own department."""
    if is_supervisor(user):
        return qs
    if is_partner(user):
        return qs.filter(department_id=user.organisation_id)
    return qs.none()
