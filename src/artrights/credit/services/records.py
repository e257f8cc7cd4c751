"""Credit records (DOMAIN.md §3.6, §3.8): recorded from a department's decision, published with their periods, and
ended by withdrawal, repair or expiry. Publishing and every end is a statement in the public log, in the same
transaction as the row; the subject is told each time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.services import notify
from artrights.core.validators import validate_plain_text

from .. import statements
from ..models import (
    RECORD_FLOW,
    Annotation,
    AnnotationKind,
    Behaviour,
    CreditRecord,
    CreditSubject,
    Disclosure,
    ExitReason,
    RecordStatus,
    Severity,
    ShareScope,
    add_months,
)
from ..notifications import RECORD_ENDED, RECORD_PUBLISHED
from ._common import locked, next_numbers, refused, subject_users, today
from .grades import regrade
from .lists import end_entries_resting_on
from .subjects import clean_text


@dataclass(frozen=True)
class RecordInput:
    """A finding of dishonest conduct as a form, the API or an import row gives it; empty severity, disclosure and
    share scope take the catalogue entry's defaults."""

    behaviour_code: str
    source_dept: str
    decision_no: str
    decided_on: dt.date
    severity: str = ""
    facts: str = ""
    disclosure: str = ""
    share_scope: str = ""


def active_behaviours() -> dict[str, Behaviour]:
    return {b.code: b for b in Behaviour.objects.filter(active=True)}


def checked_record_fields(
    data: RecordInput, *, on: dt.date, behaviours: Mapping[str, Behaviour] | None = None
) -> dict[str, Any]:
    """The fields of a new record after every check, or a refusal that says what is wrong (an import checks each
    row with this before it writes anything)."""
    code = (data.behaviour_code or "").strip().upper()
    behaviour = (behaviours if behaviours is not None else active_behaviours()).get(code)
    if behaviour is None:
        raise refused(
            "unknown_behaviour", _("未知的失信行为代码：%(code)s（请使用失信行为目录中启用的代码）。"), code=code or "—"
        )
    severity = data.severity or behaviour.default_severity
    if severity not in Severity.values:
        raise refused("severity", _("严重程度无效：%(value)s（应为 minor、general 或 serious）。"), value=severity)
    if data.decided_on > on:
        raise refused(
            "future_date",
            _("决定日期 %(date)s 晚于今天（%(today)s）：不能录入尚未作出的决定。"),
            date=data.decided_on.isoformat(),
            today=on.isoformat(),
        )
    low, high = behaviour.publicity_months(severity)
    max_end = add_months(data.decided_on, high)
    if max_end <= on:
        raise refused(
            "publicity_over",
            _("该记录的最长公示期已于 %(date)s 届满，不再公示。"),
            date=max_end.isoformat(),
        )
    disclosure = data.disclosure or behaviour.disclosure
    if disclosure not in Disclosure.values:
        raise refused("disclosure", _("公开属性无效：%(value)s"), value=disclosure)
    share_scope = data.share_scope or behaviour.share_scope
    if share_scope not in ShareScope.values:
        raise refused("share_scope", _("共享范围无效：%(value)s"), value=share_scope)
    facts = (data.facts or "").strip()
    try:
        validate_plain_text(facts, multiline=True)
    except ValidationError as exc:
        raise refused("hidden_characters", _("主要事实：%(reason)s"), reason=exc.messages[0]) from None
    return {
        "behaviour": behaviour,
        "severity": severity,
        "source_dept": clean_text(data.source_dept, _("认定部门")),
        "decision_no": clean_text(data.decision_no, _("决定文书号"), limit=100),
        "decided_on": data.decided_on,
        "facts": facts[:2000],
        "disclosure": disclosure,
        "share_scope": share_scope,
        "min_publicity_end": add_months(data.decided_on, low),
        "max_publicity_end": max_end,
    }


def _url(record: CreditRecord) -> str:
    return reverse("credit:record", args=[record.number])


