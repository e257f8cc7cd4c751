"""Objections and credit repair, with the working-day clocks of the Shenzhen Social Credit Regulation.

An objection (Arts 48–51) is accepted on the spot and the record annotated at once; the city body checks it
within one working day and the provider decides within two more (three more, once, with approval). Its outcome
corrects the record, withdraws it, takes the subject off the lists it grounded, or rejects the objection.

A repair (Arts 79–82) may be asked for only once the shortest publicity period has passed (a record) or the
listing has run its minimum (§3.1: six months); it is decided within three working days (three more, once).
Approved, the record stops being published and shared, or the subject leaves the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.selectors import working_calendar
from artrights.core.services import notify
from artrights.proofs.canonical import Opening

from .. import statements
from ..models import (
    CASE_FLOW,
    RECORD_FLOW,
    AnnotationKind,
    CaseStatus,
    CreditRecord,
    EntryStatus,
    ExitReason,
    ListEntry,
    Objection,
    ObjectionGround,
    ObjectionOutcome,
    Repair,
    Severity,
    add_months,
)
from ..notifications import OBJECTION_DECIDED, OBJECTION_RECEIVED, REPAIR_DECIDED, REPAIR_RECEIVED
from ._common import locked, next_numbers, refused, supervisors, today
from .grades import regrade
from .lists import earliest_repair, end_entries_resting_on, end_entry, entries_resting_on, period_of
from .records import annotate, end_record
from .subjects import clean_text

# What a correction may change: the content of the finding, never whom it is about.
CORRECTABLE = {
    "severity": _("严重程度"),
    "source_dept": _("认定部门"),
    "decision_no": _("决定文书号"),
    "facts": _("主要事实"),
}


def _add_days(start: dt.date, days: int) -> dt.date:
    return working_calendar().add_working_days(start, days)


# --- objections ----------------------------------------------------------------------------------------------


@transaction.atomic
def file_objection(*, user: Any, record: CreditRecord, ground: str, text: str) -> Objection:
    """Object to a record: accepted now, the record annotated "under objection" everywhere it is read."""
    require(user, "object", record)
    if ground not in ObjectionGround.values:
        raise refused("ground", _("请选择异议理由。"))
    text = clean_text(text, _("异议内容"), limit=4000)
    record = locked(record)
    RECORD_FLOW.apply(record, "object")
    record.save()
    day = today()
    check_due = _add_days(day, settings.ARTRIGHTS_CREDIT_OBJECTION_CHECK_DAYS)
    objection = Objection.objects.create(
        number=next_numbers("OB")[0],
        record=record,
        applicant=user,
        ground=ground,
        text=text,
        accepted_on=day,
        check_due=check_due,
        decision_due=_add_days(check_due, settings.ARTRIGHTS_CREDIT_OBJECTION_DECISION_DAYS),
    )
    annotate(record, kind=AnnotationKind.OBJECTION, text=objection.number, actor=user)
    statements.append(statements.change_statement(record, change="object", details={"case": objection.number}))
    audit.record("credit.object", objection, actor=user, changes={"record": record.number})
    notify(
        recipients=supervisors(),
        actor=user,
        kind=OBJECTION_RECEIVED.key,
        subject=objection,
        params={
            "number": objection.number,
            "record": record.number,
            "check_due": objection.check_due.isoformat(),
            "due": objection.decision_due.isoformat(),
        },
        url=reverse("credit:objection", args=[objection.number]),
    )
    return objection


def _tell_applicant(case: Objection | Repair, kind: str, url_name: str, *, actor: Any) -> None:
    """The applicant hears how their objection or repair was decided, and why."""
    notify(
        recipients=[case.applicant],
        actor=actor,
        kind=kind,
        subject=case,
        params={"number": case.number, "decision": case.decision},
        url=reverse(url_name, args=[case.number]),
    )


def _extend(case: Objection | Repair, *, user: Any, reason: str) -> Objection | Repair:
    require(user, "decide", case)
    reason = clean_text(reason, _("延长理由"), limit=2000)
    case = locked(case)
    if case.extended:
        raise refused("extended", _("处理期限只能延长一次。"))
    CASE_FLOW.apply(case, "extend")
    before = case.decision_due
    case.decision_due = _add_days(before, settings.ARTRIGHTS_CREDIT_EXTENSION_DAYS)
    case.extended = True
    case.save()
    audit.record(
        "credit.extend_case",
        case,
        actor=user,
        changes={"decision_due": [before.isoformat(), case.decision_due.isoformat()], "reason": reason},
    )
    return case


@transaction.atomic
def extend_objection(*, user: Any, objection: Objection, reason: str) -> Objection:
    """Three more working days for the provider, once, with the head's approval (S20 Art 51)."""
    extended = _extend(objection, user=user, reason=reason)
    assert isinstance(extended, Objection)
    return extended


