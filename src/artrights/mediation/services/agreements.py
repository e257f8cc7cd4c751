"""The settlement agreement: drafted and changed by the mediator, signed in the platform by every party (each
signature bound to the signer's account and the agreement's hash), the mediator and the organisation (M7, M16,
M19). It takes effect with the last signature: a statement goes into the public log in the same transaction, and
the signed PDF (PAdES, Chinese) is made after the commit.

Changing the text after the first signature changes its hash, so every signature given falls away (the rows stay,
bound to the old hash) and everyone who signed or must sign is told. A party that refuses to sign ends the
mediation (M20).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit, public_url
from artrights.ledger import services as ledger
from artrights.ledger.keys import log_origin
from artrights.proofs.canonical import Opening, canonical
from artrights.proofs.statements import StatementType, check_statement, iso_time

from .. import notifications as N
from ..models import (
    CASE_FLOW,
    Agreement,
    AgreementStatus,
    Capacity,
    Case,
    CaseParty,
    CaseStatus,
    FailureReason,
    Obligation,
    Signature,
)
from ._common import (
    admins_of,
    calendar_due,
    clean_text,
    court_people,
    locked,
    mediator_people,
    next_number,
    party_people,
    refused,
    tell,
)


@dataclass(frozen=True)
class ObligationInput:
    payer_id: int  # a CaseParty of the case
    due: dt.date
    amount: str = ""
    act: str = ""


def _obligations(case: Case, items: Sequence[ObligationInput]) -> list[tuple[CaseParty, Decimal | None, str, dt.date]]:
    parties = {p.pk: p for p in case.parties.select_related("party")}
    out = []
    for item in items:
        payer = parties.get(int(item.payer_id))
        if payer is None:
            raise refused("payer", _("履行人必须是本案的当事人。"))
        amount: Decimal | None = None
        if str(item.amount or "").strip():
            try:
                amount = Decimal(str(item.amount).strip()).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise refused("amount", _("金额“%(value)s”不是有效的数字。"), value=str(item.amount)) from None
            if amount <= 0 or amount >= Decimal("1e12"):
                raise refused("amount", _("金额须大于零。"))
        act = clean_text(item.act, _("履行行为"), required=False, limit=500, multiline=False)
        if amount is None and not act:
            raise refused("obligation", _("每项义务须写明金额或应履行的行为。"))
        if item.due < timezone.localdate():
            raise refused("due", _("履行期限不能早于今天。"))
        out.append((payer, amount, act, item.due))
    return out


def content_value(agreement: Agreement) -> dict[str, Any]:
    """The agreement's text as canonical JSON: what every signature and the public log's digest bind to."""
    case = agreement.case
    return {
        "format": "artrights-mediation-agreement/v1",
        "number": agreement.number,
        "version": agreement.version,
        "case": case.number,
        "source": case.source,
        "court": case.court,
        "court_case_no": case.court_case_no,
        "organisation": case.organisation.name,
        "mediator": case.mediator.name if case.mediator else "",
        "parties": [
            {"side": p.side, "name": p.party.name, "id_type": p.party.id_type, "id_number": p.party.id_number}
            for p in case.parties.select_related("party").order_by("side", "pk")
        ],
        "facts": agreement.facts,
        "terms": agreement.terms,
        "infringement_confirmed": agreement.infringement_confirmed,
        "obligations": [
            {
                "payer": o.payer.party.name,
                "amount": str(o.amount) if o.amount is not None else None,
                "act": o.act,
                "due": o.due.isoformat(),
            }
            for o in agreement.obligations.select_related("payer__party").order_by("due", "pk")
        ],
    }


def digest(agreement: Agreement) -> str:
    return hashlib.sha256(canonical(content_value(agreement))).hexdigest()


def valid_signatures(agreement: Agreement) -> list[Signature]:
    """The signatures given to the agreement's current text (not refusals)."""
    return [s for s in agreement.signatures.all() if s.agreement_sha256 == agreement.sha256 and not s.refused]


