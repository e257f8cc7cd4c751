"""Royalty reports and payments against running-royalty licences; reminders for what is overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.services import notify

from .. import integrity, notifications, selectors
from ..models import RUNNING_MODELS, Contract, ContractKind, Reminder, RoyaltyModel, RoyaltyPayment, RoyaltyReport
from ._common import today


def _not_running(contract: Contract, why_zh: str, why_en: str) -> integrity.RuleBroken:
    return integrity.RuleBroken(integrity.NOT_RUNNING, f"{contract.number}：{why_zh}", f"{contract.number}: {why_en}")


@transaction.atomic
def report_royalty(
    *, user: Any, contract: Contract, period_start: dt.date, revenue: Decimal, units: int = 0
) -> RoyaltyReport:
    """The licensee reports one ended period's sales; the royalty due follows from the contract's terms, plus,
    under a minimum guarantee, what the royalty fell short of the period's share of the guarantee (for a period a
    termination cut short, the share for the days it ran)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(user, "report_royalty", contract)
    if contract.kind != ContractKind.LICENCE or contract.royalty_model not in RUNNING_MODELS:
        raise _not_running(contract, "不是按销售提成或按件计酬的许可", "not a running or per-unit royalty licence")
    if not contract.takes_royalties:
        raise _not_running(contract, "合同尚未备案或已取消", "the contract is not filed or was cancelled")
    if contract.terminated_on is not None and period_start > contract.terminated_on:
        raise _not_running(
            contract,
            f"合同已于 {contract.terminated_on.isoformat()} 终止，只能报送终止日及之前的期间",
            f"the contract was terminated on {contract.terminated_on.isoformat()}; only periods up to that day "
            "can be reported",
        )
    if period_start < contract.valid_from or (contract.valid_until and period_start > contract.valid_until):
        raise _not_running(contract, "报告期间不在许可期限内", "the period is outside the licence term")
    if revenue < 0 or units < 0:
        raise ValidationError(_("销售额和件数不能为负数。"))
    period = next((p for p in selectors.periods(contract) if p.start == period_start), None)
    if period is None:
        raise ValidationError(_("该期间尚未结束或不是本合同的报告期间。"))
    if period.report is not None:
        raise ValidationError(_("该期间已经报送。"))
    royalty = contract.royalty_of(revenue=revenue, units=units)
    recouped = Decimal(0)
    if contract.royalty_model == RoyaltyModel.ADVANCE:
        earlier = sum((r.royalty for r in contract.royalty_reports.all()), Decimal(0))
        recouped = min(royalty, max(contract.price - earlier, Decimal(0)))
    top_up = Decimal(0)
    if contract.royalty_model == RoyaltyModel.MINIMUM_GUARANTEE:
        top_up = max(selectors.guarantee_share(contract, period) - royalty, Decimal(0))
    reported = today()
    try:
        with transaction.atomic():
            report = RoyaltyReport.objects.create(
                contract=contract,
                period_start=period.start,
                period_end=period.end,
                revenue=revenue,
                units=units,
                royalty=royalty,
                recouped=recouped,
                top_up=top_up,
                amount_due=royalty - recouped + top_up,
                payment_due=reported + dt.timedelta(days=selectors.PAYMENT_DAYS),
                reported_by=user,
            )
    except IntegrityError:
        raise ValidationError(_("该期间已经报送。")) from None
    audit.record("licensing.report_royalty", report, actor=user)
    notify(
        recipients=[contract.licensor_user],
        actor=user,
        kind=notifications.ROYALTY_REPORTED.key,
        subject=contract,
        params={
            "number": contract.number,
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "amount": str(report.amount_due),
            "due": report.payment_due.isoformat(),
        },
        url=reverse("licensing:contract", args=[contract.number]),
    )
    if top_up > 0:
        notify(
            recipients=[contract.licensee_user, contract.licensor_user],
            kind=notifications.GUARANTEE_SHORTFALL.key,
            subject=contract,
            params={
                "number": contract.number,
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
                "amount": str(top_up),
                "due": report.payment_due.isoformat(),
            },
            url=reverse("licensing:contract", args=[contract.number]),
        )
    return report


@transaction.atomic
def record_payment(
    *,
    user: Any,
    contract: Contract,
    amount: Decimal,
    paid_on: dt.date,
    report: RoyaltyReport | None = None,
    reference: str = "",
) -> RoyaltyPayment:
    """A payment against a report (or, without one, the lump sum, advance or guarantee)."""
    require(user, "record_payment", contract)
    if not contract.takes_royalties:
        raise ValidationError(_("合同备案后才能记录付款。"))
    if amount <= 0:
        raise ValidationError(_("付款金额必须大于零。"))
    if paid_on > today():
        raise ValidationError(_("付款日期不能晚于今天。"))
    if report is not None and report.contract_id != contract.pk:
        raise ValidationError(_("该报告不属于本合同。"))
    # A terminated licence still takes payments on any day: what was owed for the time before the termination (a
    # royalty report, an unpaid lump sum) is often settled after it, and refusing the record loses real money.
    payment = RoyaltyPayment.objects.create(
        contract=contract, report=report, amount=amount, paid_on=paid_on, reference=reference[:60], recorded_by=user
    )
    audit.record("licensing.record_payment", payment, actor=user)
    notify(
        recipients=[contract.licensor_user, contract.licensee_user],
        actor=user,
        kind=notifications.PAYMENT_RECORDED.key,
        subject=contract,
        params={"number": contract.number, "amount": str(amount), "date": paid_on.isoformat()},
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return payment


def send_reminders() -> int:
    """Remind the licensee (copying the licensor) once of each overdue report and each overdue payment."""
    sent = 0
    found = selectors.dues(selectors.running_contracts())
    items: list[tuple[Contract, str, dt.date, str, dict[str, Any]]] = []
    for contract, period in found.reports_overdue:
        params = {
            "number": contract.number,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "due": period.report_due.isoformat(),
        }
        items.append((contract, "report", period.start, notifications.REPORT_OVERDUE.key, params))
    for report in found.overdue_payments:
        params = {
            "number": report.contract.number,
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "amount": str(report.outstanding),
            "due": report.payment_due.isoformat(),
        }
        items.append((report.contract, "payment", report.period_start, notifications.PAYMENT_OVERDUE.key, params))
    for contract, kind, start, key, params in items:
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(contract=contract, kind=kind, period_start=start)
            if not created:
                continue
            notify(
                recipients=[contract.licensee_user, contract.licensor_user],
                kind=key,
                subject=contract,
                params=params,
                url=reverse("licensing:contract", args=[contract.number]),
            )
            sent += 1
    return sent
