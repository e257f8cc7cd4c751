"""Joint punishment with partner departments (DOMAIN.md §3.2, §8): a status query that states its purpose and
authority and is kept in the query log, and the reports of measures applied and stopped.

A status query answers what a department needs for a check in an approval, a procurement or a funding decision:
the lists the subject is on now and the measures that apply to each (those of the stated purpose's area first), the
records it may share, the lists its principals' organisations are on when the code is a person's, and an agency's
grade. Every query is written to the query log before the answer leaves (S20 Arts 44–45).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require

from ..models import (
    IN_FORCE,
    CreditRecord,
    CreditSubject,
    Disclosure,
    EntryStatus,
    Evaluation,
    ListEntry,
    Measure,
    MeasureAction,
    MeasureDomain,
    MeasureReport,
    PartnerQuery,
    ShareScope,
)
from ._common import locked, refused, today
from .subjects import check_code, clean_text


@dataclass(frozen=True)
class Listing:
    """A current list entry and the measures that apply to it."""

    entry: ListEntry
    measures: list[Measure]
    for_purpose: list[Measure]  # the measures of the query's purpose


@dataclass
class Status:
    code: str
    subject: CreditSubject | None
    listings: list[Listing] = field(default_factory=list)
    records: list[CreditRecord] = field(default_factory=list)
    principal_of: list[Listing] = field(default_factory=list)
    grade: Evaluation | None = None
    query: PartnerQuery | None = None

    @property
    def listed(self) -> bool:
        return bool(self.listings or self.principal_of)


def _listings(entries: list[ListEntry], purpose: str) -> list[Listing]:
    """The entries with the active measures of their lists (the catalogue is read only when someone is listed)."""
    if not entries:
        return []
    measures = list(Measure.objects.filter(active=True).order_by("domain", "code"))
    found = []
    for entry in entries:
        every = [m for m in measures if entry.list_type in m.list_types]
        found.append(Listing(entry, every, [m for m in every if m.domain == purpose]))
    return found


def query_status(
    *,
    user: Any,
    code: str,
    purpose: str,
    authority: str,
    authorisation_ref: str,
    via: str,
    token_prefix: str = "",
    ip_address: str | None = None,
) -> Status:
    """A partner department's status query, logged with who asked, on whose authority and for what."""
    require(user, "query_status", CreditSubject)
    if purpose not in MeasureDomain.values:
        raise refused("purpose", _("请说明查询用途（行政审批、政府采购、财政资金等）。"))
    authority = clean_text(authority, _("查询依据"), limit=300)
    authorisation_ref = clean_text(authorisation_ref, _("授权文书号"), limit=100)
    checked = check_code(code)
    subject = CreditSubject.objects.filter(code=checked.code).first()
    status = Status(code=checked.code, subject=subject)
    live = ListEntry.objects.filter(status=EntryStatus.LISTED).select_related("subject")
    if subject is not None:
        status.listings = _listings(list(live.filter(subject=subject)), purpose)
        status.records = list(
            CreditRecord.objects.filter(
                subject=subject,
                status__in=IN_FORCE,
                share_scope=ShareScope.PARTNERS,
                disclosure__in=(Disclosure.PUBLIC, Disclosure.SHARED_ONLY),
            ).select_related("behaviour")
        )
        status.grade = subject.evaluations.order_by("-at", "-pk").first() if subject.is_agency else None
    if not checked.kind == "uscc":
        status.principal_of = _listings(
            list(live.filter(subject__principals__id_number=checked.code).distinct()), purpose
        )
    listed = sorted({listing.entry.number for listing in [*status.listings, *status.principal_of]})
    with transaction.atomic():  # the log row and its audit event commit together
        status.query = PartnerQuery.objects.create(
            at=timezone.now(),
            user=user,
            department=user.organisation,
            token_prefix=token_prefix,
            via=via,
            ip_address=ip_address,
            code_asked=checked.code,
            subject=subject,
            purpose=purpose,
            authority=authority,
            authorisation_ref=authorisation_ref,
            listed=listed,
        )
    return status


@transaction.atomic
def report_measure(
    *, user: Any, entry: ListEntry, measure_code: str, action: str, applied_on: dt.date, note: str = ""
) -> MeasureReport:
    """A department reports a measure it applied to a listed subject, or stopped (after the subject left)."""
    require(user, "report_measure", entry)
    entry = locked(entry)
    measure = Measure.objects.filter(code=measure_code, active=True).first()
    if measure is None or entry.list_type not in measure.list_types:
        raise refused("measure", _("措施 %(code)s 不存在或不适用于该名单。"), code=measure_code or "—")
    if action not in MeasureAction.values:
        raise refused("measure_action", _("请说明是实施还是停止了措施。"))
    if applied_on > today():
        raise refused("future_date", _("日期 %(date)s 晚于今天。"), date=applied_on.isoformat())
    if action == MeasureAction.APPLIED and entry.status != EntryStatus.LISTED:
        raise refused(
            "not_listed", _("名单记录 %(number)s 已不在名单中，措施应当停止，不能再实施。"), number=entry.number
        )
    if (
        action == MeasureAction.STOPPED
        and not MeasureReport.objects.filter(
            entry=entry, measure=measure, department=user.organisation, action=MeasureAction.APPLIED
        ).exists()
    ):
        raise refused("never_applied", _("贵单位没有报送过对该名单记录实施措施 %(code)s。"), code=measure.code)
    return MeasureReport.objects.create(
        entry=entry,
        measure=measure,
        department=user.organisation,
        reported_by=user,
        action=action,
        applied_on=applied_on,
        note=clean_text(note, _("说明"), required=False, limit=2000, multiline=True),
        at=timezone.now(),
    )
