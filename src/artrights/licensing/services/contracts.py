"""Licence and transfer contracts: made from an offer or a trade, signed by each party in the platform, filed as
the registry's contract filing once every signature is in.

Each signature binds the signer's account and party to the contract's terms hash (SHA-256 of the RFC 8785
canonical JSON of ``Contract.terms_document``); a change of the terms after the first signature drops every
signature. Filing goes through ``registry.services.filings.file_contract`` with the same canonical bytes as the
contract file, so the registry's log statement carries the very hash the parties signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.models import Party
from artrights.core.services import notify
from artrights.proofs.canonical import canonical
from artrights.registry.models import ContractType, Work
from artrights.registry.services import filings

from .. import integrity, notifications, selectors
from ..models import (
    CONTRACT_FLOW,
    Contract,
    ContractKind,
    Exclusivity,
    Offer,
    RoyaltyModel,
    Signature,
    SignerRole,
    Territory,
    TradeStatus,
)
from ._common import acting_party, check_holder, check_rights, check_work, credit_flags, next_number, party_input, today

TERM_FIELDS = (
    "rights",
    "exclusivity",
    "territory",
    "media",
    "sublicensable",
    "royalty_model",
    "price",
    "royalty_rate",
    "unit_fee",
    "reporting_months",
    "valid_from",
    "valid_until",
)


def registry_type(contract: Contract) -> str:
    """The registry's contract type (Z21): a transfer, an exclusive (专有: sole or exclusive) or a plain licence."""
    if contract.kind == ContractKind.TRANSFER:
        return ContractType.TRANSFER
    if contract.exclusivity in integrity.EXCLUSIVE_TIERS:
        return ContractType.EXCLUSIVE_LICENCE
    return ContractType.NON_EXCLUSIVE_LICENCE


def terms_bytes(contract: Contract) -> bytes:
    return canonical(contract.terms_document())


def _rehash(contract: Contract) -> None:
    contract.sha256 = hashlib.sha256(terms_bytes(contract)).hexdigest()


def _check_terms(contract: Contract) -> None:
    if contract.kind not in ContractKind.values:
        raise ValidationError(_("未知的合同类型。"))
    if contract.exclusivity not in Exclusivity.values or contract.territory not in Territory.values:
        raise ValidationError(_("许可方式或地域范围无效。"))
    if contract.royalty_model not in RoyaltyModel.values:
        raise ValidationError(_("未知的付费方式。"))
    if contract.valid_until is not None and contract.valid_until < contract.valid_from:
        raise ValidationError(_("终止日期不能早于起始日期。"))
    if contract.kind == ContractKind.LICENCE and contract.valid_until is None:
        raise ValidationError(_("许可合同须写明期限（终止日期）。"))
    if min(contract.price, contract.royalty_rate, contract.unit_fee) < 0 or contract.royalty_rate > 100:
        raise ValidationError(_("价款、提成比例和每件报酬不能为负数，提成比例不超过 100%。"))
    if contract.royalty_model in (RoyaltyModel.RUNNING_ROYALTY, RoyaltyModel.MINIMUM_GUARANTEE, RoyaltyModel.ADVANCE):
        if contract.royalty_rate <= 0:
            raise ValidationError(_("按销售提成的许可须写明提成比例。"))
    if contract.royalty_model == RoyaltyModel.PER_UNIT and contract.unit_fee <= 0:
        raise ValidationError(_("按件计酬的许可须写明每件报酬。"))
    if not 1 <= contract.reporting_months <= 12:
        raise ValidationError(_("报告周期为 1 至 12 个月。"))
    contract.rights = check_rights(list(contract.rights))


def _check_integrity(contract: Contract, *, consents: bool = True) -> list[Any]:
    """Every rule of §6.1 the contract must pass now; returns the pledgee consents it uses."""
    work = contract.work
    check_work(work)
    if contract.parent is not None:
        check_sublicence(contract.parent, contract.grant(), licensor=contract.licensor)
        # The licence it is granted under is its licensor's own right, not a rival grant.
        others = [g for g in selectors.grants_in_force(work, exclude=contract) if g.label != contract.parent.number]
        integrity.check_licence(contract.grant(), others)
    else:
        check_holder(work, contract.licensor, contract.rights)
        if contract.kind == ContractKind.LICENCE:
            integrity.check_licence(contract.grant(), selectors.grants_in_force(work, exclude=contract))
    used = []
    if consents:
        for pledge in selectors.live_pledges(work):
            consent = selectors.unused_consent(
                pledge, contract_type=registry_type(contract), assignee=contract.licensee, for_contract=contract
            )
            if consent is None:
                raise integrity.RuleBroken(
                    integrity.PLEDGE_CONSENT,
                    f"《{work.title}》已出质（{pledge.number}），质权人尚未同意本合同",
                    f"“{work.title}” is pledged ({pledge.number}) and the pledgee has not consented to this contract",
                )
            used.append(consent)
    return used


