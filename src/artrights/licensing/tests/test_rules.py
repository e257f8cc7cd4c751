"""The integrity rules of §6.1 and §6.4, each refused with the rule's name and nothing stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from artrights.core.services import PartyInput
from artrights.licensing import services
from artrights.licensing.integrity import RuleBroken
from artrights.licensing.models import Contract, Listing, RoyaltyReport
from artrights.licensing.tests import factories
from artrights.registry import services as registry
from artrights.registry.services import filings
from artrights.testing import give_identity

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)


def _refused(rule: str, act, *counted):
    before = [model.objects.count() for model in counted]
    with pytest.raises(RuleBroken) as caught:
        act()
    assert caught.value.code == rule
    assert rule in caught.value.message_zh and rule in caught.value.message_en
    assert [model.objects.count() for model in counted] == before
    return caught.value


def test_two_exclusive_licences_of_the_same_right_territory_and_period_are_refused(artist, buyer, third, work):
    factories.signed(factories.contract(artist, buyer, work, exclusivity="exclusive"), buyer, artist)
    error = _refused(
        "exclusive_overlap",
        lambda: factories.contract(artist, third, work, exclusivity="sole", start=dt.date(2027, 6, 1)),
        Contract,
    )
    assert "LC-" in error.message_zh  # names the licence it overlaps


def test_an_exclusive_licence_elsewhere_or_later_is_not_an_overlap(artist, buyer, third, work):
    factories.signed(factories.contract(artist, buyer, work, exclusivity="exclusive"), buyer, artist)
    factories.contract(artist, third, work, exclusivity="exclusive", territory="hong_kong")
    factories.contract(artist, third, work, exclusivity="exclusive", start=dt.date(2028, 1, 1))
    factories.contract(artist, third, work, exclusivity="exclusive", rights=["network"])


def test_a_non_exclusive_licence_inside_a_sole_licence_is_refused(artist, buyer, third, work):
    factories.signed(factories.contract(artist, buyer, work, exclusivity="sole", territory="worldwide"), buyer, artist)
    _refused("non_exclusive_inside_sole", lambda: factories.contract(artist, third, work), Contract)


def test_an_overlap_is_checked_again_when_the_last_signature_would_file_it(artist, buyer, third, work):
    first = factories.contract(artist, buyer, work, exclusivity="exclusive")
    second = factories.contract(artist, third, work, exclusivity="exclusive")
    factories.signed(first, buyer, artist)
    factories.signed(second, third)
    second.refresh_from_db()
    _refused("exclusive_overlap", lambda: services.sign(user=artist, contract=second, sha256=second.sha256))
    second.refresh_from_db()
    assert second.status == "draft" and second.filing is None and second.signatures.count() == 1


def test_a_licence_on_a_pledged_work_needs_the_pledgees_consent(artist, buyer, registrar, work, make_user):
    bank = make_user("bank-clerk", "artist")
    pledge = factories.pledge(registrar, work, bank)
    _refused("pledgee_consent", lambda: factories.contract(artist, buyer, work), Contract)
    filings.consent_to_contract(
        user=bank,
        pledge=pledge,
        contract_type="non_exclusive_licence",
        assignee=PartyInput(name=buyer.party.name, id_type=buyer.party.id_type, id_number=buyer.party.id_number),
    )
    contract = factories.signed(factories.contract(artist, buyer, work), buyer, artist)
    assert contract.is_filed and list(contract.filing.pledge_consents.all()) == list(pledge.consents.all())


def test_nothing_is_offered_licensed_or_listed_on_a_revoked_work(artist, buyer, registrar, work):
    offer = factories.offer(artist, work)
    registry.revoke(work=work, registrar=registrar, ground="applicant_request", reason="申请人申请撤销")
    work.refresh_from_db()
    _refused("revoked_work", lambda: factories.contract(artist, buyer, work), Contract)
    _refused(
        "revoked_work",
        lambda: services.request_licence(user=buyer, offer=offer, valid_from=START),
        Contract,
    )
    _refused(
        "revoked_work",
        lambda: services.create_listing(
            user=artist, work=work, rights=["reproduction"], method="agreement", price=Decimal(1)
        ),
        Listing,
    )


def test_a_joint_work_needs_every_co_owner_for_a_transfer_or_an_exclusive_licence(artist, buyer, registrar, third):
    work = factories.joint(artist, registrar)
    contract = factories.contract(artist, third, work, exclusivity="exclusive")
    assert [p.pk for p in contract.co_owners.all()] == [buyer.party_id]
    contract = factories.signed(contract, third, artist)
    assert contract.status == "draft"
    _refused("joint_work_all_owners", lambda: services.file(user=artist, contract=contract))
    contract = factories.signed(contract, buyer)
    assert contract.is_filed


def test_a_non_exclusive_licence_of_a_joint_work_needs_only_the_licensor(artist, registrar, third):
    work = factories.joint(artist, registrar)
    contract = factories.signed(factories.contract(artist, third, work), third, artist)
    assert contract.is_filed and contract.co_owners.count() == 0


def test_a_resale_before_five_trading_days_is_refused_and_allowed_after(artist, buyer, work, clock):
    listing = services.create_listing(
        user=artist, work=work, rights=list(work.rights), method="agreement", price=Decimal("80000")
    )
    clock.to_day_after(listing.disclosure_until)
    trade = services.buy(user=buyer, listing=listing)
    factories.signed(trade.contract, buyer, artist)
    trade.refresh_from_db()
    assert trade.status == "filed" and trade.settled_on == timezone.localdate()
    error = _refused(
        "t_plus_5",
        lambda: services.create_listing(
            user=buyer, work=work, rights=["reproduction"], method="auction", price=Decimal("90000")
        ),
        Listing,
    )
    assert trade.settled_on.isoformat() in error.message_zh
    clock.travel(days=9)
    assert factories.auction(buyer, work, rights=["reproduction"], price=Decimal("90000")).status == "published"


def test_fractional_shares_and_centralised_trading_are_refused(artist, work):
    _refused(
        "no_fractional_shares",
        lambda: services.create_listing(
            user=artist, work=work, rights=["reproduction"], method="agreement", price=Decimal(1), share_percent=10
        ),
        Listing,
    )
    _refused(
        "agreement_or_auction",
        lambda: services.create_listing(
            user=artist, work=work, rights=["reproduction"], method="continuous", price=Decimal(1)
        ),
        Listing,
    )


def test_a_royalty_report_for_a_licence_that_is_not_running_is_refused(artist, buyer, work):
    lump = factories.signed(factories.contract(artist, buyer, work), buyer, artist)
    _refused(
        "royalty_licence_running",
        lambda: services.report_royalty(user=buyer, contract=lump, period_start=START, revenue=Decimal(100)),
        RoyaltyReport,
    )
    draft = factories.contract(
        artist, buyer, work, rights=["network"], royalty_model="running_royalty", royalty_rate=Decimal(8)
    )
    _refused(
        "royalty_licence_running",
        lambda: services.report_royalty(user=buyer, contract=draft, period_start=START, revenue=Decimal(100)),
        RoyaltyReport,
    )


def test_a_party_on_a_credit_list_is_flagged_on_the_contract(artist, buyer, work, people):
    from artrights.credit.tests import factories as credit_factories

    supervisor = people["supervisor"]
    credit_factories.listed(
        supervisor, credit_factories.person(supervisor, name=buyer.party.name, code=buyer.party.id_number)
    )
    contract = factories.contract(artist, buyer, work)
    assert [flag["party"] for flag in contract.credit_flags] == [buyer.party.name]


def test_exclusive_licences_in_two_provinces_stand_side_by_side_but_the_mainland_covers_both(
    artist, buyer, third, work, make_user
):
    guangdong = factories.signed(
        factories.contract(artist, buyer, work, exclusivity="exclusive", territory="cn-44"), buyer, artist
    )
    fujian = factories.signed(
        factories.contract(artist, third, work, exclusivity="exclusive", territory="cn-35"), third, artist
    )
    assert guangdong.is_filed and fujian.is_filed
    assert guangdong.filing.territory == "广东省"
    fourth = give_identity(
        make_user("fourth-qian", "artist"),
        {"name": "钱四", "id_type": "resident_id", "id_number": "110101199003070038"},
    )
    error = _refused(
        "exclusive_overlap",
        lambda: factories.contract(artist, fourth, work, exclusivity="exclusive", territory="mainland"),
        Contract,
    )
    assert guangdong.number in error.message_zh or fujian.number in error.message_zh
    assert factories.contract(artist, fourth, work, exclusivity="exclusive", territory="hong_kong").status == "draft"


def test_a_plain_licence_in_a_province_falls_inside_a_sole_mainland_licence(artist, buyer, third, work):
    factories.signed(factories.contract(artist, buyer, work, exclusivity="sole", territory="mainland"), buyer, artist)
    _refused(
        "non_exclusive_inside_sole",
        lambda: factories.contract(artist, third, work, exclusivity="non_exclusive", territory="cn-44"),
        Contract,
    )


def test_a_province_lies_inside_the_mainland_and_worldwide_but_not_inside_another_province():
    from artrights.licensing.integrity import territories_overlap, territory_contains

    assert territory_contains("mainland", "cn-44") and territory_contains("worldwide", "cn-44")
    assert not territory_contains("cn-44", "mainland") and not territory_contains("hong_kong", "cn-44")
    assert not territories_overlap("cn-44", "cn-35") and territories_overlap("cn-44", "mainland")
    assert not territories_overlap("cn-44", "hong_kong")
