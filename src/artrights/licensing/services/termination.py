"""Ending a filed licence before its term: by one side alone on a ground that gives it that right, or by the
two sides' agreement; either way the day it ended, the ground and the reason are recorded once, by one path.

A side ends the licence alone only on a ground that gives one side the right (Civil Code Art. 563: the other
side's breach, force majeure, another legal or agreed ground): ``terminate_contract`` records it at once. Ending
it by mutual agreement (Art. 562) takes both: one side proposes the day and the reason
(``propose_termination``), the other side is told and agrees (``agree_termination``) or declines
(``decline_termination``); the proposer may withdraw it (``withdraw_termination``). Only the agreement records
the termination; the day is checked again then, and a proposal lapses when the licence ends otherwise (another
ground, its parent's termination, or its term running out: ``lapse_ended_proposals``). One open proposal per
licence.

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
records it on the day. A day agreed on is not earlier than the end of the last royalty period already reported
(the sides choose it together, so they choose one the reports agree with).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
from ..models import (
    CONTRACT_FLOW,
    PROPOSAL_FLOW,
    Contract,
    ContractKind,
    ContractStatus,
    ProposalStatus,
    TerminationGround,
    TerminationProposal,
)
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


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请写明终止合同的理由（如协商一致的约定、对方违约的事实）。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("终止理由不超过 %(max)s 个字符。") % {"max": REASON_MAX})
    return reason


def check_day(contract: Contract, *, on_date: dt.date, today: dt.date) -> None:
    """Why ``on_date`` cannot be the licence's termination day, if it cannot: still to come, or before the
    licence began (or was filed)."""
    if on_date > today:
        raise ValidationError(_("终止日不能晚于今天：请在合同终止之日登记。"))
    earliest = earliest_termination(contract)
    if on_date < earliest:
        raise ValidationError(_("终止日不能早于合同的起始日期 %(date)s。") % {"date": earliest.isoformat()})


def check_agreed_day(contract: Contract, *, on_date: dt.date, today: dt.date) -> None:
    """Why ``on_date`` cannot be the day both sides agree the licence ends on: the day rules, and not earlier than
    the end of the last royalty period already reported (a report for days after it would be left without a
    licence)."""
    check_day(contract, on_date=on_date, today=today)
    reported = contract.royalty_reports.order_by("-period_end").values_list("period_end", flat=True).first()
    if reported is not None and on_date < reported:
        raise ValidationError(
            _("许可使用费已报送至 %(reported)s，协商解除的终止日 %(date)s 不能早于该日；请另提一个终止日。")
            % {"reported": reported.isoformat(), "date": on_date.isoformat()}
        )


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
    """The licensor or the licensee ends a filed licence alone on ``on_date`` (from its start to today) on a
    ground that gives one side that right (never ``mutual``: that is ``propose_termination``), with the reason;
    its open sub-licence offers close, the sub-licences granted under it end (or, not yet signed, are cancelled)
    on the same day, and the other side is told."""
    contract = Contract.objects.select_for_update().select_related("work").get(pk=contract.pk)
    require(user, "terminate", contract)
    day = today()
    check_terminable(contract, day=day)
    if ground == TerminationGround.MUTUAL:
        raise ValidationError(
            _("协商一致解除须经对方同意：请提出解除提议，对方在合同页面同意后，合同才于提议的终止日终止。")
        )
    if ground not in TerminationGround.values or ground == TerminationGround.PARENT_TERMINATED:
        raise ValidationError(_("请选择终止事由。"))
    reason = _checked_reason(reason)
    check_day(contract, on_date=on_date, today=day)
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


def _side_name(contract: Contract, user: Any) -> str:
    return contract.licensor.name if user.pk == contract.licensor_user_id else contract.licensee.name


def _other_side(contract: Contract, user: Any) -> Any:
    return contract.licensee_user if user.pk == contract.licensor_user_id else contract.licensor_user


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("work", "licensor", "licensee", "licensor_user", "licensee_user")
        .get(pk=contract.pk)
    )


def _open_proposal(contract: Contract) -> TerminationProposal:
    proposal = (
        TerminationProposal.objects.select_for_update().filter(contract=contract, status=ProposalStatus.OPEN).first()
    )
    if proposal is None:
        raise ValidationError(_("本合同没有待答复的解除提议（可能已被撤回、拒绝或已失效）。"))
    return proposal


def _proposal_params(proposal: TerminationProposal, contract: Contract, user: Any) -> dict[str, Any]:
    return {
        "number": contract.number,
        "title": contract.work.title,
        "party": _side_name(contract, user),
        "date": proposal.on_date.isoformat(),
    }


@transaction.atomic
def propose_termination(*, user: Any, contract: Contract, on_date: dt.date, reason: str) -> TerminationProposal:
    """The licensor or the licensee proposes to end a filed licence by mutual agreement on ``on_date`` (from its
    start to today), with the reason; nothing ends until the other side agrees, who is told and asked to answer."""
    contract = _locked(contract)
    require(user, "propose_termination", contract)
    day = today()
    check_terminable(contract, day=day)
    if TerminationProposal.objects.filter(contract=contract, status=ProposalStatus.OPEN).exists():
        raise ValidationError(_("本合同已有一份待对方答复的解除提议；请等待答复，或由提出方撤回后再提。"))
    reason = _checked_reason(reason)
    check_agreed_day(contract, on_date=on_date, today=day)
    proposal = TerminationProposal.objects.create(contract=contract, proposed_by=user, on_date=on_date, reason=reason)
    audit.record(
        "licensing.propose_termination",
        proposal,
        actor=user,
        changes={"contract": contract.number, "on_date": on_date.isoformat(), "reason": reason},
    )
    notify(
        recipients=[_other_side(contract, user)],
        kind=notifications.TERMINATION_PROPOSED.key,
        subject=contract,
        params=_proposal_params(proposal, contract, user) | {"reason": reason},
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return proposal


@transaction.atomic
def agree_termination(*, user: Any, contract: Contract) -> Contract:
    """The other side agrees to the open proposal: the licence is terminated on the proposed day on the ground of
    mutual agreement (the day checked again now), exactly as every termination is recorded, and the proposer is
    told."""
    contract = _locked(contract)
    require(user, "agree_termination", contract)
    proposal = _open_proposal(contract)
    day = today()
    check_terminable(contract, day=day)
    check_agreed_day(contract, on_date=proposal.on_date, today=day)
    PROPOSAL_FLOW.apply(proposal, "agree")
    proposal.answered_by, proposal.answered_at = user, timezone.now()
    proposal.save(update_fields=["status", "answered_by", "answered_at"])
    audit.record("licensing.agree_termination", proposal, actor=user, changes={"contract": contract.number})
    _record_termination(
        contract, user=user, on_date=proposal.on_date, ground=TerminationGround.MUTUAL, reason=proposal.reason
    )
    notify(
        recipients=[proposal.proposed_by],
        actor=user,
        kind=notifications.TERMINATION_AGREED.key,
        subject=contract,
        params=_proposal_params(proposal, contract, user),
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return contract


@transaction.atomic
def decline_termination(*, user: Any, contract: Contract, answer: str = "") -> TerminationProposal:
    """The other side declines the open proposal (saying why, if it will); the licence stays in force and the
    proposer is told."""
    contract = _locked(contract)
    require(user, "decline_termination", contract)
    proposal = _open_proposal(contract)
    answer = answer.strip()
    if len(answer) > REASON_MAX:
        raise ValidationError(_("说明不超过 %(max)s 个字符。") % {"max": REASON_MAX})
    PROPOSAL_FLOW.apply(proposal, "decline")
    proposal.answered_by, proposal.answered_at, proposal.answer = user, timezone.now(), answer
    proposal.save(update_fields=["status", "answered_by", "answered_at", "answer"])
    audit.record("licensing.decline_termination", proposal, actor=user, changes={"answer": answer})
    notify(
        recipients=[proposal.proposed_by],
        actor=user,
        kind=notifications.TERMINATION_DECLINED.key,
        subject=contract,
        params=_proposal_params(proposal, contract, user) | {"answer": answer or "—"},
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return proposal


@transaction.atomic
def withdraw_termination(*, user: Any, contract: Contract) -> TerminationProposal:
    """The side that proposed it withdraws the open proposal; the other side is told it need not answer."""
    contract = _locked(contract)
    require(user, "withdraw_termination", contract)
    proposal = _open_proposal(contract)
    PROPOSAL_FLOW.apply(proposal, "withdraw")
    proposal.answered_by, proposal.answered_at = user, timezone.now()
    proposal.save(update_fields=["status", "answered_by", "answered_at"])
    audit.record("licensing.withdraw_termination", proposal, actor=user)
    notify(
        recipients=[_other_side(contract, user)],
        actor=user,
        kind=notifications.TERMINATION_WITHDRAWN.key,
        subject=contract,
        params=_proposal_params(proposal, contract, user),
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return proposal


def _lapse_proposals(contract: Contract, *, user: Any | None) -> int:
    """The open proposal to end ``contract`` by agreement lapses: the licence ended otherwise (terminated on
    another ground, with its parent, or its term ran out), and both sides are told which. Returns how many."""
    lapsed = 0
    for proposal in TerminationProposal.objects.select_for_update().filter(
        contract=contract, status=ProposalStatus.OPEN
    ):
        PROPOSAL_FLOW.apply(proposal, "lapse")
        proposal.answered_at = timezone.now()
        proposal.save(update_fields=["status", "answered_at"])
        audit.record("licensing.lapse_termination_proposal", proposal, actor=user)
        _tell_lapsed(proposal, contract, user=user)
        lapsed += 1
    return lapsed


def _tell_lapsed(proposal: TerminationProposal, contract: Contract, *, user: Any | None) -> None:
    params: dict[str, Any] = {
        "number": contract.number,
        "title": contract.work.title,
        "proposer": proposal.proposer_side(),
        "date": proposal.on_date.isoformat(),
    }
    if contract.status != ContractStatus.TERMINATED:
        kind = notifications.TERMINATION_LAPSED_EXPIRED.key
        params["until"] = contract.valid_until.isoformat() if contract.valid_until else ""
    else:
        params["terminated"] = contract.terminated_on.isoformat() if contract.terminated_on else ""
        if contract.termination_ground == TerminationGround.PARENT_TERMINATED and contract.parent is not None:
            kind = notifications.TERMINATION_LAPSED_PARENT.key
            params["parent"] = contract.parent.number
        else:
            kind = notifications.TERMINATION_LAPSED_TERMINATED.key
            params["party"] = _side_name(contract, contract.terminated_by)
    notify(
        recipients=[contract.licensor_user, contract.licensee_user],
        actor=user,  # the side that terminated knows; the parent's actor may be a side here too
        kind=kind,
        subject=contract,
        params=params,
        url=reverse("licensing:contract", args=[contract.number]),
    )


def lapse_ended_proposals() -> int:
    """Open proposals on licences that are no longer filed or whose term ran out lapse (the periodic task; a
    termination lapses its own at once)."""
    ended = Q(contract__valid_until__lt=today()) | ~Q(contract__status=ContractStatus.FILED)
    count = 0
    for contract_id in list(
        TerminationProposal.objects.filter(ended, status=ProposalStatus.OPEN).values_list("contract_id", flat=True)
    ):
        with transaction.atomic():
            contract = Contract.objects.select_related(
                "work", "parent", "licensor", "licensee", "licensor_user", "licensee_user"
            ).get(pk=contract_id)
            count += _lapse_proposals(contract, user=None)
    return count


def _record_termination(contract: Contract, *, user: Any, on_date: dt.date, ground: str, reason: str) -> None:
    """What every termination records, in the caller's transaction: the contract's end, the public log entry, the
    audit event, an open proposal to end it by agreement lapsed, its open sub-licence offers closed and, in turn,
    the sub-licences granted under it ended."""
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
    changes = {"terminated_on": on_date.isoformat(), "ground": ground, "reason": reason}
    if ground == TerminationGround.PARENT_TERMINATED and contract.parent is not None:
        changes["parent"] = contract.parent.number
    audit.record("licensing.terminate", contract, actor=user, changes=changes)
    _lapse_proposals(contract, user=user)
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
            # No reason text is stored: the page and the API say why in the reader's language, naming the parent
            # (Contract.termination_reason_text).
            _record_termination(sub, user=user, on_date=on_date, ground=TerminationGround.PARENT_TERMINATED, reason="")
            kind = notifications.SUBLICENCE_TERMINATED.key
        notify(
            recipients=[sub.licensor_user, sub.licensee_user],
            actor=user,
            kind=kind,
            subject=sub,
            params=params | {"number": sub.number, "title": sub.work.title},
            url=reverse("licensing:contract", args=[sub.number]),
        )
