"""Auction deposits going back (竞买保证金退还): the exchange's staff record that a deposit to be returned was paid
back, with the transfer's or receipt's reference; the bidder is told and sees it. A deposit is returned once,
never while its auction runs or once it is part of the price, and only by the staff. An auction whose bidding
ended without a bid lapses (流拍) and frees every deposit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from artrights.core.models import AuditEvent, Notification
from artrights.licensing import services
from artrights.licensing.models import Deposit, Listing
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor-he", "supervisor", display_name="何监管")


def _awarded(artist, buyer, third, work, clock) -> Listing:
    """The buyer bid 50,000 and lost to the third bidder's 58,000; the seller awarded the auction."""
    listing = factories.deposited(factories.auction(artist, work), buyer, third)
    clock.to_day_after(listing.disclosure_until)
    services.bid(user=buyer, listing=listing, amount=Decimal("50000"))
    services.bid(user=third, listing=listing, amount=Decimal("58000"))
    assert listing.bidding_ends_at is not None
    clock.now = listing.bidding_ends_at + dt.timedelta(minutes=1)
    services.close_auction(user=artist, listing=listing)
    return listing


def _state(deposit: Deposit) -> tuple[str, dt.date | None, str, int | None]:
    deposit.refresh_from_db()
    return deposit.status, deposit.returned_on, deposit.return_reference, deposit.returned_by_id