def _correct(record: CreditRecord, corrections: dict[str, str], actor: Any) -> list[str]:
    changed = [name for name in CORRECTABLE if name in corrections and corrections[name] != getattr(record, name)]
    if not changed:
        raise refused("nothing_corrected", _("更正时请至少修改一项：严重程度、认定部门、决定文书号或主要事实。"))
    if "severity" in changed:
        if corrections["severity"] not in Severity.values:
            raise refused(
                "severity",
                _("严重程度无效：%(value)s（应为 minor、general 或 serious）。"),
                value=corrections["severity"],
            )
        low, high = record.behaviour.publicity_months(corrections["severity"])
        record.min_publicity_end = add_months(record.decided_on, low)
        record.max_publicity_end = add_months(record.decided_on, high)
    for name in changed:
        label = CORRECTABLE[name]
        if name != "severity":
            corrections[name] = clean_text(
                corrections[name], label, limit=2000 if name == "facts" else 100, multiline=name == "facts"
            )
        setattr(record, name, corrections[name])
    return changed


def _apply_outcome(
    objection: Objection, record: CreditRecord, outcome: str, corrections: dict[str, str], user: Any
) -> None:
    if outcome == ObjectionOutcome.CORRECT:
        changed = _correct(record, corrections, user)
        RECORD_FLOW.apply(record, "correct")
        record.save()
        content = Opening.new(statements.content_value(record))
        record.openings = {**record.openings, "content": [*record.openings.get("content", []), content.to_json()]}
        record.save(update_fields=["openings"])
        details = {
            "case": objection.number,
            "fields": changed,
            "content": content.commitment,
            "severity": record.severity,
            "min_publicity_end": record.min_publicity_end.isoformat(),
            "max_publicity_end": record.max_publicity_end.isoformat(),
        }
        statements.append(statements.change_statement(record, change="correct", details=details))
        annotate(
            record,
            kind=AnnotationKind.CORRECTION,
            text="、".join(str(CORRECTABLE[f]) for f in changed),
            actor=user,
        )
    elif outcome == ObjectionOutcome.WITHDRAW:
        end_record(record, action="withdraw", actor=user, exit_reason=ExitReason.OBJECTION)
    elif outcome == ObjectionOutcome.DELIST:
        if not entries_resting_on(record):
            raise refused("not_listed", _("这条记录没有作为任何在列名单的唯一依据，无需移出名单。"))
        RECORD_FLOW.apply(record, "delist")
        record.save()
        end_entries_resting_on(record, reason=ExitReason.OBJECTION, actor=user)
        statements.append(statements.change_statement(record, change="delist", details={"case": objection.number}))
    else:
        RECORD_FLOW.apply(record, "reject_objection")
        record.save()
        statements.append(
            statements.change_statement(record, change="reject_objection", details={"case": objection.number})
        )


@transaction.atomic
def decide_objection(
    *, user: Any, objection: Objection, outcome: str, decision: str, corrections: dict[str, str] | None = None
) -> Objection:
    """Decide an objection: correct the record, withdraw it, take the subject off the lists it grounded, or
    reject the objection; the record's annotation says how it ended, and the applicant is told."""
    require(user, "decide", objection)
    if outcome not in ObjectionOutcome.values:
        raise refused("outcome", _("请选择处理结果：更正、撤回记录、移出名单或异议不成立。"))
    decision = clean_text(decision, _("处理意见"), limit=4000)
    objection = locked(objection)
    record = locked(objection.record)
    CASE_FLOW.apply(objection, "decide")
    _apply_outcome(objection, record, outcome, corrections or {}, user)
    objection.outcome, objection.decision = outcome, decision
    objection.decided_by, objection.decided_at = user, timezone.now()
    objection.save()
    annotate(record, kind=AnnotationKind.OUTCOME, text=f"{objection.number}：{decision}", actor=user)
    audit.record("credit.decide_objection", objection, actor=user, changes={"outcome": outcome})
    _tell_applicant(objection, OBJECTION_DECIDED.key, "credit:objection", actor=user)
    regrade(record.subject, reason=f"objection {objection.number}")
    return objection


# --- repair --------------------------------------------------------------------------------------------------