def check_sublicence(parent: Contract, grant: integrity.Grant, *, licensor: Party) -> None:
    """A sub-licence: granted by its licence's licensee, under a filed licence in force that allows it, inside
    that licence's scope (Implementing Regulations Art. 24: otherwise it needs the owner's own licence)."""
    if parent.kind != ContractKind.LICENCE or parent.licensee_id != licensor.pk:
        raise integrity.RuleBroken(
            integrity.SUBLICENCE_CONSENT,
            f"只有 {parent.number} 的被许可方才能依该许可转许可",
            f"only the licensee of {parent.number} may sub-license under it",
        )
    integrity.check_sublicence(
        parent=parent.grant(),
        sublicensable=parent.sublicensable,
        in_force=parent.is_filed and (parent.valid_until is None or today() <= parent.valid_until),
        new=grant,
    )


def _joint_owners(contract: Contract) -> list[Party]:
    """The co-owners besides the licensor who must sign (a transfer or an exclusive licence of a joint work)."""
    if contract.parent_id is not None:
        return []  # a sub-licence is granted by the licensee alone; the owners consented in its licence
    if contract.kind == ContractKind.LICENCE and contract.exclusivity == Exclusivity.NON_EXCLUSIVE:
        return []
    return [p for p in selectors.co_owners(contract.work, contract.rights) if p.pk != contract.licensor_id]


