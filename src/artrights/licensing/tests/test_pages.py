"""The pages as people use them: publish an offer, find it in the catalogue, ask, sign, report; refusals name
their rule in the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from artrights.licensing.models import Contract, Offer, RoyaltyReport
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db


def test_a_holder_publishes_an_offer_from_the_desk_and_it_is_found_in_the_catalogue(client, artist, work):
    client.force_login(artist)
    response = client.post(
        "/licensing/",
        {
            "work": work.pk,
            "kind": "licence",
            "rights": ["network"],
            "exclusivity": "non_exclusive",
            "territory": "mainland",
            "channels": "电商平台",
            "royalty_model": "running_royalty",
            "price": "0",
            "royalty_rate": "6",
            "unit_fee": "0",
            "reporting_months": "3",
            "term_months": "12",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.media == "电商平台" and offer.royalty_rate == Decimal("6")
    client.logout()
    found = client.get("/licensing/catalogue/", {"work_type": "FINE_ART", "right": "network", "max_price": "100"})
    assert work.title in found.content.decode()
    none = client.get("/licensing/catalogue/", {"right": "translation"})
    assert work.title not in none.content.decode()


def test_a_buyer_asks_signs_and_the_contract_page_shows_the_filing(client, artist, buyer, work):
    offer = factories.offer(artist, work)
    client.force_login(buyer)
    response = client.post(f"/licensing/offers/{offer.pk}/", {"valid_from": "2026-12-01", "industry": "出版"})
    contract = Contract.objects.get()
    assert response["Location"] == f"/licensing/contracts/{contract.number}/"
    client.post(f"/licensing/contracts/{contract.number}/do/sign/", {"sha256": contract.sha256})
    client.force_login(artist)
    desk = client.get("/licensing/").content.decode()
    assert contract.number in desk
    client.post(f"/licensing/contracts/{contract.number}/do/sign/", {"sha256": contract.sha256})
    contract.refresh_from_db()
    page = client.get(f"/licensing/contracts/{contract.number}/").content.decode()
    assert contract.is_filed and contract.filing.number in page and contract.sha256 in page
    terms = client.get(f"/licensing/contracts/{contract.number}/terms.json")
    import hashlib

    assert hashlib.sha256(terms.content).hexdigest() == contract.sha256


def test_an_overlapping_exclusive_request_is_refused_on_the_page_in_english_with_the_rules_name(
    client, artist, buyer, work, make_user
):
    from artrights.testing import give_identity

    factories.signed(factories.contract(artist, buyer, work, exclusivity="exclusive"), buyer, artist)
    offer = factories.offer(artist, work, rights=["reproduction"], exclusivity="sole")
    third = give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )
    client.force_login(third)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(f"/licensing/offers/{offer.pk}/", {"valid_from": "2026-06-01"})
    text = response.content.decode()
    assert response.status_code == 200 and "exclusive_overlap" in text and "Refused by rule" in text
    assert Contract.objects.count() == 1


def test_a_royalty_report_on_a_lump_sum_licence_is_refused_on_the_page_and_nothing_is_stored(
    client, artist, buyer, work
):
    contract = factories.signed(factories.contract(artist, buyer, work), buyer, artist)
    client.force_login(buyer)
    response = client.post(
        f"/licensing/contracts/{contract.number}/do/report/",
        {"period_start": "2026-01-01", "revenue": "100", "units": "0"},
    )
    assert response.status_code == 422 and "royalty_licence_running" in response.content.decode()
    assert RoyaltyReport.objects.count() == 0


def test_the_desk_in_english_lists_what_is_due(client, artist, buyer, work):
    factories.signed(
        factories.contract(
            artist,
            buyer,
            work,
            start=dt.date(2025, 1, 1),
            rights=["network"],
            royalty_model="running_royalty",
            royalty_rate=Decimal(5),
        ),
        buyer,
        artist,
    )
    client.force_login(buyer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/licensing/").content.decode()
    assert "Report overdue" in text and "Licensing" in text


def test_a_holder_lists_an_auction_from_the_exchange_page_and_a_short_disclosure_is_refused_by_name(
    client, artist, work
):
    from artrights.licensing.models import Listing

    ends = factories.disclosure_end() + dt.timedelta(days=3)
    form = {
        "work": work.pk,
        "rights": ["network"],
        "territory": "worldwide",
        "method": "auction",
        "price": "50000",
        "bidding_ends_at": f"{ends.isoformat()}T16:00",
        "deposit": "5000",
        "increment": "500",
    }
    client.force_login(artist)
    short = client.post("/licensing/exchange/", form | {"disclosure_until": dt.date.today().isoformat()})
    assert short.status_code == 200 and "disclosure_period" in short.content.decode()
    assert Listing.objects.count() == 0
    response = client.post("/licensing/exchange/", form)
    listing = Listing.objects.get()
    assert response.status_code == 302 and (listing.deposit, listing.increment) == (Decimal(5000), Decimal(500))
    page = client.get(f"/licensing/exchange/{listing.number}/").content.decode()
    assert "竞价截止时间" in page and f"{ends.isoformat()} 16:00" in page


def test_a_bidder_records_the_deposit_on_the_listing_page_and_waits_for_the_disclosure_to_end(
    client, artist, buyer, work, clock, make_user
):
    listing = factories.auction(artist, work)
    client.force_login(buyer)
    page = client.get(f"/licensing/exchange/{listing.number}/").content.decode()
    assert 'data-testid="deposit-form"' in page and 'data-testid="bid-form"' not in page
    client.post(
        f"/licensing/exchange/{listing.number}/do/deposit/",
        {"paid_on": dt.date.today().isoformat(), "reference": "BZJ-0001"},
    )
    page = client.get(f"/licensing/exchange/{listing.number}/").content.decode()
    assert "BZJ-0001" in page and 'data-testid="wait-disclosure"' in page
    early = client.post(f"/licensing/exchange/{listing.number}/do/bid/", {"amount": "50000"}, follow=True)
    assert "disclosure_period" in early.content.decode() and not listing.bids.exists()
    clock.to_day_after(listing.disclosure_until)
    client.force_login(buyer)  # weeks later: the session of that day has expired
    page = client.get(f"/licensing/exchange/{listing.number}/").content.decode()
    assert 'data-testid="bid-form"' in page and "50000" in page
    client.post(f"/licensing/exchange/{listing.number}/do/bid/", {"amount": "50000"})
    assert listing.bids.get().amount == Decimal("50000")
    client.force_login(artist)
    assert "BZJ-0001" in client.get(f"/licensing/exchange/{listing.number}/").content.decode()
    client.force_login(make_user("onlooker-he", "artist"))
    onlooker = client.get(f"/licensing/exchange/{listing.number}/").content.decode()
    assert "BZJ-0001" not in onlooker and 'data-testid="deposits"' not in onlooker
    client.logout()
    assert "BZJ-0001" not in client.get(f"/licensing/exchange/{listing.number}/").content.decode()


def test_the_contract_page_shows_a_guarantee_shortfall_and_the_licensee_offers_a_sub_licence(
    client, artist, buyer, work
):
    from artrights.licensing import services

    contract = factories.signed(
        factories.contract(
            artist,
            buyer,
            work,
            start=dt.date(2026, 1, 1),
            rights=["network"],
            royalty_model="minimum_guarantee",
            price=Decimal("8000"),
            royalty_rate=Decimal("10"),
            sublicensable=True,
        ),
        buyer,
        artist,
    )
    services.report_royalty(user=buyer, contract=contract, period_start=dt.date(2026, 1, 1), revenue=Decimal(6000))
    client.force_login(buyer)
    page = client.get(f"/licensing/contracts/{contract.number}/").content.decode()
    assert 'data-testid="top-up"' in page and "400.00" in page and 'data-testid="sublicence-form"' in page
    offer = {
        "rights": ["network"],
        "exclusivity": "non_exclusive",
        "territory": "worldwide",
        "royalty_model": "lump_sum",
        "price": "1000",
        "royalty_rate": "0",
        "unit_fee": "0",
        "reporting_months": "3",
        "term_months": "6",
    }
    refused = client.post(f"/licensing/contracts/{contract.number}/do/sublicense/", offer)
    assert refused.status_code == 422 and "sublicence_scope" in refused.content.decode()
    assert not Offer.objects.exists()
    response = client.post(f"/licensing/contracts/{contract.number}/do/sublicense/", offer | {"territory": "mainland"})
    assert response.status_code == 302 and Offer.objects.get().parent == contract
    client.force_login(artist)
    licensor_page = client.get(f"/licensing/contracts/{contract.number}/").content.decode()
    assert 'data-testid="sublicence-form"' not in licensor_page
    licensor_post = client.post(f"/licensing/contracts/{contract.number}/do/sublicense/", offer)
    assert licensor_post.status_code in (403, 422) and Offer.objects.count() == 1
