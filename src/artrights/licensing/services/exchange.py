"""Listings and trades as a cultural-property exchange records them (DOMAIN.md §6.4): whole rights only, by
agreement transfer or auction, the T+5 resale rule; a trade ends in a transfer contract filed with the registry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.services import notify
from artrights.registry.models import Work

from .. import integrity, notifications, selectors
from ..models import (
    DEPOSIT_FLOW,
    LISTING_FLOW,
    Bid,
    ContractKind,
    Deposit,
    DepositStatus,
    Listing,
    RoyaltyModel,
    Territory,
    Trade,
    TradingMethod,
)
from . import contracts
from ._common import acting_party, check_holder, check_rights, check_work, next_number, today


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
    disclosure_until: dt.date | None = None,
    bidding_ends_at: dt.datetime | None = None,
    deposit: Decimal = Decimal(0),
    increment: Decimal = Decimal(0),
) -> Listing:
    """List the transfer of whole rights in a work for agreement transfer or auction, disclosed for at least
    ``selectors.DISCLOSURE_DAYS`` working days; an auction also names its bidding end, deposit and increment."""
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
    earliest_end = selectors.disclosure_end(today())
    disclosure_until = disclosure_until or earliest_end
    integrity.check_disclosure_length(disclosure_until=disclosure_until, earliest_end=earliest_end)
    if method == TradingMethod.AUCTION:
        _check_auction_terms(
            disclosure_until=disclosure_until, ends_at=bidding_ends_at, deposit=deposit, step=increment
        )
    else:
        bidding_ends_at, deposit, increment = None, Decimal(0), Decimal(0)
    listing = Listing.objects.create(
        number=next_number("listing"),
        work=work,
        seller=seller,
        seller_user=user,
        rights=rights,
        territory=territory,
        method=method,
        price=price,
        disclosure_until=disclosure_until,
        bidding_ends_at=bidding_ends_at,
        deposit=deposit,
        increment=increment,
    )
    audit.record("licensing.create_listing", listing, actor=user)
    return listing


def _check_auction_terms(
    *, disclosure_until: dt.date, ends_at: dt.datetime | None, deposit: Decimal, step: Decimal
) -> None:
    missing_zh, missing_en = [], []
    if ends_at is None or timezone.localtime(ends_at).date() <= disclosure_until:
        missing_zh.append(f"竞价截止时间须在 {disclosure_until.isoformat()} 之后")
        missing_en.append(f"the bidding must end after {disclosure_until.isoformat()}")
    if deposit <= 0:
        missing_zh.append("竞买保证金须大于零")
        missing_en.append("the deposit must be above zero")
    if step <= 0:
        missing_zh.append("加价幅度须大于零")
        missing_en.append("the increment must be above zero")
    if missing_zh:
        raise integrity.RuleBroken(integrity.AUCTION_TERMS, "；".join(missing_zh), "; ".join(missing_en))


def _match(listing: Listing, *, buyer_user: Any, price: Decimal, actor: Any) -> Trade:
    integrity.check_disclosed(disclosure_until=listing.disclosure_until, on=today())
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
        actor=actor,
        kind=notifications.TRADE_MATCHED.key,
        subject=trade,
        params={"listing": listing.number, "price": str(price), "number": contract.number},
        url=reverse("licensing:contract", args=[contract.number]),
    )
    return trade


@transaction.atomic
def buy(*, user: Any, listing: Listing) -> Trade:
    """协议转让: once the disclosure has ended, the buyer accepts the listed price; the trade's transfer contract
    awaits both signatures."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "buy", listing)
    if listing.method != TradingMethod.AGREEMENT:
        raise ValidationError(_("拍卖挂牌须出价竞买，不能直接按挂牌价成交。"))
    return _match(listing, buyer_user=user, price=listing.price, actor=user)


