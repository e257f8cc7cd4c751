"""Lists (DOMAIN.md §3.1, §3.8): notice of a proposed listing, the listing, extension on repeat conduct up to the
cap, and the end of it by repair, expiry or removal. Each listing, extension and removal is a statement in the
public log; the subject is told each time, with the ground and its rights (S20 Arts 69, 78); the departments that
reported measures are told to stop them when the entry ends (memorandum: on removal, measures stop)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.selectors import working_calendar
from artrights.core.services import notify

from .. import statements
from ..models import (
    IN_FORCE,
    LIST_FLOW,
    CreditRecord,
    CreditSubject,
    EntryStatus,
    ExitReason,
    ListEntry,
    ListType,
    MeasureAction,
    MeasureReport,
    Severity,
    add_months,
)
from ..notifications import DELISTED, LISTED, LISTED_UNTIL_MET, LISTING_EXTENDED, LISTING_PROPOSED, MEASURES_STOP
from ._common import locked, next_numbers, refused, subject_users, today
from .grades import regrade
from .subjects import clean_text


@dataclass(frozen=True)
class ListPeriod:
    """How long a listing of a type runs (None: until the obligation is met), what a repeat adds, the cap, and how
    long after listing a repair may be asked for, in months."""

    months: int | None
    extension: int
    cap: int | None
    repair_wait: int


def period_of(list_type: str) -> ListPeriod:
    if list_type == ListType.ABNORMAL_OPERATION:
        return ListPeriod(None, 0, None, 0)
    if list_type in (ListType.GD_SERIOUS, ListType.SZ_SERIOUS):
        months = settings.ARTRIGHTS_CREDIT_LOCAL_SERIOUS_MONTHS
        return ListPeriod(months, 0, months, settings.ARTRIGHTS_CREDIT_REPAIR_WAIT_MONTHS)
    return ListPeriod(
        settings.ARTRIGHTS_CREDIT_LIST_MONTHS,
        settings.ARTRIGHTS_CREDIT_EXTENSION_MONTHS,
        max(settings.ARTRIGHTS_CREDIT_CAP_MONTHS, settings.ARTRIGHTS_CREDIT_LIST_MONTHS),
        settings.ARTRIGHTS_CREDIT_REPAIR_WAIT_MONTHS,
    )


def earliest_repair(entry: ListEntry) -> dt.date | None:
    """The first day a repair of ``entry`` may be asked for (None while it is not listed)."""
    if entry.listed_on is None:
        return None
    return add_months(entry.listed_on, period_of(entry.list_type).repair_wait)


def _grounds(list_type: str, record: CreditRecord) -> bool:
    """Whether ``record`` may ground a listing of ``list_type``: its behaviour's catalogue entry names that list,
    or it is a serious record and the list is a local serious list (S20 Art 76)."""
    if record.behaviour.list_type == list_type:
        return True
    return list_type in (ListType.GD_SERIOUS, ListType.SZ_SERIOUS) and record.severity == Severity.SERIOUS


def _url(entry: ListEntry) -> str:
    return reverse("credit:entry", args=[entry.number])


def propose_listing(
    *, user: Any, subject: CreditSubject, list_type: str, records: Sequence[CreditRecord], basis: str, decision_no: str
) -> ListEntry:
    """Tell the subject it is to be listed, on which records and why; it may state its case before the decision."""
    require(user, "propose_listing", subject)
    if list_type not in ListType.values:
        raise refused("list_type", _("名单类型无效：%(type)s"), type=list_type)
    basis = clean_text(basis, _("列入理由"), limit=2000)
    decision_no = clean_text(decision_no, _("列入决定文书号"), limit=100)
    if not records:
        raise refused("no_records", _("列入名单须以该主体的信用记录为依据，请至少选择一条。"))
    for record in records:
        if record.subject_id != subject.pk or record.status not in IN_FORCE:
            raise refused("record_not_usable", _("记录 %(number)s 不是该主体正在公示的记录。"), number=record.number)
        if not _grounds(list_type, record):
            raise refused(
                "record_not_grounds",
                _("记录 %(number)s 的失信行为（%(behaviour)s）不能作为列入“%(list)s”的依据。"),
                number=record.number,
                behaviour=record.behaviour.code,
                list=ListType(list_type).label,
            )
    with transaction.atomic():
        open_entry = ListEntry.objects.filter(
            subject=subject, list_type=list_type, status__in=(EntryStatus.PROPOSED, EntryStatus.LISTED)
        ).first()
        if open_entry is not None:
            raise refused(
                "already_listed",
                _("该主体已在“%(list)s”中（%(number)s）：名单期内再次失信请延长名单期限。"),
                list=ListType(list_type).label,
                number=open_entry.number,
            )
        day = today()
        entry = ListEntry.objects.create(
            number=next_numbers("LS")[0],
            subject=subject,
            list_type=list_type,
            basis=basis,
            decision_no=decision_no,
            proposed_on=day,
            statement_due=working_calendar().add_working_days(day, settings.ARTRIGHTS_CREDIT_STATEMENT_DAYS),
            created_by=user,
        )
        entry.records.set(records)
        audit.record("credit.propose_listing", entry, actor=user, changes={"records": [r.number for r in records]})
        notify(
            recipients=subject_users(subject),
            actor=user,
            kind=LISTING_PROPOSED.key,
            subject=entry,
            params={
                "number": entry.number,
                "basis": basis,
                "decision": decision_no,
                "due": entry.statement_due.isoformat(),
            },
            url=_url(entry),
        )
    return entry


@transaction.atomic
def decide_listing(*, user: Any, entry: ListEntry, list_it: bool, note: str = "", waived: bool = False) -> ListEntry:
    """After the statement period: list the subject (measures start, the public log and the subject hear of it), or
    decide not to. ``waived``: the subject gave up its statement in writing (``note`` says how), so the decision
    need not wait for the period to end."""
    require(user, "decide_listing", entry)
    if waived:
        note = clean_text(note, _("放弃陈述申辩的情况"), limit=2000)
    entry = locked(entry)
    if not list_it:
        if not note.strip():
            raise refused("note_missing", _("决定不予列入时请写明理由。"))
        LIST_FLOW.apply(entry, "drop")
        entry.ended_on, entry.exit_reason = today(), ExitReason.NOT_LISTED
        entry.save()
        audit.record("credit.drop_listing", entry, actor=user, changes={"note": note.strip()})
        return entry
    if not waived and today() <= entry.statement_due and entry.status == EntryStatus.PROPOSED:
        raise refused(
            "statement_period",
            _("陈述申辩期至 %(date)s 届满，期满后或当事人书面放弃陈述申辩后，方可作出列入决定。"),
            date=entry.statement_due.isoformat(),
        )
    LIST_FLOW.apply(entry, "list")
    period = period_of(entry.list_type)
    entry.listed_on = today()
    entry.planned_exit_on = add_months(entry.listed_on, period.months) if period.months else None
    entry.notice_sent_at = timezone.now()
    statement = statements.listing_statement(entry, [r.number for r in entry.records.all()])
    entry.log_index = statements.append(statement)
    entry.save()
    audit.record(
        "credit.list", entry, actor=user, changes={"log_index": entry.log_index, "waived": note if waived else ""}
    )
    params: dict[str, str | int] = {"number": entry.number, "basis": entry.basis, "decision": entry.decision_no}
    if entry.planned_exit_on is not None:
        kind = LISTED.key
        params.update(until=entry.planned_exit_on.isoformat(), months=period.repair_wait)
    else:
        kind = LISTED_UNTIL_MET.key
    notify(
        recipients=subject_users(entry.subject), actor=user, kind=kind, subject=entry, params=params, url=_url(entry)
    )
    regrade(entry.subject, reason=f"list {entry.number}")
    return entry


@transaction.atomic
def extend_listing(*, user: Any, entry: ListEntry, record: CreditRecord) -> ListEntry:
    """A repeat of dishonest conduct within the listing period extends it, never past the cap (§3.1)."""
    require(user, "extend", entry)
    entry = locked(entry)
    if entry.status != EntryStatus.LISTED or entry.listed_on is None or entry.planned_exit_on is None:
        raise refused("not_extendable", _("只有有期限且正在名单期内的名单记录可以延长。"))
    if record.subject_id != entry.subject_id or record.status not in IN_FORCE:
        raise refused("record_not_usable", _("记录 %(number)s 不是该主体正在公示的记录。"), number=record.number)
    if entry.records.filter(pk=record.pk).exists():
        raise refused("record_counted", _("记录 %(number)s 已经是该名单记录的依据。"), number=record.number)
    if not (entry.listed_on <= record.decided_on < entry.planned_exit_on):
        raise refused(
            "not_within_period",
            _("只有名单期内（%(start)s 至 %(end)s）再次发生的失信行为才能延长名单期限。"),
            start=entry.listed_on.isoformat(),
            end=entry.planned_exit_on.isoformat(),
        )
    period = period_of(entry.list_type)
    longest = add_months(entry.listed_on, period.cap) if period.cap else entry.planned_exit_on
    if period.extension == 0 or entry.planned_exit_on >= longest:
        raise refused(
            "at_cap",
            _("名单期限已达上限（自列入之日起 %(months)s 个月，至 %(date)s），不能再延长。"),
            months=period.cap or 0,
            date=longest.isoformat(),
        )
    before = entry.planned_exit_on
    LIST_FLOW.apply(entry, "extend")
    entry.planned_exit_on = min(add_months(before, period.extension), longest)
    entry.extensions += 1
    entry.save()
    entry.records.add(record)
    statements.append(
        statements.change_statement(
            entry,
            change="extend",
            details={"planned_exit_on": entry.planned_exit_on.isoformat(), "repeat": record.number},
        )
    )
    audit.record(
        "credit.extend_listing",
        entry,
        actor=user,
        changes={"planned_exit_on": [before.isoformat(), entry.planned_exit_on.isoformat()], "record": record.number},
    )
    notify(
        recipients=subject_users(entry.subject),
        actor=user,
        kind=LISTING_EXTENDED.key,
        subject=entry,
        params={"number": entry.number, "until": entry.planned_exit_on.isoformat(), "record": record.number},
        url=_url(entry),
    )
    return entry


@transaction.atomic
def remove_listing(*, user: Any, entry: ListEntry, reason: str, note: str) -> ListEntry:
    """Remove a subject from a list: the decision was set aside, or the obligation met (abnormal operation)."""
    require(user, "remove", entry)
    if reason not in (ExitReason.SET_ASIDE, ExitReason.OBLIGATION_MET):
        raise refused("exit_reason", _("请选择移出原因：决定被撤销，或已履行义务。"))
    clean_text(note, _("移出说明"), limit=2000)
    return end_entry(locked(entry), action="remove", reason=reason, actor=user, note=note.strip())


# The moves of LIST_FLOW that end a listing; a Literal so the audit labels' test can enumerate them.
EndEntry = Literal["remove", "repair", "expire"]


def end_entry(entry: ListEntry, *, action: EndEntry, reason: str, actor: Any, note: str = "") -> ListEntry:
    """End a listing (``action`` of ``LIST_FLOW``), in the caller's transaction: the log, the subject and the
    departments that applied measures hear of it."""
    LIST_FLOW.apply(entry, action)
    entry.ended_on, entry.exit_reason = today(), reason
    entry.save()
    statements.append(statements.removal_statement(entry, reason=reason, ended_on=entry.ended_on))
    audit.record(f"credit.{action}_listing", entry, actor=actor, changes={"reason": reason, "note": note})
    params = {"number": entry.number, "date": entry.ended_on.isoformat()}
    url = _url(entry)
    notify(
        recipients=subject_users(entry.subject), actor=actor, kind=DELISTED.key, subject=entry, params=params, url=url
    )
    notify(
        recipients=_measure_reporters(entry), actor=actor, kind=MEASURES_STOP.key, subject=entry, params=params, url=url
    )
    regrade(entry.subject, reason=f"{action} {entry.number}")
    return entry


def _measure_reporters(entry: ListEntry) -> list[Any]:
    """The staff of departments that reported a measure applied to ``entry`` and not yet stopped."""
    from django.contrib.auth import get_user_model

    reports = MeasureReport.objects.filter(entry=entry)
    applied = set(reports.filter(action=MeasureAction.APPLIED).values_list("department_id", "measure_id"))
    stopped = set(reports.filter(action=MeasureAction.STOPPED).values_list("department_id", "measure_id"))
    departments = {department for department, _measure in applied - stopped}
    return list(get_user_model()._default_manager.filter(organisation_id__in=departments, is_active=True))


def entries_resting_on(record: CreditRecord) -> list[ListEntry]:
    """The live entries ``record`` grounds that no other record in force grounds too."""
    found = []
    for entry in record.list_entries.filter(status__in=(EntryStatus.PROPOSED, EntryStatus.LISTED)):
        others = entry.records.exclude(pk=record.pk).filter(status__in=IN_FORCE)
        if not others.exists():
            found.append(entry)
    return found


def end_entries_resting_on(record: CreditRecord, *, reason: str, actor: Any) -> None:
    """When the record a listing rests on is withdrawn or de-listed, the listing ends with it."""
    for entry in entries_resting_on(record):
        entry = locked(entry)
        if entry.status == EntryStatus.PROPOSED:
            LIST_FLOW.apply(entry, "drop")
            entry.ended_on, entry.exit_reason = today(), reason
            entry.save()
            audit.record("credit.drop_listing", entry, actor=actor, changes={"reason": reason})
        else:
            end_entry(entry, action="remove", reason=reason, actor=actor)


def expire_due(on: dt.date) -> int:
    """End every listing whose period ran out by ``on``; how many."""
    due = ListEntry.objects.filter(
        Q(status=EntryStatus.LISTED) & Q(planned_exit_on__isnull=False) & Q(planned_exit_on__lte=on)
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            entry = ListEntry.objects.select_for_update().get(pk=pk)
            if entry.status == EntryStatus.LISTED:
                end_entry(entry, action="expire", reason=ExitReason.EXPIRED, actor=None)
                count += 1
    return count
