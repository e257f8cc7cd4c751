"""Offers on registered works, shown in the public catalogue, and a buyer's request for a licence on one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.services import notify
from artrights.registry.models import Work

from .. import integrity, notifications, selectors
from ..models import (
    OFFER_FLOW,
    Contract,
    ContractKind,
    ContractStatus,
    Exclusivity,
    Offer,
    OfferClosedReason,
    RoyaltyModel,
    Territory,
)
from . import contracts
from ._common import acting_party, check_holder, check_rights, check_work, today

OFFER_FIELDS = (
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
    "term_months",
    "note",
)


@transaction.atomic
def create_offer(
    *,
    user: Any,
    work: Work | None = None,
    kind: str = ContractKind.LICENCE,
    parent: Contract | None = None,
    **fields: Any,
) -> Offer:
    """Offer rights in a work the user holds, or sub-license under a licence the user holds (``parent``); it shows
    in the catalogue at once."""
    require(user, "create", Offer)
    if parent is not None:
        require(user, "sublicense", parent)
        work = parent.work
    if work is None:
        raise ValidationError(_("请选择作品。"))
    party = acting_party(user)
    check_work(work)
    offer = Offer(
        work=work,
        kind=kind,
        offered_by=user,
        licensor=party,
        parent=parent,
        **{k: v for k, v in fields.items() if k in OFFER_FIELDS},
    )
    offer.rights = check_rights(list(offer.rights))
    if kind not in ContractKind.values or offer.exclusivity not in Exclusivity.values:
        raise ValidationError(_("未知的合同类型或许可方式。"))
    if offer.territory not in Territory.values or offer.royalty_model not in RoyaltyModel.values:
        raise ValidationError(_("地域范围或付费方式无效。"))
    if offer.price < 0 or offer.royalty_rate < 0 or offer.unit_fee < 0 or not 1 <= offer.term_months <= 600:
        raise ValidationError(_("价款不能为负数，期限为 1 至 600 个月。"))
    if parent is not None:
        if kind != ContractKind.LICENCE:
            raise ValidationError(_("转许可只能是许可，不能转让。"))
        # The term is checked when a licensee asks (it depends on the start chosen); the rest is checked now.
        scope = integrity.Grant(
            rights=frozenset(offer.rights),
            exclusivity=offer.exclusivity,
            territory=offer.territory,
            start=parent.valid_from,
            end=parent.valid_until,
        )
        contracts.check_sublicence(parent, scope, licensor=party)
    else:
        check_holder(work, party, offer.rights)
    offer.full_clean(exclude=["work", "offered_by", "licensor"])
    offer.save()
    audit.record("licensing.create_offer", offer, actor=user)
    return offer


@transaction.atomic
def withdraw_offer(*, user: Any, offer: Offer) -> Offer:
    require(user, "withdraw", offer)
    OFFER_FLOW.apply(offer, "withdraw")
    offer.save(update_fields=["status"])
    audit.record("licensing.withdraw_offer", offer, actor=user)
    return offer


@transaction.atomic
def request_licence(*, user: Any, offer: Offer, valid_from: dt.date, industry: str = "") -> Contract:
    """A buyer asks for a licence on the offer's terms from ``valid_from``: a draft contract both sides sign."""
    require(user, "request", offer)
    check_work(offer.work)  # a revoked work is named as such, before the offer's own state
    if not selectors.is_offerable(offer):
        raise ValidationError(_("该要约已不再有效（转许可所依据的许可合同已到期或终止），不能申请。"))
    valid_until = selectors.add_months(valid_from, offer.term_months) - dt.timedelta(days=1)
    return contracts.create_contract(
        user=user,
        work=offer.work,
        kind=offer.kind,
        licensor_user=offer.offered_by,
        licensee_user=user,
        terms=contracts.terms_from(valid_from=valid_from, valid_until=valid_until, source=offer),
        offer=offer,
        licensee_industry=industry,
        parent=offer.parent,
    )


@transaction.atomic
def close_ended_sublicence_offers(*, parent: Contract | None = None, actor: Any = None) -> int:
    """Close every open sub-licence offer whose licence is no longer in force (only those under ``parent`` when
    given), with the reason the offerer sees on their desk and the offer's page, and tell the offerer unless they
    are the ``actor`` who ended the licence (the periodic task runs it, so expiry by date is caught too)."""
    day = today()
    closed = 0
    offers = selectors.ended_sublicence_offers(day)
    if parent is not None:
        offers = offers.filter(parent=parent)
    for offer in offers.select_for_update(of=("self",)):
        licence = offer.parent
        assert licence is not None  # the selector keeps sub-licence offers only
        expired = (
            licence.status == ContractStatus.FILED and licence.valid_until is not None and licence.valid_until < day
        )
        if licence.status == ContractStatus.FILED and not expired:
            continue  # filed but not started yet: it will be in force, so the offer stays
        OFFER_FLOW.apply(offer, "close")
        offer.closed_reason = OfferClosedReason.PARENT_EXPIRED if expired else OfferClosedReason.PARENT_ENDED
        offer.save(update_fields=["status", "closed_reason"])
        audit.record(
            "licensing.close_offer",
            offer,
            actor=actor,
            changes={"reason": offer.closed_reason, "parent": licence.number},
        )
        notify(
            recipients=[offer.offered_by],
            actor=actor,
            kind=notifications.SUBLICENCE_OFFER_CLOSED.key,
            subject=offer,
            params={"title": offer.work.title, "number": licence.number},
            url=reverse("licensing:offer", args=[offer.pk]),
        )
        closed += 1
    return closed
