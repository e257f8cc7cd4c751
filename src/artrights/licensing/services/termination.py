"""Ending a filed licence before its term: one side records the day it ended, the ground and the reason.

The termination is appended to the public log (``artrights/contract-termination@v1``: the contract filing it
ends, the day, the ground and the terms hash; no party, no reason text). The licence then stops counting as a
grant (``selectors.grants_in_force`` reads only filed contracts), the royalty reminders stop with it, the open
sub-licence offers under it close through the one rule that closes offers whose licence ended
(``offers.close_ended_sublicence_offers``), and the other side is told. A sub-licence cannot outlive the licence
it was granted under: each filed one under it ends on the same day through the same recording (its own log
entry, ground ``parent_terminated``), and so on down; one still to be signed is cancelled. The royalties earned
up to the termination day are still reported and paid (``royalties``), the reminders no longer sent.
The registry's contract filing stays as it was filed (the registry records no end of a filing); the log entry
refers to it, and the work's public title page shows the licence as terminated from licensing's record.

The termination day is a day that has come: from the licence's start (or from its filing, for a licence filed
ahead of its start) to today. A notice of termination for a day still to come is not recorded here: the side
records it on the day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.services import notify
from artrights.ledger import services as ledger
from artrights.ledger.keys import log_origin
from artrights.proofs.statements import StatementType, check_statement

from .. import notifications
from ..models import CONTRACT_FLOW, Contract, ContractKind, ContractStatus, TerminationGround
from . import offers
from ._common import today

REASON_MAX = 1000


def earliest_termination(contract: Contract) -> dt.date:
    """The first day a licence can be terminated on: its start, or its filing day when it was filed ahead."""
    filed = timezone.localdate(contract.filed_at) if contract.filed_at else contract.valid_from
    return min(contract.valid_from, filed)


def check_terminable(contract: Contract, *, day: dt.date) -> None:
    """Why ``contract`` cannot be terminated now, if it cannot: not a licence, not filed, or already over."""
    if contract.kind != ContractKind.LICENCE:
        raise ValidationError(_("只有许可合同可以在平台上终止；转让合同备案后权利已经转移。"))
    if contract.status == ContractStatus.TERMINATED:
        raise ValidationError(
            _("本合同已于 %(date)s 终止，不能重复终止。")
            % {"date": contract.terminated_on.isoformat() if contract.terminated_on else ""}
        )
    if contract.status != ContractStatus.FILED:
        raise ValidationError(_("合同尚未签署备案（或已取消），不能终止；待签署的合同可以直接取消。"))
    if contract.valid_until is not None and contract.valid_until < day:
        raise ValidationError(_("本许可已于 %(date)s 期满，无需终止。") % {"date": contract.valid_until.isoformat()})


def termination_statement(contract: Contract) -> dict[str, Any]:
    """The public record of a termination: which filing ended, on which day, on which ground; no personal data."""
    filing = contract.filing
    assert filing is not None  # a filed licence has its filing
    return check_statement(
        {
            "type": StatementType.CONTRACT_TERMINATION,
            "registry": log_origin(),
            "number": filing.number,
            "registered_at": timezone.now().isoformat(),
            "terminated_on": contract.terminated_on.isoformat() if contract.terminated_on else None,
            "ground": contract.termination_ground,
            "contract_sha256": contract.sha256,
            "refers_to": [filing.number],
        }
    )


@transaction.atomic
def terminate_contract(*, user: Any, contract: Contract, on_date: dt.date, ground: str, reason: str) -> Contract:
    """The licensor or the licensee ends a filed licence on ``on_date`` (from its start to today) on a ground,
    with the reason; its open sub-licence offers close, the sub-licences granted under it end (or, not yet
    signed, are cancelled) on the same day, and the other side is told."""
    contract = Contract.objects.select_for_update().select_related("work").get(pk=contract.pk)
    require(user, "terminate", contract)
    day = today()
    check_terminable(contract, day=day)
    if ground not in TerminationGround.values or ground == TerminationGround.PARENT_TERMINATED:
        raise ValidationError(_("请选择终止事由。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请写明终止合同的理由（如协商一致的约定、对方违约的事实）。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("终止理由不超过 %(max)s 个字符。") % {"max": REASON_MAX})
    if on_date > day:
        raise ValidationError(_("终止日不能晚于今天：请在合同终止之日登记。"))
    earliest = earliest_termination(contract)
    if on_date < earliest:
        raise ValidationError(_("终止日不能早于合同的起始日期 %(date)s。") % {"date": earliest.isoformat()})
    _record_termination(contract, user=user, on_date=on_date, ground=ground, reason=reason)
    party = contract.licensor if user.pk == contract.licensor_user_id else contract.licensee
    notify(
        recipients=[contract.licensor_user, contract.licensee_user],
        actor=user,
        kind=notifications.TERMINATED.key,
        subject=contract,
        params={
            "number": contract.number,
            "title": contract.work.title,
            "party": party.name,
            "date": on_date.isoformat(),
            "reason": reason,
        },
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return contract


def _record_termination(contract: Contract, *, user: Any, on_date: dt.date, ground: str, reason: str) -> None:
    """What every termination records, in the caller's transaction: the contract's end, the public log entry, the
    audit event, its open sub-licence offers closed and, in turn, the sub-licences granted under it ended."""
    CONTRACT_FLOW.apply(contract, "terminate")
    contract.terminated_on = on_date
    contract.termination_ground = ground
    contract.termination_reason = reason
    contract.terminated_by = user
    contract.terminated_at = timezone.now()
    contract.termination_log_index = ledger.append(
        kind=StatementType.CONTRACT_TERMINATION, statement=termination_statement(contract)
    ).index
    contract.save(
        update_fields=[
            "status",
            "terminated_on",
            "termination_ground",
            "termination_reason",
            "terminated_by",
            "terminated_at",
            "termination_log_index",
        ]
    )
    audit.record(
        "licensing.terminate",
        contract,
        actor=user,
        changes={"terminated_on": on_date.isoformat(), "ground": ground, "reason": reason},
    )
    offers.close_ended_sublicence_offers(parent=contract, actor=user)
    _end_sublicences(contract, user=user, on_date=on_date)


def _end_sublicences(parent: Contract, *, user: Any, on_date: dt.date) -> None:
    """A sub-licence cannot outlive the licence it was granted under: each filed one under ``parent`` ends on the
    same day (and its own sub-licences with it), each draft is cancelled, and their two sides are told. A
    sub-licence whose own term ran out before that day had already ended and is left as it was."""
    subs = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("work", "licensor_user", "licensee_user")
        .filter(parent=parent, status__in=[ContractStatus.FILED, ContractStatus.DRAFT])
        .order_by("pk")
    )
    params = {"parent": parent.number, "date": on_date.isoformat()}
    for sub in subs:
        if sub.status == ContractStatus.DRAFT:
            CONTRACT_FLOW.apply(sub, "cancel")
            sub.save(update_fields=["status"])
            audit.record("licensing.cancel", sub, actor=user, changes={"parent_terminated": parent.number})
            kind = notifications.SUBLICENCE_CANCELLED.key
        elif sub.valid_until is not None and sub.valid_until < on_date:
            continue
        else:
            reason = f"原许可合同 {parent.number} 于 {on_date.isoformat()} 终止，依其授予的本转许可合同同日终止。"
            _record_termination(
                sub, user=user, on_date=on_date, ground=TerminationGround.PARENT_TERMINATED, reason=reason
            )
            kind = notifications.SUBLICENCE_TERMINATED.key
        notify(
            recipients=[sub.licensor_user, sub.licensee_user],
            actor=user,
            kind=kind,
            subject=sub,
            params=params | {"number": sub.number, "title": sub.work.title},
            url=reverse("licensing:contract", args=[sub.number]),
        )