def missing_signers(agreement: Agreement) -> list[str]:
    """Who still has to sign the current text: each party by name, then the mediator, then the organisation."""
    signed = valid_signatures(agreement)
    parties = {s.case_party_id for s in signed if s.capacity == Capacity.PARTY}
    missing = [p.party.name for p in agreement.case.parties.select_related("party") if p.pk not in parties]
    if not any(s.capacity == Capacity.MEDIATOR for s in signed):
        missing.append(str(_("调解员")))
    if not any(s.capacity == Capacity.ORGANISATION for s in signed):
        missing.append(str(_("调解组织")))
    return missing


@transaction.atomic
def draft(
    *,
    user: Any,
    case: Case,
    facts: str,
    terms: str,
    obligations: Sequence[ObligationInput] = (),
    infringement_confirmed: bool = False,
) -> Agreement:
    """Write the agreement, or change it: a change after the first signature drops every signature given and the
    parties are told; an unchanged text keeps its signatures."""
    require(user, "mediate", case)
    case = locked(case)
    if case.status != CaseStatus.IN_MEDIATION:
        raise refused("not_mediating", _("只有调解中的案件才能起草或修改调解协议。"))
    facts = clean_text(facts, _("主要事实和争议事项"), limit=8000)
    terms = clean_text(terms, _("协议内容"), limit=8000)
    items = _obligations(case, obligations)
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is not None and agreement.status != AgreementStatus.DRAFT:
        raise refused("effective", _("协议已经生效，不能再修改。"))
    before = agreement.sha256 if agreement is not None else ""
    had_signatures = bool(agreement is not None and valid_signatures(agreement))
    if agreement is None:
        agreement = Agreement(case=case, number=next_number("XY"), sha256="")
    else:
        agreement = locked(agreement)
    agreement.facts, agreement.terms, agreement.infringement_confirmed = facts, terms, infringement_confirmed
    agreement.save()
    agreement.obligations.all().delete()
    Obligation.objects.bulk_create(
        [Obligation(agreement=agreement, payer=p, amount=a, act=act, due=due) for p, a, act, due in items]
    )
    new = digest(agreement)
    if new == before:
        return agreement
    if before:
        agreement.version += 1
        new = digest(agreement)
    agreement.sha256 = new
    agreement.save()
    audit.record("mediation.draft_agreement", case, actor=user, changes={"version": agreement.version, "sha256": new})
    params = {"version": agreement.version, "digest": new[:16]}
    if had_signatures:
        tell(
            case,
            party_people(case) + mediator_people(case) + list(admins_of(case)),
            N.SIGNATURES_DROPPED.key,
            actor=user,
            **params,
        )
    else:
        tell(case, party_people(case), N.AGREEMENT_TO_SIGN.key, actor=user, **params)
    return agreement


def _capacity(user: Any, case: Case, capacity: str) -> CaseParty | None:
    """The party ``user`` signs for (capacity "party"); refused when ``user`` may not sign in that capacity."""
    from ..rules import is_case_admin, is_case_mediator

    if capacity == Capacity.PARTY:
        mine = [p for p in case.parties.select_related("party") if p.acts_for(user)]
        if not mine:
            raise refused("not_party", _("只有本案的当事人或其代理人才能以当事人身份签名。"))
        return mine[0]
    if capacity == Capacity.MEDIATOR and is_case_mediator(user, case):
        return None
    if capacity == Capacity.ORGANISATION and is_case_admin(user, case):
        return None
    raise refused("capacity", _("您不能以该身份签署本协议。"))


