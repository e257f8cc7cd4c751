"""Who may offer, ask, sign, amend, report, terminate, trade and finance; outsiders learn nothing of a contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from artrights.licensing import services
from artrights.licensing.models import Contract
from artrights.licensing.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

TRADERS = {"licensor", "licensee", "artist", "agency", "admin"}
STAFF = {"registrar", "supervisor", "admin"}


@pytest.fixture
def actors(people, artist, buyer):
    return {**people, "licensor": artist, "licensee": buyer}


@pytest.fixture
def draft(artist, buyer, work):
    return factories.contract(artist, buyer, work)


def test_who_may_act_on_a_draft_contract_matches_the_table(actors, draft):
    table = {
        SEES: STAFF | {"licensor", "licensee"},
        "view": STAFF | {"licensor", "licensee"},
        "sign": {"licensor", "licensee", "admin"},
        "amend": {"licensor", "licensee", "admin"},
        "cancel": {"licensor", "licensee", "admin"},
        "report_royalty": {"licensee", "admin"},
        "record_payment": {"licensor", "licensee", "admin"},
        "sublicense": {"licensee", "admin"},
        "terminate": {"licensor", "licensee", "admin"},
        "propose_termination": {"licensor", "licensee", "admin"},
        "agree_termination": {"admin"},
        "decline_termination": {"admin"},
        "withdraw_termination": {"admin"},
    }
    assert access_mismatches(table, actors=actors, target=draft) == []


def test_a_filed_contract_is_signed_and_amended_by_nobody(actors, artist, buyer, draft):
    filed = factories.signed(draft, buyer, artist)
    table = {
        SEES: STAFF | {"licensor", "licensee"},
        "view": STAFF | {"licensor", "licensee"},
        "sign": {"admin"},
        "amend": {"admin"},
        "cancel": {"admin"},
        "report_royalty": {"licensee", "admin"},
        "record_payment": {"licensor", "licensee", "admin"},
        "sublicense": {"licensee", "admin"},
        # Either side ends a filed licence early; the staff read it but do not end the parties' contract.
        "terminate": {"licensor", "licensee", "admin"},
        # Either side proposes ending it by agreement; with no proposal open, there is nothing to answer.
        "propose_termination": {"licensor", "licensee", "admin"},
        "agree_termination": {"admin"},
        "decline_termination": {"admin"},
        "withdraw_termination": {"admin"},
    }
    assert access_mismatches(table, actors=actors, target=filed) == []


def test_only_the_other_side_answers_a_proposal_to_end_by_agreement_and_only_its_proposer_withdraws_it(
    actors, artist, buyer, draft
):
    from django.utils import timezone

    filed = factories.signed(draft, buyer, artist)
    services.propose_termination(user=buyer, contract=filed, on_date=timezone.localdate(), reason="协商一致")
    table = {
        SEES: STAFF | {"licensor", "licensee"},
        "view": STAFF | {"licensor", "licensee"},
        "sign": {"admin"},
        "amend": {"admin"},
        "cancel": {"admin"},
        "report_royalty": {"licensee", "admin"},
        "record_payment": {"licensor", "licensee", "admin"},
        "sublicense": {"licensee", "admin"},
        "terminate": {"licensor", "licensee", "admin"},
        "propose_termination": {"licensor", "licensee", "admin"},  # the service refuses a second open one
        # The licensee proposed: the licensor answers; the staff read it but do not make the parties' agreement.
        "agree_termination": {"licensor", "admin"},
        "decline_termination": {"licensor", "admin"},
        "withdraw_termination": {"licensee", "admin"},
    }
    assert access_mismatches(table, actors=actors, target=filed) == []


def test_who_may_offer_ask_and_withdraw_matches_the_table(actors, artist, work):
    offer = factories.offer(artist, work)
    table = {
        "create": TRADERS,
        "withdraw": {"licensor", "admin"},
        "request": {"licensee", "artist", "agency", "admin"},
        "view": {"licensor"} | STAFF,  # once it left the catalogue; the catalogue's offers are public
    }
    assert access_mismatches(table, actors=actors, target=offer, model_verbs={"create"}) == []


def test_who_may_list_buy_and_close_matches_the_table(actors, artist, work):
    listing = services.create_listing(
        user=artist, work=work, rights=["reproduction"], method="agreement", price=Decimal(100)
    )
    table = {"create": TRADERS, "buy": {"licensee", "artist", "agency", "admin"}, "close": {"licensor", "admin"}}
    assert access_mismatches(table, actors=actors, target=listing, model_verbs={"create"}) == []


def test_only_the_exchange_staff_may_record_a_deposits_return(actors, artist, buyer, work):
    listing = factories.deposited(factories.auction(artist, work), buyer)
    deposit = listing.deposits.get()
    assert access_mismatches({"return": STAFF}, actors=actors, target=deposit) == []


def test_who_sees_a_financing_matches_the_table(actors, artist, buyer, registrar, work):
    licence = factories.signed(factories.contract(artist, buyer, work), buyer, artist)
    pledge = factories.pledge(registrar, work, buyer)  # the licensee's bank account holds the pledge here
    financing = services.link_financing(
        user=artist, pledge=pledge, contracts=[licence], lender="银行", loan_amount=Decimal(100)
    )
    table = {SEES: STAFF | {"licensor", "licensee"}, "create": TRADERS, "view": STAFF | {"licensor", "licensee"}}
    assert access_mismatches(table, actors=actors, target=financing, model_verbs={"create"}) == []


def test_an_outsider_gets_404_on_every_page_of_someone_elses_contract(client, outsider, artist, work, make_user):
    from artrights.testing import give_identity

    third = give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )
    contract = factories.contract(artist, third, work)
    client.force_login(outsider)
    number = contract.number
    for url in (
        f"/licensing/contracts/{number}/",
        f"/licensing/contracts/{number}/terms.json",
        f"/api/licensing/contracts/{number}",
    ):
        assert client.get(url).status_code == 404, url
    for action in ("sign", "amend", "cancel", "report", "pay", "file", "terminate"):
        assert client.post(f"/licensing/contracts/{number}/do/{action}/").status_code == 404, action
    assert Contract.objects.get(pk=contract.pk).signatures.count() == 0


def test_the_anonymous_visitor_reads_the_catalogue_and_a_works_title_but_no_desk(client, artist, work):
    offer = factories.offer(artist, work)
    assert client.get("/licensing/catalogue/").status_code == 200
    assert client.get(f"/licensing/offers/{offer.pk}/").status_code == 200
    assert client.get(f"/licensing/works/{work.number}/").status_code == 200
    assert client.get("/licensing/exchange/").status_code == 200
    for url in ("/licensing/", "/licensing/financing/", "/licensing/financing/pool.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    response = client.post(f"/licensing/offers/{offer.pk}/", {"valid_from": dt.date(2027, 1, 1).isoformat()})
    assert response.status_code == 302 and Contract.objects.count() == 0
