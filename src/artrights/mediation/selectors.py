"""Reads for mediation that pages and the API share: a user's cases, what is due from them and when, the roster,
the judicial confirmations to follow, and the statistics by source, outcome and duration."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import get_visible_or_404, visible_to
from artrights.core.selectors import working_calendar

from .models import (
    OPEN_STATES,
    Agreement,
    AgreementStatus,
    Case,
    CaseStatus,
    ConfirmationStatus,
    CreditReferral,
    ExtensionStatus,
    JudicialConfirmation,
    Mediator,
    ObligationStatus,
    RecusalStatus,
    ReferralStatus,
    Side,
    Source,
)
from .rules import court_name, is_case_admin, is_case_mediator


def cases_for(user: Any) -> QuerySet[Case]:
    return visible_to(user, Case.objects.select_related("mediator", "organisation")).order_by("-created_at", "-pk")


def case_for(user: Any, number: str) -> Case:
    return get_visible_or_404(user, Case.objects.select_related("mediator", "organisation"), number=number)


@dataclass(frozen=True)
class Due:
    """One thing due from a user: which case, what, by when, and whether it is late."""

    case: Case
    what: Promise | str
    due: dt.date | None
    working_days: bool

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def days_left(self) -> int | None:
        if self.due is None:
            return None
        today = timezone.localdate()
        if self.working_days:
            return working_calendar().working_days_between(today, self.due)
        return (self.due - today).days


def _party_dues(user: Any, case: Case) -> list[Due]:
    mine = [p for p in case.parties.all() if p.acts_for(user)]
    if not mine:
        return []
    found: list[Due] = []
    if case.status == CaseStatus.ACCEPTED and any(p.side == Side.RESPONDENT and p.consent is None for p in mine):
        found.append(Due(case, _("答复是否同意调解"), case.consent_due, True))
    if case.status == CaseStatus.CONSENTED and any(p.chosen_mediator_id is None for p in mine):
        found.append(Due(case, _("共同选定调解员（可选）"), case.choice_due, True))
    if case.status == CaseStatus.IN_MEDIATION:
        for extension in case.extensions.filter(status=ExtensionStatus.PENDING):
            answered = {a.case_party_id for a in extension.answers.all()}
            if any(p.pk not in answered for p in mine):
                found.append(Due(case, _("答复是否同意延长调解期限"), case.mediation_due, False))
        agreement = Agreement.objects.filter(case=case, status=AgreementStatus.DRAFT).first()
        if agreement is not None:
            signed = {
                s.case_party_id
                for s in agreement.signatures.all()
                if s.agreement_sha256 == agreement.sha256 and not s.refused
            }
            if any(p.pk not in signed for p in mine):
                found.append(Due(case, _("阅读并签署调解协议"), case.mediation_due, False))
    if case.status == CaseStatus.AGREEMENT_EFFECTIVE:
        agreement = Agreement.objects.filter(case=case, status=AgreementStatus.EFFECTIVE).first()
        if agreement is not None:
            pids = {p.pk for p in mine}
            for o in agreement.obligations.filter(status__in=(ObligationStatus.OPEN, ObligationStatus.BREACHED)):
                if o.payer_id in pids:
                    found.append(Due(case, _("履行协议义务：%(what)s") % {"what": str(o)}, o.due, False))
            if not agreement.confirmations.exists():
                found.append(Due(case, _("共同申请司法确认（可选）"), agreement.confirmation_due, False))
    return found


def _court_dues(user: Any, case: Case) -> list[Due]:
    """What a court's liaison staff are asked: receive the outcome of a case their court sent, and decide the
    judicial confirmation applications made to their court."""
    found: list[Due] = []
    court = court_name(user)
    if court:
        if case.court == court and case.status in (CaseStatus.AGREEMENT_EFFECTIVE, CaseStatus.FAILED):
            found.append(Due(case, _("接收调解结果（备案、出具调解书、立案或恢复审理）"), None, False))
        for c in JudicialConfirmation.objects.filter(agreement__case=case, court=court):
            if c.status == ConfirmationStatus.APPLIED:
                found.append(Due(case, _("决定是否受理司法确认申请"), c.acceptance_due, False))
            elif c.status == ConfirmationStatus.ACCEPTED:
                found.append(Due(case, _("作出司法确认决定"), c.decision_due, False))
    return found


def _staff_dues(user: Any, case: Case) -> list[Due]:
    found: list[Due] = []
    if is_case_admin(user, case):
        if case.status == CaseStatus.APPLIED:
            found.append(Due(case, _("决定是否受理"), case.acceptance_due, True))
        elif case.status == CaseStatus.CONSENTED:
            found.append(Due(case, _("指定调解员"), case.appointment_due, True))
        elif case.status == CaseStatus.RECUSAL_PENDING:
            found.append(Due(case, _("决定回避申请"), None, True))
        elif case.status in (CaseStatus.AGREEMENT_EFFECTIVE, CaseStatus.FAILED):
            found.append(Due(case, _("法院衔接或结案"), None, True))
        for c in JudicialConfirmation.objects.filter(agreement__case=case):
            if c.status == ConfirmationStatus.APPLIED:
                found.append(Due(case, _("登记法院是否受理司法确认"), c.acceptance_due, False))
            elif c.status == ConfirmationStatus.ACCEPTED:
                found.append(Due(case, _("登记法院的司法确认决定"), c.decision_due, False))
    found += _court_dues(user, case)
    if is_case_mediator(user, case):
        if case.status == CaseStatus.MEDIATOR_ASSIGNED:
            found.append(Due(case, _("确认接受指派并签收案件"), case.confirmation_due, True))
        elif case.status == CaseStatus.IN_MEDIATION:
            found.append(Due(case, _("在调解期限内完成调解"), case.mediation_due, False))
    return found


def due_for(user: Any) -> list[Due]:
    """Everything due from ``user`` across their cases, the earliest first (undated last)."""
    cases = (
        cases_for(user)
        .filter(
            Q(status__in=OPEN_STATES)
            | Q(status__in=(CaseStatus.AGREEMENT_EFFECTIVE, CaseStatus.FAILED))
            # a filed agreement still waits for the court's judicial confirmation
            | Q(agreement__confirmations__status__in=(ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED))
        )
        .distinct()
        .prefetch_related("parties__party")
    )
    found: list[Due] = []
    for case in cases:
        found += _party_dues(user, case) + _staff_dues(user, case)
    return sorted(found, key=lambda d: (d.due is None, d.due or dt.date.max, d.case.number))


def roster(organisation_id: int | None = None) -> QuerySet[Mediator]:
    rows = Mediator.objects.select_related("organisation", "user").annotate(
        load=Count("cases", filter=Q(cases__status__in=OPEN_STATES), distinct=True)
    )
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    return rows.order_by("name", "pk")


def pending_recusals(user: Any) -> QuerySet[Any]:
    from .models import Recusal

    return Recusal.objects.filter(case__in=cases_for(user), status=RecusalStatus.PENDING).select_related(
        "case", "mediator"
    )


def confirmations_for(user: Any) -> QuerySet[Agreement]:
    """Effective agreements of the user's cases with their confirmations (the 司法确认 desk)."""
    return (
        Agreement.objects.filter(case__in=cases_for(user), status=AgreementStatus.EFFECTIVE)
        .select_related("case")
        .prefetch_related("confirmations")
        .order_by("confirmation_due", "pk")
    )


