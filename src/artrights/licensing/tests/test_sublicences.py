"""Sub-licences (Implementing Regulations Art. 24): a licensee sub-licenses only under a filed licence in force
that allows it, and only inside that licence's rights, territory, term and exclusivity; otherwise the rule's name
is given and nothing is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from artrights.licensing import services
from artrights.licensing.integrity import RuleBroken
from artrights.licensing.models import Contract, Offer
from artrights.licensing.tests import factories
from artrights.testing import give_identity

pytestmark = pytest.mark.django_db


def _licence(artist, buyer, work, **terms):
    """An exclusive mainland licence of reproduction and the network right, begun a month ago for two years."""
    start = timezone.localdate() - dt.timedelta(days=30)
    values = {
        "rights": ["reproduction", "network"],
        "exclusivity": "exclusive",
        "territory": "mainland",
        "sublicensable": True,
        "start": start,
        "valid_until": start + dt.timedelta(days=730),
    }
    values.update(terms)
    return factories.signed(factories.contract(artist, buyer, work, **values), buyer, artist)


def _sub_offer(user, parent, **overrides):
    fields = {
        "rights": ["reproduction"],
        "exclusivity": "non_exclusive",
        "territory": "mainland",
        "royalty_model": "lump_sum",
        "price": Decimal("3000"),
        "term_months": 6,
    }
    fields.update(overrides)
    return services.create_offer(user=user, parent=parent, **fields)


def _refused(rule: str, act, *counted):
    before = [model.objects.count() for model in counted]
    with pytest.raises(RuleBroken) as caught:
        act()
    assert caught.value.code == rule and rule in caught.value.message_zh and rule in caught.value.message_en
    assert [model.objects.count() for model in counted] == before
    return caught.value


def test_a_licensee_sub_licenses_inside_its_licence_and_the_sub_licence_is_filed_in_its_name(
    artist, buyer, third, work
):
    parent = _licence(artist, buyer, work)
    offer = _sub_offer(buyer, parent)
    assert (offer.work, offer.licensor, offer.parent) == (work, buyer.party, parent)
    sub = services.request_licence(user=third, offer=offer, valid_from=timezone.localdate())
    assert (sub.parent, sub.licensor, sub.licensee) == (parent, buyer.party, third.party)
    assert sub.terms_document()["sublicence_of"] == parent.number
    sub = factories.signed(sub, third, buyer)
    assert sub.is_filed and sub.filing.assignor == buyer.party and sub.filing.assignee == third.party


def test_a_licence_that_does_not_allow_sub_licensing_is_refused(artist, buyer, work):
    parent = _licence(artist, buyer, work, sublicensable=False)
    error = _refused("sublicence_consent", lambda: _sub_offer(buyer, parent), Offer)
    assert parent.number in error.message_zh


def test_a_licence_not_yet_filed_cannot_be_sub_licensed(artist, buyer, work):
    draft = factories.contract(artist, buyer, work, sublicensable=True, start=timezone.localdate())
    _refused("sublicence_consent", lambda: _sub_offer(buyer, draft), Offer)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"rights": ["reproduction", "distribution"]}, "权利种类"),
        ({"territory": "worldwide"}, "地域范围"),
        ({"exclusivity": "sole"}, "许可方式"),
    ],
)
def test_a_sub_licence_offer_beyond_the_licence_is_refused_naming_what_reaches_too_far(
    artist, buyer, work, overrides, named
):
    parent = _licence(artist, buyer, work)
    error = _refused("sublicence_scope", lambda: _sub_offer(buyer, parent, **overrides), Offer)
    assert named in error.message_zh


def test_a_sub_licence_that_would_outlast_the_licence_is_refused_when_asked_for(artist, buyer, third, work):
    parent = _licence(artist, buyer, work)
    offer = _sub_offer(buyer, parent, term_months=36)
    error = _refused(
        "sublicence_scope",
        lambda: services.request_licence(user=third, offer=offer, valid_from=timezone.localdate()),
        Contract,
    )
    assert "期限" in error.message_zh and "term" in error.message_en


def test_two_exclusive_sub_licences_of_the_same_scope_collide(artist, buyer, third, make_user, work):
    parent = _licence(artist, buyer, work)
    offer = _sub_offer(buyer, parent, exclusivity="exclusive")
    factories.signed(services.request_licence(user=third, offer=offer, valid_from=timezone.localdate()), third, buyer)
    fourth = give_identity(
        make_user("fourth-qian", "artist"),
        {"name": "钱四", "id_type": "resident_id", "id_number": "110101199003070038"},
    )
    _refused(
        "exclusive_overlap",
        lambda: services.request_licence(user=fourth, offer=offer, valid_from=timezone.localdate()),
        Contract,
    )


def test_only_the_licensee_offers_a_sub_licence_not_the_licensor_or_an_outsider(artist, buyer, third, work):
    parent = _licence(artist, buyer, work)
    for user in (artist, third):
        with pytest.raises(PermissionDenied):
            _sub_offer(user, parent)
    assert not Offer.objects.filter(parent=parent).exists()


def test_a_mainland_licence_is_sub_licensed_in_one_province_but_a_provincial_one_not_in_the_whole_mainland(
    artist, buyer, third, work
):
    mainland = _licence(artist, buyer, work)
    assert _sub_offer(buyer, mainland, territory="cn-44").territory == "cn-44"
    guangdong = _licence(artist, third, work, rights=["distribution"], territory="cn-44")
    _refused("sublicence_scope", lambda: _sub_offer(third, guangdong, rights=["distribution"]), Offer)


def test_the_sub_licence_page_names_the_licence_above_with_each_languages_own_brackets(
    client, artist, buyer, third, work
):
    parent = _licence(artist, buyer, work)
    sub = services.request_licence(user=third, offer=_sub_offer(buyer, parent), valid_from=timezone.localdate())
    client.force_login(third)
    url = f"/licensing/contracts/{sub.number}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    line = f"{parent.number}（{artist.party.name} → {buyer.party.name}）"
    assert f"转许可，依据 {line}" in page
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Sub-licence under {parent.number} ({artist.party.name} → {buyer.party.name})" in english
    assert "（" not in english.split('data-testid="parent">')[1].split("</td>")[0]