def _check_repair_wait(target: CreditRecord | ListEntry, on: dt.date) -> None:
    if isinstance(target, CreditRecord):
        if not target.behaviour.repairable:
            raise refused(
                "not_repairable",
                _("依据失信行为目录，%(behaviour)s 类记录不适用信用修复。"),
                behaviour=target.behaviour.code,
            )
        if on < target.min_publicity_end:
            raise refused(
                "repair_too_early",
                _(
                    "依据《深圳经济特区社会信用条例》第七十九条，最短公示期届满后方可申请信用修复："
                    "记录 %(number)s 的最短公示期至 %(date)s 届满。"
                ),
                number=target.number,
                date=target.min_publicity_end.isoformat(),
            )
        return
    earliest = earliest_repair(target)
    if earliest is not None and on < earliest:
        raise refused(
            "repair_too_early",
            _(
                "依据《知识产权信用管理规定》，列入名单之日起满 %(months)s 个月后方可申请信用修复："
                "名单记录 %(number)s 自 %(date)s 起可以申请。"
            ),
            months=period_of(target.list_type).repair_wait,
            number=target.number,
            date=earliest.isoformat(),
        )


def ask_repair(
    *, user: Any, measures_taken: str, record: CreditRecord | None = None, entry: ListEntry | None = None
) -> Repair:
    """Ask for credit repair of a record or a listing, naming the measures taken (commitment, rectification,
    training, a credit report); refused, with the rule's name, before the shortest period has passed."""
    target: CreditRecord | ListEntry | None = record or entry
    if target is None or (record is not None and entry is not None):
        raise refused("repair_target", _("请选择要修复的一条信用记录或一条名单记录。"))
    require(user, "ask_repair", target)
    _check_repair_wait(target, today())
    measures_taken = clean_text(measures_taken, _("已采取的修复措施"), limit=4000)
    with transaction.atomic():
        target = locked(target)
        open_case = Repair.objects.filter(status=CaseStatus.UNDER_REVIEW).filter(
            record=target if isinstance(target, CreditRecord) else None,
            entry=target if isinstance(target, ListEntry) else None,
        )
        if open_case.exists():
            raise refused("repair_open", _("这项信用修复申请正在处理中，请等待结果。"))
        day = today()
        repair = Repair.objects.create(
            number=next_numbers("RP")[0],
            record=target if isinstance(target, CreditRecord) else None,
            entry=target if isinstance(target, ListEntry) else None,
            applicant=user,
            measures_taken=measures_taken,
            accepted_on=day,
            decision_due=_add_days(day, settings.ARTRIGHTS_CREDIT_REPAIR_DECISION_DAYS),
        )
        audit.record("credit.ask_repair", repair, actor=user, changes={"target": target.number})
        notify(
            recipients=supervisors(),
            actor=user,
            kind=REPAIR_RECEIVED.key,
            subject=repair,
            params={"number": repair.number, "due": repair.decision_due.isoformat()},
            url=reverse("credit:repair", args=[repair.number]),
        )
    return repair


@transaction.atomic
def extend_repair(*, user: Any, repair: Repair, reason: str) -> Repair:
    """Three more working days, once (S20 Art 82)."""
    extended = _extend(repair, user=user, reason=reason)
    assert isinstance(extended, Repair)
    return extended


@transaction.atomic
def decide_repair(*, user: Any, repair: Repair, approve: bool, decision: str) -> Repair:
    """Approve a repair (the record stops being published and shared, or the subject leaves the list) or refuse
    it with reasons; the applicant is told."""
    require(user, "decide", repair)
    decision = clean_text(decision, _("处理意见"), limit=4000)
    repair = locked(repair)
    CASE_FLOW.apply(repair, "decide")
    if approve:
        target = locked(repair.target)
        if isinstance(target, CreditRecord):
            if not RECORD_FLOW.can(target, "repair"):
                raise refused(
                    "repair_state",
                    _("记录 %(number)s 当前不能修复（%(status)s）。"),
                    number=target.number,
                    status=target.get_status_display(),
                )
            end_record(target, action="repair", actor=user, note=f"{repair.number}：{decision}")
        else:
            if target.status != EntryStatus.LISTED:
                raise refused(
                    "repair_state", _("名单记录 %(number)s 当前不在名单中。"), number=target.number, status=""
                )
            end_entry(target, action="repair", reason=ExitReason.REPAIRED, actor=user, note=decision)
    repair.approved, repair.decision = approve, decision
    repair.decided_by, repair.decided_at = user, timezone.now()
    repair.save()
    audit.record("credit.decide_repair", repair, actor=user, changes={"approved": approve})
    _tell_applicant(repair, REPAIR_DECIDED.key, "credit:repair", actor=user)
    regrade(repair.subject, reason=f"repair {repair.number}")
    return repair