@transaction.atomic
def sign(*, user: Any, agreement: Agreement, sha256: str, capacity: str = Capacity.PARTY) -> Signature:
    """Sign the text whose hash the signer read; the last signature makes the agreement take effect."""
    case = locked(agreement.case)
    require(user, "sign", case)
    agreement = locked(agreement)
    if agreement.status != AgreementStatus.DRAFT or case.status != CaseStatus.IN_MEDIATION:
        raise refused("not_signable", _("这份协议当前不能签名。"))
    if sha256 != agreement.sha256:
        raise refused(
            "changed",
            _("协议在您阅读后已被修改（当前为第 %(version)s 版），请重新阅读后再签名。"),
            version=agreement.version,
        )
    party = _capacity(user, case, capacity)
    signed = valid_signatures(agreement)
    if any(
        s.signer_id == user.pk and s.capacity == capacity and s.case_party_id == (party.pk if party else None)
        for s in signed
    ):
        raise refused("signed", _("您已经签署了这一版协议。"))
    if capacity != Capacity.PARTY and [
        m for m in missing_signers(agreement) if m not in (str(_("调解员")), str(_("调解组织")))
    ]:
        raise refused("parties_first", _("各方当事人签名后，调解员和调解组织才能签名。"))
    if capacity == Capacity.ORGANISATION and not any(s.capacity == Capacity.MEDIATOR for s in signed):
        raise refused("mediator_first", _("调解员签名后，调解组织才能盖章。"))
    signature = Signature.objects.create(
        agreement=agreement,
        capacity=capacity,
        case_party=party,
        signer=user,
        signer_name=party.party.name if party else str(user),
        agreement_sha256=sha256,
    )
    audit.record("mediation.sign", case, actor=user, changes={"capacity": capacity, "sha256": sha256})
    if not missing_signers(agreement):
        _take_effect(case, agreement, actor=user)
    return signature


@transaction.atomic
def refuse_to_sign(*, user: Any, agreement: Agreement, reason: str) -> Signature:
    """A party refuses to sign: recorded, and the mediation ends without agreement (M20)."""
    from .cases import end_as_failed

    case = locked(agreement.case)
    require(user, "sign", case)
    agreement = locked(agreement)
    if agreement.status != AgreementStatus.DRAFT or case.status != CaseStatus.IN_MEDIATION:
        raise refused("not_signable", _("这份协议当前不能签名。"))
    party = _capacity(user, case, Capacity.PARTY)
    assert party is not None
    reason = clean_text(reason, _("拒绝签名的理由"), limit=1000)
    signature = Signature.objects.create(
        agreement=agreement,
        capacity=Capacity.PARTY,
        case_party=party,
        signer=user,
        signer_name=party.party.name,
        agreement_sha256=agreement.sha256,
        refused=True,
        note=reason,
    )
    # The note goes into the referral the court receives: worded in the official language, whoever refused.
    with translation.override(settings.LANGUAGE_CODE):
        note = str(_("%(name)s 拒绝签名：%(reason)s") % {"name": party.party.name, "reason": reason})
    end_as_failed(case, reason=FailureReason.REFUSED_SIGNATURE, note=note, actor=user)
    return signature


def void_draft(case: Case) -> None:
    """An agreement never signed by all is void once the mediation ends without one."""
    Agreement.objects.filter(case=case, status=AgreementStatus.DRAFT).update(status=AgreementStatus.VOID)


def _statement(agreement: Agreement, at: dt.datetime) -> dict[str, Any]:
    case = agreement.case
    parties = [
        (p.side, Opening.new({"name": p.party.name, "id_type": p.party.id_type, "id_number": p.party.id_number}))
        for p in case.parties.select_related("party").order_by("side", "pk")
    ]
    signatures = []
    signer_openings = []
    for s in valid_signatures(agreement):
        opening = Opening.new({"account": s.signer.get_username(), "name": s.signer_name})
        signer_openings.append(opening.to_json())
        signatures.append({"capacity": s.capacity, "signer": opening.commitment, "signed_at": iso_time(s.at)})
    agreement.openings = {
        "parties": [{"role": side, **o.to_json()} for side, o in parties],
        "signers": signer_openings,
    }
    statement = {
        "type": StatementType.MEDIATION_AGREEMENT.value,
        "registry": log_origin(),
        "number": agreement.number,
        "registered_at": iso_time(at),
        "parties": [{"role": side, "commitment": o.commitment} for side, o in parties],
        "agreement": {
            "sha256": agreement.sha256,
            "case": case.number,
            "source": case.source,
            "version": agreement.version,
            "effective_at": iso_time(at),
            "signatures": signatures,
        },
    }
    return check_statement(statement)