@transaction.atomic
def create_contract(
    *,
    user: Any,
    work: Work,
    kind: str,
    licensor_user: Any,
    licensee_user: Any,
    terms: dict[str, Any],
    offer: Offer | None = None,
    licensee_industry: str = "",
    parent: Contract | None = None,
) -> Contract:
    """A draft contract between the holder of the rights (or, for a sub-licence, the licensee of ``parent``) and
    the licensee; every §6.1 rule is checked first."""
    licensor, licensee = acting_party(licensor_user), acting_party(licensee_user)
    if licensor.pk == licensee.pk:
        raise ValidationError(_("许可方和被许可方不能是同一人。"))
    if parent is not None and (kind != ContractKind.LICENCE or parent.work_id != work.pk):
        raise ValidationError(_("转许可只能是同一作品的许可合同。"))
    contract = Contract(
        kind=kind,
        work=work,
        offer=offer,
        parent=parent,
        licensor=licensor,
        licensee=licensee,
        licensor_user=licensor_user,
        licensee_user=licensee_user,
        licensee_industry=licensee_industry[:60],
        created_by=user,
        **{k: v for k, v in terms.items() if k in TERM_FIELDS},
    )
    if kind == ContractKind.TRANSFER:
        contract.exclusivity = Exclusivity.SOLE  # a transfer leaves the transferor nothing: shown as no tier
    _check_terms(contract)
    consents = _check_integrity(contract)
    contract.number = next_number("contract")
    contract.credit_flags = credit_flags([licensor, licensee])
    _rehash(contract)
    contract.save()
    contract.pledge_consents.set(consents)
    contract.co_owners.set(_joint_owners(contract))
    audit.record("licensing.create_contract", contract, actor=user)
    notify(
        recipients=[licensor_user, licensee_user],
        actor=user,
        kind=notifications.TO_SIGN.key,
        subject=contract,
        params={"number": contract.number, "title": work.title, "kind": contract.kind},
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return contract


def _signer_role(user: Any, party: Party, contract: Contract) -> str:
    if user.pk == contract.licensor_user_id and party.pk == contract.licensor_id:
        return SignerRole.LICENSOR
    if user.pk == contract.licensee_user_id and party.pk == contract.licensee_id:
        return SignerRole.LICENSEE
    if contract.co_owners.filter(pk=party.pk).exists():
        return SignerRole.CO_OWNER
    raise ValidationError(_("您不是本合同的当事人。"))


def signature_digest(*, contract_sha256: str, user_id: int, party: Party, role: str, at: dt.datetime) -> str:
    """What a signature binds: the terms hash, the account, the party and the moment."""
    body = {
        "contract_sha256": contract_sha256,
        "account": user_id,
        "party": {"id_type": party.id_type, "id": party.id_number},
        "role": role,
        "signed_at": at.isoformat(),
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def missing_signers(contract: Contract) -> list[str]:
    """Who still has to sign the current version (as names)."""
    signed = {s.party_id for s in selectors.valid_signatures(contract)}
    wanted = [contract.licensor, contract.licensee, *contract.co_owners.all()]
    return [p.name for p in wanted if p.pk not in signed]


@transaction.atomic
def sign(*, user: Any, contract: Contract, sha256: str) -> Contract:
    """Sign the version whose hash the signer read; the last signature files the contract."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(user, "sign", contract)
    if sha256 != contract.sha256:
        raise ValidationError(_("合同条款已变更（哈希不一致），请重新核对后签署。"))
    party = acting_party(user)
    role = _signer_role(user, party, contract)
    if selectors.valid_signatures(contract).filter(party=party).exists():
        raise ValidationError(_("您已签署本版本的合同。"))
    at = timezone.now()
    signature = Signature.objects.create(
        contract=contract,
        signer=user,
        party=party,
        role=role,
        contract_sha256=contract.sha256,
        digest=signature_digest(contract_sha256=contract.sha256, user_id=user.pk, party=party, role=role, at=at),
        signed_at=at,
    )
    audit.record("licensing.sign", signature, actor=user)
    if not missing_signers(contract):
        _file(contract)
    return contract


@transaction.atomic
def file(*, user: Any, contract: Contract) -> Contract:
    """File a contract every party has signed; refused under the joint-work rule while a co-owner has not."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(user, "sign", contract)
    _file(contract)
    return contract


def _filer(contract: Contract) -> Any:
    """Who files with the registry: the licensor; for a sub-licence, the holder of the rights at the top of the
    chain, whose licence allowed the sub-licensing (the registry takes filings from those who hold the work)."""
    root = contract
    while root.parent is not None:
        root = root.parent
    return root.licensor_user


def _file(contract: Contract) -> None:
    signed = {s.party_id for s in selectors.valid_signatures(contract)}
    owners = [str(contract.licensor_id)] + [str(p.pk) for p in contract.co_owners.all()]
    integrity.check_joint_work(
        owners=owners,
        consenting=[str(p) for p in signed],
        exclusivity=None if contract.kind == ContractKind.TRANSFER else contract.exclusivity,
    )
    if contract.licensor_id not in signed or contract.licensee_id not in signed:
        raise ValidationError(_("许可方和被许可方都签署后才能备案。"))
    consents = _check_integrity(contract)
    CONTRACT_FLOW.apply(contract, "file")
    price = _("%(model)s，金额 %(price)s 元") % {"model": contract.get_royalty_model_display(), "price": contract.price}
    if contract.royalty_rate:
        price += _("，提成 %(rate)s%%") % {"rate": contract.royalty_rate}
    filing = filings.file_contract(
        user=_filer(contract),
        contract_type=registry_type(contract),
        works=[contract.work],
        rights=list(contract.rights),
        territory=str(Territory(contract.territory).label),
        valid_from=contract.valid_from,
        valid_until=contract.valid_until,
        assignor=party_input(contract.licensor),
        assignee=party_input(contract.licensee),
        price_terms=price[:300],
        contract_file=SimpleUploadedFile(f"{contract.number}.json", terms_bytes(contract), "application/json"),
        pledge_consents=consents,
        on_behalf=True,  # in the holder's name: the holder is told, as everyone concerned is
    )
    contract.filing = filing
    contract.filed_at = timezone.now()
    contract.save(update_fields=["status", "filing", "filed_at"])
    contract.pledge_consents.set(consents)
    trade = getattr(contract, "trade", None)
    if trade is not None:
        trade.status = TradeStatus.FILED
        trade.settled_on = today()
        trade.save(update_fields=["status", "settled_on"])
        audit.record("licensing.settle_trade", trade)
    audit.record("licensing.file_contract", contract, changes={"filing": filing.number})
    notify(
        recipients=[contract.licensor_user, contract.licensee_user],
        kind=notifications.FILED.key,
        subject=contract,
        params={"number": contract.number, "filing": filing.number},
        url=reverse("licensing:contract", args=[contract.number]),
    )


@transaction.atomic
def amend(*, user: Any, contract: Contract, terms: dict[str, Any]) -> Contract:
    """Change a draft's terms: a new version and hash; any signature already given is dropped."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(user, "amend", contract)
    CONTRACT_FLOW.apply(contract, "amend")
    changed = {k: v for k, v in terms.items() if k in TERM_FIELDS and getattr(contract, k) != v}
    if not changed:
        raise ValidationError(_("条款没有变化。"))
    for key, value in changed.items():
        setattr(contract, key, value)
    _check_terms(contract)
    _check_integrity(contract)
    contract.version += 1
    _rehash(contract)
    contract.save()
    dropped = contract.signatures.filter(dropped_at__isnull=True).update(dropped_at=timezone.now())
    contract.co_owners.set(_joint_owners(contract))
    audit.record(
        "licensing.amend", contract, actor=user, changes={k: str(v) for k, v in changed.items()} | {"dropped": dropped}
    )
    if dropped:
        notify(
            recipients=[contract.licensor_user, contract.licensee_user],
            actor=user,
            kind=notifications.SIGNATURES_DROPPED.key,
            subject=contract,
            params={"number": contract.number, "version": contract.version},
            url=reverse("licensing:contract", args=[contract.number]),
        )
    return contract


@transaction.atomic
def cancel(*, user: Any, contract: Contract) -> Contract:
    """Either side calls off a draft before it is filed."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(user, "cancel", contract)
    CONTRACT_FLOW.apply(contract, "cancel")
    contract.save(update_fields=["status"])
    audit.record("licensing.cancel", contract, actor=user)
    return contract


def terms_from(*, valid_from: dt.date, valid_until: dt.date | None, source: Any) -> dict[str, Any]:
    """The contract terms an offer or a listing proposes, for the period the buyer chose."""
    terms = {k: getattr(source, k) for k in TERM_FIELDS if hasattr(source, k)}
    terms.update(valid_from=valid_from, valid_until=valid_until)
    if "price" in terms:
        terms["price"] = Decimal(terms["price"])
    return terms