def referrals_for(user: Any) -> QuerySet[CreditReferral]:
    return visible_to(user, CreditReferral.objects.select_related("case", "respondent")).filter(
        status=ReferralStatus.PENDING
    )


@dataclass(frozen=True)
class Stats:
    total: int
    by_source: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    average_days: dict[str, float]  # by source label: days from application to the end
    success_rate: float | None


OUTCOMES = {
    "open": _("进行中"),
    "agreement": _("达成协议"),
    "failed": _("调解不成"),
    "withdrawn": _("撤回"),
    "refused": _("未进入调解（不予受理或被申请人不同意）"),
}


def outcome(case: Case, agreed: set[int]) -> str:
    """What became of a case, whatever court step followed: agreement, failure, withdrawal, no mediation, open."""
    if case.pk in agreed:
        return "agreement"
    if case.status in OPEN_STATES:
        return "open"
    if case.status == CaseStatus.WITHDRAWN:
        return "withdrawn"
    if case.status in (CaseStatus.REJECTED, CaseStatus.ENDED):
        return "refused"
    return "failed"


def statistics(user: Any) -> Stats:
    """Cases by source, by outcome, and the mean duration from application to the end, per source."""
    cases = list(cases_for(user).select_related(None).only("source", "status", "applied_on", "ended_on"))
    agreed = set(
        Agreement.objects.filter(case__in=[c.pk for c in cases], status=AgreementStatus.EFFECTIVE).values_list(
            "case_id", flat=True
        )
    )
    sources = dict(Source.choices)
    by_source = Counter(c.source for c in cases)
    by_outcome = Counter(outcome(c, agreed) for c in cases)
    spans: dict[str, list[int]] = {}
    for c in cases:
        if c.ended_on is not None:
            spans.setdefault(c.source, []).append((c.ended_on - c.applied_on).days)
    done = by_outcome["agreement"] + by_outcome["failed"]
    return Stats(
        total=len(cases),
        by_source=[(str(sources[k]), v) for k, v in sorted(by_source.items())],
        by_outcome=[(str(OUTCOMES[k]), by_outcome[k]) for k in OUTCOMES if by_outcome[k]],
        average_days={str(sources[k]): round(sum(v) / len(v), 1) for k, v in sorted(spans.items())},
        success_rate=round(by_outcome["agreement"] / done, 3) if done else None,
    )
