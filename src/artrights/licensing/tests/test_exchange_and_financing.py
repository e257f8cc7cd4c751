"""Exchange listings and trades ending in a filed transfer; pledge financing and the receivable pool."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from artrights.licensing import selectors, services
from artrights.licensing.integrity import RuleBroken
from artrights.licensing.tests import factories
from artrights.registry.models import ContractType

pytestmark = pytest.mark.django_db


def test_an_auction_goes_to_the_highest_bid_and_ends_in_a_filed_transfer(artist, buyer, third, work, clock):
    listing = factories.deposited(
        factories.auction(artist, work, rights=["reproduction", "network"], increment=Decimal("100")), buyer, third
    )
    clock.to_day_after(listing.disclosure_until)
    services.bid(user=buyer, listing=listing, amount=Decimal("52000"))
    with pytest.raises(RuleBroken):
        services.bid(user=third, listing=listing, amount=Decimal("52000"))
    services.bid(user=third, listing=listing, amount=Decimal("60000"))
    with pytest.raises(ValidationError):
        services.buy(user=buyer, listing=listing)  # an auction is not bought at the listed price
    clock.now = listing.bidding_ends_at
    trade = services.close_auction(user=artist, listing=listing)
    assert (trade.buyer, trade.price, trade.listing.status) == (third.party, Decimal("60000"), "matched")
    contract = factories.signed(trade.contract, third, artist)
    trade.refresh_from_db()
    assert trade.status == "filed" and contract.filing.contract_type == ContractType.TRANSFER
    held = selectors.holders(work)
    assert [p.pk for p in held["network"]] == [third.party_id] and [p.pk for p in held["exhibition"]] == [
        artist.party_id
    ]


def test_the_seller_cannot_buy_its_own_listing(artist, work):
    from django.core.exceptions import PermissionDenied

    listing = services.create_listing(
        user=artist, work=work, rights=["reproduction"], method="agreement", price=Decimal(9)
    )
    with pytest.raises(PermissionDenied):
        services.buy(user=artist, listing=listing)


def test_a_pledge_is_linked_to_the_licence_income_it_secures_and_the_pool_has_concentration_figures(
    artist, buyer, third, registrar, work, make_user
):
    a = factories.signed(
        factories.contract(
            artist, buyer, work, start=dt.date(2026, 6, 1), price=Decimal("30000"), licensee_industry="出版"
        ),
        buyer,
        artist,
    )
    b = factories.signed(
        factories.contract(artist, third, work, rights=["network"], start=dt.date(2026, 6, 1), price=Decimal("10000")),
        third,
        artist,
    )
    pledge = factories.pledge(registrar, work, make_user("bank-clerk", "artist"))
    financing = services.link_financing(
        user=artist, pledge=pledge, contracts=[a, b], lender="示例银行深圳分行", loan_amount=Decimal("200000")
    )
    assert set(financing.contracts.all()) == {a, b}
    pool = selectors.receivable_pool([a, b], cut_off=dt.date(2026, 12, 1))
    assert pool.total == Decimal("40000")
    assert pool.top1_share == Decimal("75.00") and pool.top5_share == Decimal("100.00")
    assert pool.hhi == Decimal("6250.00")
    assert Decimal(17) < pool.weighted_remaining_months < Decimal(19)


def test_the_pool_downloads_as_csv(client, artist, buyer, work):
    factories.signed(
        factories.contract(artist, buyer, work, price=Decimal("30000"), licensee_industry="出版"), buyer, artist
    )
    client.force_login(artist)
    response = client.get("/licensing/financing/pool.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["contract", "work", "obligor", "industry", "month", "amount_cny"]
    assert rows[1][2:4] == ["吴路人", "出版"]
    assert ["largest_obligor_share_pct", "100.00"] in rows


def test_a_joint_works_pledge_by_one_co_owner_finances_nothing(artist, buyer, third, registrar, make_user):
    work = factories.joint(artist, registrar)
    licence = factories.signed(factories.contract(artist, third, work), third, artist)
    pledge = factories.pledge(registrar, work, make_user("bank-clerk", "artist"))
    with pytest.raises(RuleBroken) as caught:
        services.link_financing(user=artist, pledge=pledge, contracts=[licence], lender="银行", loan_amount=Decimal(1))
    assert caught.value.code == "joint_work_all_owners"


def test_the_pool_downloads_as_pdf_with_its_figures(client, artist, buyer, work):
    import subprocess

    factories.signed(
        factories.contract(artist, buyer, work, price=Decimal("30000"), licensee_industry="出版"), buyer, artist
    )
    client.force_login(artist)
    response = client.get("/licensing/financing/pool.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=False)
    if done.returncode == 0:  # poppler is installed where the PDF tests run
        text = done.stdout.decode()
        assert "吴路人" in text and "30000.00" in text and "100.00%" in text
