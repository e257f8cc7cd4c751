"""The exchange's disclosure period and its auctions (DOMAIN.md §6.4): nothing matches or is bid on before the
disclosure ends; a bidder pays the deposit first, bids rise by the increment until the bidding ends, the highest
bid wins and the others' deposits are to be returned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artrights.core.models import Notification
from artrights.licensing import services
from artrights.licensing.integrity import RuleBroken
from artrights.licensing.models import Bid, Deposit, Listing, Trade
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db


def _refused(rule: str, act, *counted):
    before = [model.objects.count() for model in counted]
    with pytest.raises(RuleBroken) as caught:
        act()
    assert caught.value.code == rule and rule in caught.value.message_zh and rule in caught.value.message_en
    assert [model.objects.count() for model in counted] == before
    return caught.value


def _bidding_open(clock, listing: Listing) -> None:
    clock.to_day_after(listing.disclosure_until)


def test_a_listing_is_bought_only_after_its_disclosure_period_has_ended(artist, buyer, work, clock):
    listing = services.create_listing(
        user=artist, work=work, rights=["exhibition"], method="agreement", price=Decimal("80000")
    )
    assert listing.disclosure_until == factories.disclosure_end()
    error = _refused("disclosure_period", lambda: services.buy(user=buyer, listing=listing), Trade)
    assert listing.disclosure_until.isoformat() in error.message_zh
    clock.to_day_after(listing.disclosure_until - dt.timedelta(days=1))  # the last day of the disclosure
    _refused("disclosure_period", lambda: services.buy(user=buyer, listing=listing), Trade)
    listing.refresh_from_db()
    assert listing.status == "published"
    clock.to_day_after(listing.disclosure_until)
    trade = services.buy(user=buyer, listing=listing)
    assert trade.listing.status == "matched" and trade.contract.valid_from == listing.disclosure_until + dt.timedelta(
        days=1
    )


def test_a_disclosure_shorter_than_twenty_working_days_is_refused_and_a_longer_one_kept(artist, work):
    short = timezone.localdate() + dt.timedelta(days=10)
    error = _refused(
        "disclosure_period",
        lambda: services.create_listing(
            user=artist,
            work=work,
            rights=["exhibition"],
            method="agreement",
            price=Decimal("80000"),
            disclosure_until=short,
        ),
        Listing,
    )
    assert factories.disclosure_end().isoformat() in error.message_zh
    longer = factories.disclosure_end() + dt.timedelta(days=30)
    listing = services.create_listing(
        user=artist, work=work, rights=["exhibition"], method="agreement", price=Decimal(1), disclosure_until=longer
    )
    assert listing.disclosure_until == longer


def test_an_auction_must_name_a_bidding_end_after_the_disclosure_a_deposit_and_an_increment(artist, work):
    during = timezone.make_aware(dt.datetime.combine(factories.disclosure_end(), dt.time(17)))
    for bad in (
        {"bidding_ends_at": None},
        {"bidding_ends_at": during},
        {"deposit": Decimal(0)},
        {"increment": Decimal(0)},
    ):
        _refused("auction_terms", lambda bad=bad: factories.auction(artist, work, **bad), Listing)
    listing = factories.auction(artist, work)
    assert (listing.deposit, listing.increment) == (Decimal("5000"), Decimal("1000"))
    assert timezone.localtime(listing.bidding_ends_at).date() > listing.disclosure_until


def test_a_bid_waits_for_the_end_of_the_disclosure_and_for_the_bidders_deposit(artist, buyer, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    deposit = Deposit.objects.get(listing=listing)
    assert (deposit.amount, deposit.status, deposit.bidder_id) == (Decimal("5000"), "held", buyer.party_id)
    _refused("disclosure_period", lambda: services.bid(user=buyer, listing=listing, amount=Decimal("50000")), Bid)
    _bidding_open(clock, listing)
    assert services.bid(user=buyer, listing=listing, amount=Decimal("50000")).amount == Decimal("50000")


def test_a_bidder_without_a_deposit_is_refused(artist, buyer, third, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    _bidding_open(clock, listing)
    error = _refused(
        "deposit_before_bidding", lambda: services.bid(user=third, listing=listing, amount=Decimal("60000")), Bid
    )
    assert "5000" in error.message_zh


def test_a_deposit_is_recorded_once_with_its_payment_reference_and_never_dated_tomorrow(artist, buyer, work):
    listing = factories.auction(artist, work)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for paid_on, reference in ((tomorrow, "BZJ-1"), (timezone.localdate(), "  ")):
        with pytest.raises(ValidationError):
            services.register_deposit(user=buyer, listing=listing, paid_on=paid_on, reference=reference)
    factories.deposited(listing, buyer)
    with pytest.raises(ValidationError):
        factories.deposited(listing, buyer)
    assert Deposit.objects.filter(listing=listing).count() == 1


def test_bids_below_the_start_or_not_above_the_highest_by_the_increment_are_refused(artist, buyer, third, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer, third)
    _bidding_open(clock, listing)
    _refused("bid_increment", lambda: services.bid(user=buyer, listing=listing, amount=Decimal("49999.99")), Bid)
    services.bid(user=buyer, listing=listing, amount=Decimal("52000"))
    error = _refused(
        "bid_increment", lambda: services.bid(user=third, listing=listing, amount=Decimal("52999.99")), Bid
    )
    assert "53000" in error.message_zh
    services.bid(user=third, listing=listing, amount=Decimal("53000"))
    assert listing.highest_bid().amount == Decimal("53000")


def test_no_bid_is_taken_after_the_bidding_ends_and_no_award_is_made_before(artist, buyer, third, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer, third)
    _bidding_open(clock, listing)
    services.bid(user=buyer, listing=listing, amount=Decimal("50000"))
    _refused("bidding_window", lambda: services.close_auction(user=artist, listing=listing), Trade)
    clock.now = listing.bidding_ends_at
    _refused("bidding_window", lambda: services.bid(user=third, listing=listing, amount=Decimal("70000")), Bid)
    _refused(
        "bidding_window",
        lambda: services.register_deposit(user=buyer, listing=listing, paid_on=timezone.localdate(), reference="X"),
        Deposit,
    )
    assert services.close_auction(user=artist, listing=listing).price == Decimal("50000")


def test_the_highest_bidder_wins_and_the_other_deposits_are_to_be_returned(artist, buyer, third, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer, third)
    _bidding_open(clock, listing)
    services.bid(user=buyer, listing=listing, amount=Decimal("50000"))
    services.bid(user=third, listing=listing, amount=Decimal("58000"))
    assert listing.bidding_ends_at is not None
    clock.now = listing.bidding_ends_at + dt.timedelta(minutes=1)
    trade = services.close_auction(user=artist, listing=listing)
    assert (trade.buyer_id, trade.price, trade.contract.kind) == (third.party_id, Decimal("58000"), "transfer")
    statuses = {d.bidder_id: d.status for d in Deposit.objects.filter(listing=listing)}
    assert statuses == {third.party_id: "applied", buyer.party_id: "to_return"}
    told = Notification.objects.filter(kind="licensing.deposit_to_return")
    assert [n.recipient_id for n in told] == [buyer.pk]


def test_an_auction_without_bids_is_not_awarded_and_a_withdrawal_returns_every_deposit(artist, buyer, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    clock.now = listing.bidding_ends_at
    with pytest.raises(ValidationError):
        services.close_auction(user=artist, listing=listing)
    services.withdraw_listing(user=artist, listing=listing)
    assert Deposit.objects.get(listing=listing).status == "to_return"


def test_the_seller_cannot_bid_or_pay_a_deposit_and_a_bidder_cannot_award(artist, buyer, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    with pytest.raises(PermissionDenied):
        services.register_deposit(user=artist, listing=listing, paid_on=timezone.localdate(), reference="X")
    _bidding_open(clock, listing)
    with pytest.raises(PermissionDenied):
        services.bid(user=artist, listing=listing, amount=Decimal("60000"))
    services.bid(user=buyer, listing=listing, amount=Decimal("60000"))
    clock.now = listing.bidding_ends_at
    with pytest.raises(PermissionDenied):
        services.close_auction(user=buyer, listing=listing)
    assert not Trade.objects.exists()