@transaction.atomic
def register_deposit(*, user: Any, listing: Listing, paid_on: dt.date, reference: str) -> Deposit:
    """竞买登记: the bidder records the deposit paid into the exchange (amount as listed) before the bidding ends."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "buy", listing)
    if listing.method != TradingMethod.AUCTION:
        raise ValidationError(_("协议转让的挂牌不收竞买保证金。"))
    if listing.bidding_over(timezone.now()):
        raise integrity.RuleBroken(integrity.BIDDING_CLOSED, "竞价已截止", "the bidding has ended")
    if paid_on > today():
        raise ValidationError(_("交纳日期不能晚于今天。"))
    if not reference.strip():
        raise ValidationError(_("请填写保证金的付款凭证号。"))
    bidder = acting_party(user)
    if listing.deposits.filter(bidder=bidder).exists():
        raise ValidationError(_("您已登记本挂牌的竞买保证金。"))
    deposit = Deposit.objects.create(
        listing=listing,
        bidder=bidder,
        bidder_user=user,
        amount=listing.deposit,
        paid_on=paid_on,
        reference=reference.strip()[:60],
    )
    audit.record("licensing.register_deposit", deposit, actor=user)
    return deposit


@transaction.atomic
def bid(*, user: Any, listing: Listing, amount: Decimal) -> Bid:
    """拍卖: after the disclosure and before the bidding ends, a bidder with a deposit bids at least the starting
    price, and at least the increment above the highest bid so far."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "buy", listing)
    if listing.method != TradingMethod.AUCTION:
        raise ValidationError(_("协议转让的挂牌不接受竞价。"))
    integrity.check_disclosed(disclosure_until=listing.disclosure_until, on=today())
    if listing.bidding_over(timezone.now()):
        raise integrity.RuleBroken(integrity.BIDDING_CLOSED, "竞价已截止", "the bidding has ended")
    bidder = acting_party(user)
    if not listing.deposits.filter(bidder=bidder, status=DepositStatus.HELD).exists():
        raise integrity.RuleBroken(
            integrity.DEPOSIT_FIRST,
            f"须先交纳 {listing.deposit} 元保证金",
            f"pay the {listing.deposit} yuan deposit first",
        )
    highest = listing.highest_bid()
    integrity.check_bid(
        amount=amount,
        start_price=listing.price,
        highest=highest.amount if highest else None,
        increment=listing.increment,
    )
    placed = Bid.objects.create(listing=listing, bidder=bidder, bidder_user=user, amount=amount)
    audit.record("licensing.bid", placed, actor=user)
    return placed


def _settle_deposits(listing: Listing, *, winner: Any | None) -> None:
    """The winner's deposit becomes part of the price; every other bidder's is to be returned."""
    for deposit in listing.deposits.filter(status=DepositStatus.HELD).select_related("bidder_user"):
        won = winner is not None and deposit.bidder_id == winner.pk
        DEPOSIT_FLOW.apply(deposit, "apply" if won else "release")
        deposit.save(update_fields=["status"])
        if not won:
            notify(
                recipients=[deposit.bidder_user],
                kind=notifications.DEPOSIT_TO_RETURN.key,
                subject=listing,
                params={"listing": listing.number, "amount": str(deposit.amount)},
                url=reverse("licensing:listing", args=[listing.number]),
            )


@transaction.atomic
def close_auction(*, user: Any, listing: Listing) -> Trade:
    """落槌: after the bidding ends the seller awards the auction to the highest bidder."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "close", listing)
    if listing.method != TradingMethod.AUCTION:
        raise ValidationError(_("只有拍卖挂牌才能落槌成交。"))
    integrity.check_disclosed(disclosure_until=listing.disclosure_until, on=today())
    if not listing.bidding_over(timezone.now()):
        ends = timezone.localtime(listing.bidding_ends_at).strftime("%Y-%m-%d %H:%M") if listing.bidding_ends_at else ""
        raise integrity.RuleBroken(
            integrity.BIDDING_CLOSED, f"竞价 {ends} 截止，截止后才能落槌", f"the bidding ends {ends}; award after it"
        )
    highest = listing.highest_bid()
    if highest is None:
        raise ValidationError(_("没有出价的拍卖不能落槌成交；竞价截止后即为流拍，保证金转为待退还。"))
    trade = _match(listing, buyer_user=highest.bidder_user, price=highest.amount, actor=user)
    _settle_deposits(listing, winner=highest.bidder)
    return trade


@transaction.atomic
def withdraw_listing(*, user: Any, listing: Listing) -> Listing:
    """The seller withdraws a listing before it matched; any deposits paid are to be returned."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    require(user, "close", listing)
    LISTING_FLOW.apply(listing, "withdraw")
    listing.save(update_fields=["status"])
    _settle_deposits(listing, winner=None)
    audit.record("licensing.withdraw_listing", listing, actor=user)
    return listing