def record_conduct(*, user: Any, subject: CreditSubject, data: RecordInput, publish: bool = True) -> CreditRecord:
    """Record a department's finding of dishonest conduct and (by default) publish it at once."""
    require(user, "record", subject)
    fields = checked_record_fields(data, on=today())
    with transaction.atomic():
        duplicate = CreditRecord.objects.filter(
            subject=subject, behaviour=fields["behaviour"], decision_no=fields["decision_no"]
        ).first()
        if duplicate is not None:
            raise refused(
                "duplicate",
                _("该主体依据同一决定（%(decision)s）的同类记录已经录入：%(number)s。"),
                decision=fields["decision_no"],
                number=duplicate.number,
            )
        record = CreditRecord.objects.create(number=next_numbers("CR")[0], subject=subject, recorded_by=user, **fields)
        audit.record("credit.record", record, actor=user)
        if publish:
            publish_now(record, actor=user)
    return record


def publish_now(record: CreditRecord, *, actor: Any) -> CreditRecord:
    """Publish a recorded record in the caller's transaction: statement, subject told, grade recomputed."""
    RECORD_FLOW.apply(record, "publish")
    record.published_on = today()
    record.log_index = statements.append(statements.record_statement(record))
    record.save()
    audit.record("credit.publish", record, actor=actor, changes={"log_index": record.log_index})
    tell_published(record, subject_users(record.subject), actor=actor)
    regrade(record.subject, reason=f"publish {record.number}")
    return record


def tell_published(record: CreditRecord, recipients: Iterable[Any], *, actor: Any) -> None:
    """The subject's accounts hear that ``record`` is published, with the periods and their rights."""
    notify(
        recipients=recipients,
        actor=actor,
        kind=RECORD_PUBLISHED.key,
        subject=record,
        params={
            "number": record.number,
            "department": record.source_dept,
            "decision": record.decision_no,
            "min_end": record.min_publicity_end.isoformat(),
            "max_end": record.max_publicity_end.isoformat(),
        },
        url=_url(record),
    )


@transaction.atomic
def publish(*, user: Any, record: CreditRecord) -> CreditRecord:
    """Publish a record that was saved without publishing."""
    require(user, "publish", record)
    return publish_now(locked(record), actor=user)


@transaction.atomic
def withdraw(*, user: Any, record: CreditRecord, note: str) -> CreditRecord:
    """The decision the record rests on was revoked or changed: stop publishing it (S22 Art 11), and end the
    listings that rest on it alone."""
    require(user, "withdraw", record)
    note = clean_text(note, _("撤回理由"), limit=2000)
    return end_record(locked(record), action="withdraw", actor=user, note=note)


def annotate(record: CreditRecord, *, kind: str, text: str, actor: Any) -> Annotation:
    from django.utils import timezone

    return Annotation.objects.create(record=record, kind=kind, text=text, at=timezone.now(), by=actor)


# The moves of RECORD_FLOW that end a record; a Literal so the audit labels' test can enumerate them.
EndRecord = Literal["withdraw", "repair", "expire"]


def end_record(
    record: CreditRecord, *, action: EndRecord, actor: Any, note: str = "", exit_reason: str = ExitReason.SET_ASIDE
) -> CreditRecord:
    """Stop publishing and sharing a record (``action`` of ``RECORD_FLOW``: withdraw, repair, expire), in the
    caller's transaction; withdrawn, the listings resting on it alone end too (for ``exit_reason``)."""
    was_published = record.log_index is not None
    RECORD_FLOW.apply(record, action)
    record.ended_on = today()
    record.save()
    if was_published:
        statements.append(statements.removal_statement(record, reason=action, ended_on=record.ended_on))
    if note:
        annotate(record, kind=AnnotationKind.OUTCOME, text=note, actor=actor)
    audit.record(f"credit.{action}", record, actor=actor, changes={"note": note})
    if action == "withdraw":
        end_entries_resting_on(record, reason=exit_reason, actor=actor)
    notify(
        recipients=subject_users(record.subject),
        actor=actor,
        kind=RECORD_ENDED.key,
        subject=record,
        params={"number": record.number, "date": record.ended_on.isoformat()},
        url=_url(record),
    )
    regrade(record.subject, reason=f"{action} {record.number}")
    return record


def expire_due(on: dt.date) -> int:
    """Stop publishing every record whose longest publicity period ran out by ``on``; how many."""
    due = CreditRecord.objects.filter(
        status__in=(RecordStatus.PUBLISHED, RecordStatus.CORRECTED, RecordStatus.DE_LISTED), max_publicity_end__lte=on
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            record = CreditRecord.objects.select_for_update().get(pk=pk)
            if RECORD_FLOW.can(record, "expire"):
                end_record(record, action="expire", actor=None)
                count += 1
    return count
