"""Pledge financing: a pledge the registry registered, linked to the filed licences whose income it secures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.registry.models import Pledge, PledgeStatus

from .. import integrity, selectors
from ..models import Contract, ContractKind, Financing
from ._common import acting_party, check_work


@transaction.atomic
def link_financing(
    *, user: Any, pledge: Pledge, contracts: list[Contract], lender: str, loan_amount: Decimal
) -> Financing:
    """The pledgor links its registered pledge to the filed licences of the pledged works whose income secures it."""
    require(user, "create", Financing)
    party = acting_party(user)
    if pledge.pledgor_id != party.pk:
        raise ValidationError(_("只有出质人可以把质押与许可收入关联。"))
    if pledge.status != PledgeStatus.REGISTERED:
        raise ValidationError(_("该质权已注销。"))
    if hasattr(pledge, "financing"):
        raise ValidationError(_("该质押已关联融资。"))
    if not lender.strip() or loan_amount <= 0:
        raise ValidationError(_("请填写贷款人和大于零的贷款金额。"))
    works = list(pledge.works.all())
    for work in works:
        check_work(work)
        owners = selectors.co_owners(work, list(pledge.rights))
        if len(owners) > 1:
            integrity.check_joint_work(
                owners=[str(p.pk) for p in owners], consenting=[str(pledge.pledgor_id)], exclusivity=None
            )
    if not contracts:
        raise ValidationError(_("请至少选择一份已备案的许可合同。"))
    for contract in contracts:
        if (
            contract.kind != ContractKind.LICENCE
            or not contract.is_filed
            or contract.licensor_id != party.pk
            or contract.work_id not in {w.pk for w in works}
        ):
            raise ValidationError(_("合同 %(number)s 不是出质作品的已备案许可合同。") % {"number": contract.number})
    financing = Financing.objects.create(
        pledge=pledge, lender=lender.strip()[:100], loan_amount=loan_amount, created_by=user
    )
    financing.contracts.set(contracts)
    audit.record("licensing.link_financing", financing, actor=user)
    return financing