def _lapse(listing: Listing) -> None:
    LISTING_FLOW.apply(listing, "lapse")
    listing.save(update_fields=["status"])
    _settle_deposits(listing, winner=None)
    audit.record("licensing.lapse_auction", listing)


@transaction.atomic
def lapse_unsold_auctions() -> int:
    """流拍: every published auction whose bidding ended without a bid is closed and its deposits are to be
    returned, without waiting for the seller (the bidders' money must not stay held for nothing)."""
    now = timezone.now()
    lapsed = 0
    candidates = Listing.objects.select_for_update().filter(
        method=TradingMethod.AUCTION, status="published", bidding_ends_at__lte=now
    )
    for listing in candidates:
        if listing.ended_unsold(now):
            _lapse(listing)
            lapsed += 1
    return lapsed


@transaction.atomic
def return_deposit(*, user: Any, deposit: Deposit, returned_on: dt.date, reference: str) -> Deposit:
    """The exchange records that a deposit to be returned was paid back to its bidder, with the transfer's or
    receipt's reference; it cannot be recorded twice or undone."""
    # The listing first, as the sweep locks it, so both cannot lapse the same auction.
    listing = Listing.objects.select_for_update().get(pk=deposit.listing_id)
    deposit = Deposit.objects.select_for_update().select_related("bidder_user").get(pk=deposit.pk)
    if deposit.status == DepositStatus.HELD and listing.ended_unsold(timezone.now()):
        _lapse(listing)  # ended without a bid: the staff need not wait for the sweep to free the deposits
        deposit.refresh_from_db()
    require(user, "return", deposit)
    if deposit.status == DepositStatus.HELD:
        raise ValidationError(_("竞价尚未结束，保证金仍为竞买所需，不能退还。"))
    if deposit.status == DepositStatus.APPLIED:
        raise ValidationError(_("竞得人的保证金已转作成交价款，不能退还。"))
    if deposit.status == DepositStatus.RETURNED:
        raise ValidationError(
            _("这笔保证金已于 %(date)s 退还（凭证号 %(reference)s），不能重复登记。")
            % {
                "date": deposit.returned_on.isoformat() if deposit.returned_on else "",
                "reference": deposit.return_reference,
            }
        )
    reference = reference.strip()
    if not reference:
        raise ValidationError(_("请填写退款的银行转账流水号或收据号。"))
    if len(reference) > 60:
        raise ValidationError(_("退款凭证号不超过 60 个字符。"))
    if returned_on > today():
        raise ValidationError(_("退还日期不能晚于今天。"))
    if returned_on < deposit.paid_on:
        raise ValidationError(_("退还日期不能早于保证金的交纳日期。"))
    DEPOSIT_FLOW.apply(deposit, "return")
    deposit.returned_on = returned_on
    deposit.return_reference = reference
    deposit.returned_by = user
    deposit.returned_at = timezone.now()
    deposit.save(update_fields=["status", "returned_on", "return_reference", "returned_by", "returned_at"])
    audit.record("licensing.return_deposit", deposit, actor=user, changes={"reference": reference})
    notify(
        recipients=[deposit.bidder_user],
        kind=notifications.DEPOSIT_RETURNED.key,
        subject=listing,
        params={
            "listing": listing.number,
            "amount": str(deposit.amount),
            "date": returned_on.isoformat(),
            "reference": reference,
        },
        url=reverse("licensing:listing", args=[listing.number]),
    )
    return deposit