def test_the_exchange_staff_record_a_losers_deposit_as_returned_and_the_bidder_is_told_the_reference(
    artist, buyer, third, work, registrar, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    returned = services.return_deposit(
        user=registrar, deposit=deposit, returned_on=timezone.localdate(), reference="  TK-20260301-88  "
    )
    assert _state(returned) == ("returned", timezone.localdate(), "TK-20260301-88", registrar.pk)
    assert returned.get_status_display() == "已退还" and returned.returned_at is not None
    event = AuditEvent.objects.get(action="licensing.return_deposit")
    assert event.actor_id == registrar.pk and "TK-20260301-88" in str(event.changes)
    told = Notification.objects.get(kind="licensing.deposit_returned")
    assert told.recipient_id == buyer.pk
    with translation.override("zh-hans"):
        assert "TK-20260301-88" in told.body and "5000" in told.body
    # The winner's deposit stays part of the price.
    assert Deposit.objects.get(listing=listing, bidder=third.party).status == "applied"


def test_a_deposit_cannot_be_recorded_as_returned_twice_and_the_first_reference_is_kept(
    artist, buyer, third, work, registrar, supervisor, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    services.return_deposit(user=registrar, deposit=deposit, returned_on=timezone.localdate(), reference="TK-1")
    before = _state(deposit)
    with pytest.raises(ValidationError) as caught:
        services.return_deposit(user=supervisor, deposit=deposit, returned_on=timezone.localdate(), reference="TK-2")
    assert "TK-1" in caught.value.messages[0] and "重复" in caught.value.messages[0]
    assert _state(deposit) == before
    assert Notification.objects.filter(kind="licensing.deposit_returned").count() == 1


def test_a_deposit_held_for_a_running_auction_or_applied_to_the_price_is_not_returned(
    artist, buyer, third, work, registrar, clock
):
    running = factories.deposited(factories.auction(artist, work), buyer)
    held = Deposit.objects.get(listing=running)
    with pytest.raises(ValidationError, match="竞价尚未结束"):
        services.return_deposit(user=registrar, deposit=held, returned_on=timezone.localdate(), reference="TK-1")
    assert _state(held) == ("held", None, "", None)

    other = factories.registered(artist, registrar, seed=41, title="第二幅作品")
    listing = _awarded(artist, buyer, third, other, clock)
    applied = Deposit.objects.get(listing=listing, bidder=third.party)
    with pytest.raises(ValidationError, match="转作成交价款"):
        services.return_deposit(user=registrar, deposit=applied, returned_on=timezone.localdate(), reference="TK-2")
    assert _state(applied) == ("applied", None, "", None)
    assert not Notification.objects.filter(kind="licensing.deposit_returned").exists()


def test_a_return_without_a_reference_dated_tomorrow_or_before_the_payment_is_refused_in_both_languages(
    artist, buyer, third, work, registrar, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    today = timezone.localdate()
    for returned_on, reference, zh, en in (
        (today, "   ", "退款的银行转账流水号或收据号", "bank transfer"),
        (today + dt.timedelta(days=1), "TK-1", "不能晚于今天", "later than today"),
        (deposit.paid_on - dt.timedelta(days=1), "TK-1", "不能早于", "earlier than"),
        (today, "T" * 61, "60 个字符", "60 characters"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.return_deposit(user=registrar, deposit=deposit, returned_on=returned_on, reference=reference)
        assert zh in caught.value.messages[0]
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            services.return_deposit(user=registrar, deposit=deposit, returned_on=returned_on, reference=reference)
        assert en in caught.value.messages[0]
    assert _state(deposit) == ("to_return", None, "", None)


def test_only_the_exchange_staff_record_a_return_not_the_seller_the_bidder_or_an_outsider(
    artist, buyer, third, work, registrar, make_user, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    stranger = make_user("stranger-agency", "agency")
    for someone in (artist, buyer, third, stranger):
        with pytest.raises(PermissionDenied):
            services.return_deposit(user=someone, deposit=deposit, returned_on=timezone.localdate(), reference="TK")
    assert _state(deposit) == ("to_return", None, "", None)


def test_an_auction_whose_bidding_ended_without_a_bid_lapses_and_frees_its_deposits(artist, buyer, third, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer, third)
    assert services.lapse_unsold_auctions() == 0  # still running
    assert listing.bidding_ends_at is not None
    clock.now = listing.bidding_ends_at + dt.timedelta(seconds=1)
    assert services.lapse_unsold_auctions() == 1
    listing.refresh_from_db()
    assert listing.status == "unsold" and listing.get_status_display() == "流拍"
    assert set(Deposit.objects.filter(listing=listing).values_list("status", flat=True)) == {"to_return"}
    told = Notification.objects.filter(kind="licensing.deposit_to_return").values_list("recipient_id", flat=True)
    assert sorted(told) == sorted([buyer.pk, third.pk])
    assert services.lapse_unsold_auctions() == 0  # once


def test_an_auction_with_a_bid_does_not_lapse_when_its_bidding_ends(artist, buyer, work, clock):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    clock.to_day_after(listing.disclosure_until)
    services.bid(user=buyer, listing=listing, amount=Decimal("50000"))
    assert listing.bidding_ends_at is not None
    clock.now = listing.bidding_ends_at + dt.timedelta(hours=1)
    assert services.lapse_unsold_auctions() == 0
    assert Deposit.objects.get(listing=listing).status == "held"


def test_the_staff_return_a_deposit_of_an_auction_that_ended_without_a_bid_before_the_sweep_ran(
    artist, buyer, work, registrar, clock
):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    assert listing.bidding_ends_at is not None
    clock.now = listing.bidding_ends_at + dt.timedelta(minutes=5)
    deposit = Deposit.objects.get(listing=listing)
    services.return_deposit(user=registrar, deposit=deposit, returned_on=timezone.localdate(), reference="TK-9")
    assert _state(deposit)[0:3] == ("returned", timezone.localdate(), "TK-9")
    listing.refresh_from_db()
    assert listing.status == "unsold"


def test_the_periodic_task_lapses_auctions_and_closes_offers_of_ended_licences():
    from artrights.licensing.tasks import ended_auctions_and_licences_task

    assert ended_auctions_and_licences_task.call_local() == (0, 0, 0)


# --- pages and API -----------------------------------------------------------------------------------------


def test_the_listing_page_asks_the_staff_to_confirm_a_return_and_shows_the_bidder_the_reference(
    client, artist, buyer, third, work, registrar, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    url = f"/licensing/exchange/{listing.number}/"
    client.force_login(registrar)
    page = client.get(url).content.decode()
    assert 'data-testid="return-form"' in page and "登记后不能撤销" in page
    response = client.post(
        f"{url}do/return-deposit/",
        {"deposit": deposit.pk, "returned_on": timezone.localdate().isoformat(), "reference": "TK-PAGE-1"},
    )
    assert response.status_code == 302
    assert _state(deposit)[0] == "returned"
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert "已退还" in page and "TK-PAGE-1" in page and 'data-testid="return-form"' not in page
    client.force_login(artist)
    assert "TK-PAGE-1" in client.get(url).content.decode()  # the seller still sees who was paid back


def test_an_outsider_posting_a_return_on_the_page_is_refused_and_nothing_changes(
    client, artist, buyer, third, work, registrar, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    url = f"/licensing/exchange/{listing.number}/do/return-deposit/"
    body = {"deposit": deposit.pk, "returned_on": timezone.localdate().isoformat(), "reference": "TK-X"}
    for someone in (third, buyer, artist):
        client.force_login(someone)
        assert 'data-testid="return-form"' not in client.get(f"/licensing/exchange/{listing.number}/").content.decode()
        assert client.post(url, body).status_code == 403
    client.force_login(registrar)
    assert client.post(url, body | {"deposit": "not-a-number"}).status_code == 404
    response = client.post(url, body | {"reference": ""}, follow=True)
    assert "请填写退还日期和退款凭证号" in response.content.decode()
    assert _state(deposit) == ("to_return", None, "", None)


def test_the_api_records_a_return_for_the_staff_and_refuses_the_bidder(
    client, artist, buyer, third, work, registrar, clock
):
    listing = _awarded(artist, buyer, third, work, clock)
    deposit = Deposit.objects.get(listing=listing, bidder=buyer.party)
    path = f"/api/licensing/listings/{listing.number}/deposits/{deposit.pk}/return"
    body = {"returned_on": timezone.localdate().isoformat(), "reference": "TK-API-7"}
    client.force_login(buyer)
    assert client.post(path, body, content_type="application/json").status_code == 403
    client.force_login(registrar)
    answer = client.post(path, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["return_reference"]) == ("returned", "TK-API-7")
    again = client.post(path, body, content_type="application/json")
    assert again.status_code in (400, 409, 422) and _state(deposit)[2] == "TK-API-7"
