"""Agency grades (DOMAIN.md §3.3): the evidence of each indicator gathered from records, listings and the material
supervisors enter, graded by the framework-free ``grading`` module, published with every line.

A grade is recomputed in the transaction of every change to the agency's records, listings or material; a new
``Evaluation`` row (and a statement in the public log) is written only when the result changed, so the rows are
the grade's history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit

from .. import grading, statements
from ..models import (
    IN_FORCE,
    CreditRecord,
    CreditSubject,
    EntryStatus,
    Evaluation,
    EvidenceSource,
    Indicator,
    ListEntry,
    ManualEvidence,
    add_months,
)
from ._common import locked, next_numbers, refused, today
from .subjects import clean_text


def scale() -> grading.Scale:
    a, b, c = settings.ARTRIGHTS_CREDIT_GRADE_FLOORS
    return grading.Scale(
        start=settings.ARTRIGHTS_CREDIT_GRADE_START, a=a, b=b, c=c, a_plus_bonus=settings.ARTRIGHTS_CREDIT_A_PLUS_BONUS
    )


def _since(indicator: Indicator, on: dt.date) -> dt.date | None:
    return add_months(on, -indicator.window_months) if indicator.window_months else None


def evidence_of(subject: CreditSubject, indicators: list[Indicator], on: dt.date) -> list[grading.Evidence]:
    """Every piece of evidence the active indicators count for ``subject`` on ``on``: records in force of the
    indicator's behaviours, current listings on its lists, and material not withdrawn, within its window."""
    found: list[grading.Evidence] = []
    records = list(CreditRecord.objects.filter(subject=subject, status__in=IN_FORCE).select_related("behaviour"))
    entries = list(ListEntry.objects.filter(subject=subject, status=EntryStatus.LISTED))
    material = list(ManualEvidence.objects.filter(subject=subject, withdrawn_at__isnull=True))
    for indicator in indicators:
        since = _since(indicator, on)
        if indicator.evidence_source == EvidenceSource.RECORD:
            found += [
                grading.Evidence(indicator.code, r.number)
                for r in records
                if r.behaviour.code in indicator.behaviour_codes and (since is None or r.decided_on >= since)
            ]
        elif indicator.evidence_source == EvidenceSource.LISTING:
            found += [
                grading.Evidence(indicator.code, e.number) for e in entries if e.list_type in indicator.list_types
            ]
        else:
            found += [
                grading.Evidence(indicator.code, m.reference)
                for m in material
                if m.indicator_id == indicator.pk and (since is None or m.dated >= since)
            ]
    return found


def recompute(*, subject: CreditSubject, reason: str) -> Evaluation | None:
    """The agency's grade now; a new published evaluation when it changed (None for a subject that is no agency)."""
    if not subject.is_agency:
        return None
    indicators = list(Indicator.objects.filter(active=True))
    spec = {i.code: grading.Indicator(i.code, i.kind, i.points, i.cap) for i in indicators}
    result = grading.evaluate(spec, evidence_of(subject, indicators, today()), scale())
    lines = [line.to_json() for line in result.lines]
    latest = subject.evaluations.order_by("-at", "-pk").first()
    if latest is not None and (latest.score, latest.bonus, latest.grade, latest.lines) == (
        result.score,
        result.bonus,
        result.grade,
        lines,
    ):
        return latest
    with transaction.atomic():
        evaluation = Evaluation(
            number=next_numbers("EV")[0],
            subject=subject,
            score=result.score,
            bonus=result.bonus,
            grade=result.grade,
            lines=lines,
            reason=reason[:200],
            at=timezone.now(),
        )
        statement, evaluation.openings = statements.grade_statement(evaluation, evaluation.number)
        evaluation.log_index = statements.append(statement)
        evaluation.save()
    return evaluation


def regrade(subject: CreditSubject, *, reason: str) -> None:
    """Recompute an agency's grade after a change to what it rests on (no-op for other subjects)."""
    if subject.is_agency:
        recompute(subject=subject, reason=reason)


@transaction.atomic
def add_evidence(
    *, user: Any, subject: CreditSubject, indicator_code: str, reference: str, dated: dt.date, note: str = ""
) -> ManualEvidence:
    """Material a supervisor enters for an indicator that records and lists do not cover (an honour, a suspension
    order); the grade follows at once."""
    require(user, "evaluate", subject)
    indicator = Indicator.objects.filter(code=indicator_code, active=True).first()
    if indicator is None or indicator.evidence_source != EvidenceSource.MANUAL:
        raise refused("indicator", _("指标 %(code)s 不存在，或不是由监管人员录入材料的指标。"), code=indicator_code)
    if dated > today():
        raise refused("future_date", _("材料日期 %(date)s 晚于今天。"), date=dated.isoformat())
    evidence = ManualEvidence.objects.create(
        subject=subject,
        indicator=indicator,
        reference=clean_text(reference, _("材料文号"), limit=100),
        note=clean_text(note, _("说明"), required=False, limit=2000),
        dated=dated,
        added_by=user,
    )
    audit.record("credit.add_evidence", evidence, actor=user)
    recompute(subject=subject, reason=f"evidence {indicator.code} {evidence.reference}")
    return evidence


@transaction.atomic
def withdraw_evidence(*, user: Any, evidence: ManualEvidence, reason: str) -> ManualEvidence:
    """Material entered in error stops counting (it stays on record, with the reason)."""
    require(user, "evaluate", evidence.subject)
    evidence = locked(evidence)
    if evidence.withdrawn_at is not None:
        raise refused("withdrawn", _("这份材料已经撤回。"))
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_reason = clean_text(reason, _("撤回理由"), limit=300)
    evidence.save()
    audit.record("credit.withdraw_evidence", evidence, actor=user)
    recompute(subject=evidence.subject, reason=f"withdrawn {evidence.indicator.code} {evidence.reference}")
    return evidence