def _take_effect(case: Case, agreement: Agreement, *, actor: Any) -> None:
    from .outcomes import refer_infringement

    now = timezone.now()
    CASE_FLOW.apply(case, "take_effect")
    agreement.status, agreement.effective_at = AgreementStatus.EFFECTIVE, now
    effective_on = timezone.localdate()
    agreement.confirmation_due = calendar_due(effective_on, int(settings.ARTRIGHTS_MEDIATION_CONFIRMATION_WINDOW))
    agreement.content_json = json.dumps(content_value(agreement), ensure_ascii=False, indent=2, sort_keys=True)
    statement = _statement(agreement, now)
    agreement.log_index = ledger.append(kind=statement["type"], statement=statement).index
    agreement.save()
    case.ended_on, case.overdue_step = effective_on, ""
    case.save()
    audit.record("mediation.agreement_effective", case, actor=actor, changes={"log_index": agreement.log_index})
    tell(
        case,
        party_people(case) + mediator_people(case) + list(admins_of(case)) + court_people(case),
        N.AGREEMENT_EFFECTIVE.key,
        due=agreement.confirmation_due.isoformat(),
        # Everyone signed, the last signer among them: they too hear that it took effect, with the deadline for
        # judicial confirmation, as each signer gets the completed agreement.
        actor=None,
    )
    if agreement.infringement_confirmed:
        refer_infringement(case)
    from .. import tasks

    transaction.on_commit(lambda: tasks.issue_agreement_task(agreement.pk), robust=True)


def issue_pdf(*, agreement_id: int) -> Agreement:
    """Make and sign the agreement PDF once (after the commit that made it effective); later calls return it."""
    from artrights.ledger import flows
    from artrights.proofs.bundle import dump_bundle
    from artrights.proofs.statements import Openings
    from artrights.registry.certificate_pdf import sign_pdf
    from artrights.registry.keys import signing_identity
    from artrights.timestamps import services as timestamps

    from ..agreement_pdf import AgreementDocument, render_agreement
    from ..models import Side, Source

    agreement = Agreement.objects.select_related("case", "case__organisation", "case__mediator").get(pk=agreement_id)
    if agreement.pdf or agreement.status != AgreementStatus.EFFECTIVE or agreement.log_index is None:
        return agreement
    case = agreement.case
    bundle = flows.issue_bundle(index=agreement.log_index, openings=Openings(None, ()))
    sides = dict(Side.choices)
    doc = AgreementDocument(
        number=agreement.number,
        case_number=case.number,
        organisation=case.organisation.name,
        mediator=case.mediator.name if case.mediator else "—",
        source=str(dict(Source.choices)[case.source]),
        court=case.court,
        parties=[
            (str(sides[p.side]), p.party.name) for p in case.parties.select_related("party").order_by("side", "pk")
        ],
        facts=agreement.facts,
        terms=agreement.terms,
        obligations=[obligation_line(o) for o in agreement.obligations.select_related("payer__party")],
        signatures=[
            (str(dict(Capacity.choices)[s.capacity]), s.signer_name, timezone.localtime(s.at))
            for s in valid_signatures(agreement)
        ],
        effective_on=timezone.localdate(agreement.effective_at),
        sha256=agreement.sha256,
        content_json=canonical(json.loads(agreement.content_json)),
        verify_url=public_url.absolute("/verify/"),
        log_origin=log_origin(),
        log_index=agreement.log_index,
        bundle_json=dump_bundle(bundle),
    )
    identity = signing_identity()
    signed = sign_pdf(
        render_agreement(doc, font=settings.ARTRIGHTS_CJK_FONT),
        identity.key,
        identity.chain,
        timestamps.answer,
        reason="调解协议书 / mediation agreement",
    )
    with transaction.atomic():
        agreement = locked(agreement)
        if agreement.pdf:
            return agreement
        agreement.pdf.save(f"{agreement.number}.pdf", ContentFile(signed), save=False)
        agreement.pdf_sha256 = hashlib.sha256(signed).hexdigest()
        agreement.save(update_fields=["pdf", "pdf_sha256"])
        audit.record("mediation.issue_agreement", agreement.case, changes={"sha256": agreement.pdf_sha256})
    return agreement


def obligation_line(o: Obligation) -> str:
    what = f"支付 {o.amount} 元" if o.amount is not None else ""
    if o.act:
        what = f"{what}，{o.act}" if what else o.act
    return f"{o.payer.party.name}于{o.due.year}年{o.due.month}月{o.due.day}日前{what}。"
