"""Listings and trades as a cultural-property exchange records them (DOMAIN.md §6.4): whole rights only, by
agreement transfer or auction, the T+5 resale rule; a trade ends in a transfer contract filed with the registry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.selectors import working_calendar
from artrights.core.services import notify
from artrights.registry.models import Work

from .. import integrity, notifications, selectors
from ..models import LISTING_FLOW, Bid, ContractKind, Listing, RoyaltyModel, Territory, Trade, TradingMethod
from . import contracts
from ._common import acting_party, check_holder, check_rights, check_work, next_number, today

# The disclosure period a listing is published for before it may match ([U] typical ≥20 working days).
DISCLOSURE_DAYS = 20


def check_resale(work: Work, seller: Any, *, on: dt.date) -> None:
    """T+5: an item bought may be sold again only from the fifth trading day after the purchase settled."""
    bought = selectors.last_purchase(work, seller)
    if bought is None or bought.settled_on is None:
        return
    integrity.check_resale(
        bought_on=bought.settled_on, selling_on=on, earliest=selectors.resale_allowed_from(bought.settled_on)
    )


@transaction.atomic
def create_listing(
    *,
    user: Any,
    work: Work,
    rights: list[str],
    method: str,
    price: Decimal,
    territory: str = Territory.WORLDWIDE,
    share_percent: int = 100,
) -> Listing:
    """List the transfer of whole rights in a work for agreement transfer or auction."""
    require(user, "create", Listing)
    if method not in TradingMethod.values:
        raise integrity.RuleBroken(
            integrity.TRADING_METHOD, f"“{method}”不是允许的交易方式", f"“{method}” is not allowed"
        )
    integrity.check_whole(share_percent)
    seller = acting_party(user)
    check_work(work)
    rights = check_rights(rights)
    check_holder(work, seller, rights)
    check_resale(work, seller, on=today())
    if price <= 0:
        raise ValidationError(_("挂牌价必须大于零。"))
    if territory not in Territory.values:
        raise ValidationError(_("地域范围无效。"))
    listing = Listing.objects.create(
        number=next_number("listing"),
        work=work,
        seller=seller,
        seller_user=user,
        rights=rights,
        territory=territory,
        method=method,
        price=price,
        disclosure_until=working_calendar().add_working_days(today(), DISCLOSURE_DAYS),
    )
    audit.record("licensing.create_listing", listing, actor=user)
    return listing


def _match(listing: Listing, *, buyer_user: Any, price: Decimal, actor: Any) -> Trade:
    check_resale(listing.work, listing.seller, on=today())
    LISTING_FLOW.apply(listing, "match")
    listing.save(update_fields=["status"])
    contract = contracts.create_contract(
        user=actor,
        work=listing.work,
        kind=ContractKind.TRANSFER,
        licensor_user=listing.seller_user,
        licensee_user=buyer_user,
        terms={
            "rights": list(listing.rights),
            "territory": listing.territory,
            "royalty_model": RoyaltyModel.LUMP_SUM,
            "price": price,
            "valid_from": today(),
            "valid_until": None,
        },
    )
    trade = Trade.objects.create(
        number=next_number("trade"),
        listing=listing,
        buyer=contract.licensee,
        buyer_user=buyer_user,
        price=price,
        contract=contract,
    )
    audit.record("licensing.match", trade, actor=actor)
    notify(
        recipients=[listing.seller_user, buyer_user],
        kind=notifications.TRADE_MATCHED.key,
        subject=trade,
        params={"listing": listing.number, "price": str(price), "number": contract.number},
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return trade


@transaction.atomic
def buy(*, user: Any, listing: Listing) -> Trade:
    """协议转让: the buyer accepts the listed price; the trade's transfer contract awaits both signatures."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "buy", listing)
    if listing.method != TradingMethod.AGREEMENT:
        raise ValidationError(_("拍卖挂牌须出价竞买，不能直接按挂牌价成交。"))
    return _match(listing, buyer_user=user, price=listing.price, actor=user)


@transaction.atomic
def bid(*, user: Any, listing: Listing, amount: Decimal) -> Bid:
    """拍卖: a bid at least the starting price and above the highest bid so far."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "buy", listing)
    if listing.method != TradingMethod.AUCTION:
        raise ValidationError(_("协议转让的挂牌不接受竞价。"))
    highest = listing.highest_bid()
    floor = highest.amount if highest else listing.price
    if amount < listing.price or (highest is not None and amount <= floor):
        raise ValidationError(_("出价须不低于起拍价且高于当前最高价 %(floor)s 元。") % {"floor": floor})
    placed = Bid.objects.create(listing=listing, bidder=acting_party(user), bidder_user=user, amount=amount)
    audit.record("licensing.bid", placed, actor=user)
    return placed


@transaction.atomic
def close_auction(*, user: Any, listing: Listing) -> Trade:
    """The seller closes an auction: the highest bid wins."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "close", listing)
    highest = listing.highest_bid()
    if listing.method != TradingMethod.AUCTION or highest is None:
        raise ValidationError(_("只有已有出价的拍卖才能落槌成交。"))
    return _match(listing, buyer_user=highest.bidder_user, price=highest.amount, actor=user)


@transaction.atomic
def withdraw_listing(*, user: Any, listing: Listing) -> Listing:
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "close", listing)
    LISTING_FLOW.apply(listing, "withdraw")
    listing.save(update_fields=["status"])
    audit.record("licensing.withdraw_listing", listing, actor=user)
    return listing
