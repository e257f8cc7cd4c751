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
