"""Contract filings (著作权合同备案, CPCC Z21) and copyright pledges (著作权质权登记, Z51) of granted works.

Each filing and pledge appends a statement to the public log in its transaction. While a pledge is registered,
a transfer or licence of the pledged works needs the pledgee's recorded consent to that very contract
(Civil Code Art. 444); a consent serves one contract.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.models import StoredFile
from artrights.core.services import PartyInput, check_upload, resolve_party
from artrights.ledger import services as ledger
from artrights.proofs.statements import StatementType

from .. import events, numbers, statements
from ..models import ECONOMIC_RIGHTS, ContractFiling, ContractType, Pledge, PledgeConsent, PledgeStatus, Right, Work


def _granted_works(works: list[Work]) -> list[Work]:
    if not works:
        raise ValidationError(_("请至少选择一件已登记的作品。"))
    for work in works:
        if not work.is_granted:
            raise ValidationError(_("作品“%(title)s”尚未登记，不能备案合同或质押。") % {"title": work.title})
    return works


def _check_rights(rights: list[str]) -> list[str]:
    bad = [r for r in rights if r not in Right.values or r not in ECONOMIC_RIGHTS]
    if not rights or bad:
        raise ValidationError(_("请选择可以许可、转让或出质的财产权利（著作权法第十条第五至十七项）。"))
    return rights


@transaction.atomic
def file_contract(
    *,
    user: Any,
    contract_type: str,
    works: list[Work],
    rights: list[str],
    territory: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    assignor: PartyInput,
    assignee: PartyInput,
    price_terms: str = "",
    contract_file: UploadedFile[bytes] | None = None,
    pledge_consents: list[PledgeConsent] | None = None,
    on_behalf: bool = False,
) -> ContractFiling:
    """Record a transfer or licence contract. A pledged work needs the pledgee's recorded consent.

    ``on_behalf``: the platform files a contract its parties signed in it (licensing) in ``user``'s name; ``user``
    took no step and is told like everyone concerned. A filing by hand tells everyone but the ``user`` who made it.
    """
    if contract_type not in ContractType.values:
        raise ValidationError(_("未知的合同类型。"))
    works = _granted_works(works)
    for work in works:
        require(user, "file_contract", work)
    _check_rights(rights)
    if valid_until and valid_until < valid_from:
        raise ValidationError(_("终止日期不能早于起始日期。"))
    assignor_party, assignee_party = resolve_party(assignor), resolve_party(assignee)
    consents = list(pledge_consents or [])
    for work in works:
        for pledge in work.pledges.filter(status=PledgeStatus.REGISTERED):
            ok = any(
                c.pledge_id == pledge.pk
                and c.contract_type == contract_type
                and c.assignee_id == assignee_party.pk
                and not ContractFiling.objects.filter(pledge_consents=c).exists()
                for c in consents
            )
            if not ok:
                raise ValidationError(
                    _("作品“%(title)s”已出质（%(pledge)s），转让或许可须有质权人对本次合同的同意记录。")
                    % {"title": work.title, "pledge": pledge.number}
                )
    digest = ""
    if contract_file is not None:
        check_upload(contract_file)
        contract_file.seek(0)
        digest, _size = StoredFile.digest(contract_file.chunks())
    filing = ContractFiling.objects.create(
        number=numbers.contract_filing_number(),
        contract_type=contract_type,
        rights=rights,
        territory=territory,
        valid_from=valid_from,
        valid_until=valid_until,
        price_terms=price_terms,
        assignor=assignor_party,
        assignee=assignee_party,
        contract_sha256=digest,
        filed_by=user,
    )
    filing.works.set(works)
    filing.pledge_consents.set(consents)
    entry = ledger.append(kind=StatementType.CONTRACT_FILING, statement=statements.contract_statement(filing))
    filing.log_index = entry.index
    filing.save(update_fields=["log_index", "commitment_salts"])
    audit.record("registry.file_contract", filing, actor=user)
    for work in works:
        events.announce(work, "contract_filed", actor=None if on_behalf else user, subject=filing)
    return filing


@transaction.atomic
def register_pledge(
    *,
    registrar: Any,
    works: list[Work],
    pledgor: PartyInput,
    pledgee: PartyInput,
    rights: list[str],
    secured_amount: Decimal,
    debt_term_end: dt.date,
    pledgee_user: Any = None,
) -> Pledge:
    """著作权质权登记: the pledge exists from its registration (Civil Code Art. 444)."""
    works = _granted_works(works)
    for work in works:
        require(registrar, "register_pledge", work)
    _check_rights(rights)
    if secured_amount <= 0:
        raise ValidationError(_("担保债权数额必须大于零。"))
    pledgor_party = resolve_party(pledgor)
    for work in works:
        owner_keys = set(work.owners().values_list("id_type", "id_number"))
        if (pledgor_party.id_type, pledgor_party.id_number) not in owner_keys:
            raise ValidationError(_("出质人不是作品“%(title)s”的著作权人。") % {"title": work.title})
    pledge = Pledge.objects.create(
        number=numbers.pledge_number(),
        pledgor=pledgor_party,
        pledgee=resolve_party(pledgee),
        pledgee_user=pledgee_user,
        rights=rights,
        secured_amount=secured_amount,
        debt_term_end=debt_term_end,
    )
    pledge.works.set(works)
    pledge.log_index = ledger.append(kind=StatementType.PLEDGE, statement=statements.pledge_statement(pledge)).index
    pledge.save(update_fields=["log_index", "commitment_salts"])
    audit.record("registry.register_pledge", pledge, actor=registrar)
    for work in works:
        events.announce(work, "pledge_registered", actor=registrar, subject=pledge)
    return pledge


@transaction.atomic
def consent_to_contract(
    *, user: Any, pledge: Pledge, contract_type: str, assignee: PartyInput, note: str = ""
) -> PledgeConsent:
    """The pledgee records consent to one transfer or licence of the pledged works."""
    require(user, "consent", pledge)
    if pledge.status != PledgeStatus.REGISTERED:
        raise ValidationError(_("该质权已注销，无需同意。"))
    if contract_type not in ContractType.values:
        raise ValidationError(_("未知的合同类型。"))
    consent = PledgeConsent.objects.create(
        pledge=pledge, contract_type=contract_type, assignee=resolve_party(assignee), granted_by=user, note=note
    )
    audit.record("registry.pledge_consent", consent, actor=user)
    for work in pledge.works.all():
        events.announce(work, "pledge_consented", actor=user, subject=consent)
    return consent


@transaction.atomic
def cancel_pledge(*, registrar: Any, pledge: Pledge) -> Pledge:
    """注销质权 (debt discharged): logged; the works are free to transfer again."""
    require(registrar, "cancel", pledge)
    if pledge.status != PledgeStatus.REGISTERED:
        raise ValidationError(_("该质权已注销。"))
    pledge.status = PledgeStatus.CANCELLED
    pledge.cancelled_at = timezone.now()
    pledge.save(update_fields=["status", "cancelled_at"])
    ledger.append(kind=StatementType.PLEDGE_CANCELLATION, statement=statements.pledge_cancellation_statement(pledge))
    audit.record("registry.cancel_pledge", pledge, actor=registrar)
    for work in pledge.works.all():
        events.announce(work, "pledge_cancelled", actor=registrar, subject=pledge)
    return pledge


def first_owner(work: Work) -> PartyInput:
    """The work's first registered copyright owner, as the party of a contract or pledge."""
    owner = work.owners().order_by("pk").first()
    if owner is None:
        raise ValidationError(_("作品没有登记著作权人。"))
    return PartyInput(name=owner.name, id_type=owner.id_type, id_number=owner.id_number, kind=owner.kind)
