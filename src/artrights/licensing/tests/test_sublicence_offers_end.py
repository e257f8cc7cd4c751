"""A sub-licence offer lives only as long as the licence it is granted under: it is listed (page and API) and can
be asked for only while that licence is filed and within its term; when the licence expires or is terminated the
offer is closed with a reason its offerer sees, and the offerer is told."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from artrights.core.models import AuditEvent, Notification
from artrights.licensing import selectors, services
from artrights.licensing.models import CONTRACT_FLOW, Contract, Offer
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db


def _licence(artist, buyer, work, *, days: int = 730, rights=("reproduction", "network")) -> Contract:
    """An exclusive, sub-licensable mainland licence begun a month ago."""
    start = timezone.localdate() - dt.timedelta(days=30)
    contract = factories.contract(
        artist,
        buyer,
        work,
        rights=list(rights),
        exclusivity="exclusive",
        territory="mainland",
        sublicensable=True,
        start=start,
        valid_until=start + dt.timedelta(days=days),
    )
    return factories.signed(contract, buyer, artist)


def _sub_offer(user, parent, **overrides) -> Offer:
    fields = {
        "rights": ["reproduction"],
        "exclusivity": "non_exclusive",
        "territory": "mainland",
        "royalty_model": "lump_sum",
        "price": Decimal("3000"),
        "term_months": 1,
    }
    fields.update(overrides)
    return services.create_offer(user=user, parent=parent, **fields)


def _terminate(contract: Contract) -> None:
    CONTRACT_FLOW.apply(contract, "terminate")
    contract.save(update_fields=["status"])


def _listed(client, offer: Offer) -> tuple[bool, bool, int]:
    """Whether the offer is on the catalogue page, in the API's catalogue, and the status of its own page."""
    page = client.get("/licensing/catalogue/").content.decode()
    api = [o["id"] for o in client.get("/api/licensing/catalogue").json()]
    own_page = client.get(f"/licensing/offers/{offer.pk}/").status_code
    return f"/licensing/offers/{offer.pk}/" in page, offer.pk in api, own_page


def test_a_sub_licence_offer_leaves_the_catalogue_and_the_api_when_its_licence_expires(
    client, artist, buyer, work, clock
):
    parent = _licence(artist, buyer, work, days=60)
    offer = _sub_offer(buyer, parent)
    own = factories.offer(artist, work, rights=["exhibition"])  # the owner's own offer has no licence to outlive
    assert _listed(client, offer) == (True, True, 200)
    assert parent.valid_until is not None
    clock.to_day_after(parent.valid_until - dt.timedelta(days=1))  # the licence's last day
    assert _listed(client, offer) == (True, True, 200)
    clock.to_day_after(parent.valid_until)
    assert _listed(client, offer) == (False, False, 404)
    assert _listed(client, own) == (True, True, 200)


def test_a_sub_licence_offer_leaves_the_catalogue_the_moment_its_licence_is_terminated(client, artist, buyer, work):
    parent = _licence(artist, buyer, work)
    offer = _sub_offer(buyer, parent)
    _terminate(parent)
    assert _listed(client, offer) == (False, False, 404)
    assert not selectors.catalogue().filter(parent=parent).exists()


def test_asking_for_a_sub_licence_after_its_licence_ended_is_refused_with_the_reason_and_nothing_is_made(
    artist, buyer, third, work, clock
):
    parent = _licence(artist, buyer, work, days=60)
    offer = _sub_offer(buyer, parent)
    assert parent.valid_until is not None
    clock.to_day_after(parent.valid_until)
    before = Contract.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.request_licence(user=third, offer=offer, valid_from=timezone.localdate())
    assert "已到期或终止" in caught.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.request_licence(user=third, offer=offer, valid_from=timezone.localdate())
    assert "expired" in caught.value.messages[0]
    assert Contract.objects.count() == before


def test_when_a_licence_expires_or_is_terminated_its_open_sub_licence_offers_are_closed_and_the_offerer_told(
    client, artist, buyer, third, work, registrar, clock
):
    expiring = _licence(artist, buyer, work, days=60, rights=("reproduction",))
    expired_offer = _sub_offer(buyer, expiring)
    withdrawn = services.withdraw_offer(user=buyer, offer=_sub_offer(buyer, expiring, price=Decimal("9")))
    other_work = factories.registered(artist, registrar, seed=43, title="另一幅作品")
    ending = _licence(artist, third, other_work)
    terminated_offer = _sub_offer(third, ending)
    running = _licence(artist, buyer, work, rights=("network",))
    kept = _sub_offer(buyer, running, rights=["network"])
    assert services.close_ended_sublicence_offers() == 0

    _terminate(ending)
    assert expiring.valid_until is not None
    clock.to_day_after(expiring.valid_until)
    assert services.close_ended_sublicence_offers() == 2
    found = {o.pk: (o.status, o.closed_reason) for o in Offer.objects.all()}
    assert found[expired_offer.pk] == ("closed", "parent_expired")
    assert found[terminated_offer.pk] == ("closed", "parent_ended")
    assert found[withdrawn.pk] == ("withdrawn", "")
    assert found[kept.pk] == ("open", "")
    told = {n.recipient_id: n for n in Notification.objects.filter(kind="licensing.sublicence_offer_closed")}
    assert set(told) == {buyer.pk, third.pk}
    with translation.override("zh-hans"):
        assert expiring.number in told[buyer.pk].body and work.title in told[buyer.pk].title
    assert AuditEvent.objects.filter(action="licensing.close_offer").count() == 2
    assert services.close_ended_sublicence_offers() == 0  # once

    client.force_login(buyer)
    desk = client.get("/licensing/").content.decode()
    assert "已关闭" in desk and "原许可合同已到期" in desk and expiring.number in desk


def test_a_closed_sub_licence_offer_shows_its_offerer_and_the_staff_why_it_closed_and_stays_hidden_from_others(
    client, artist, buyer, third, work, registrar
):
    parent = _licence(artist, buyer, work)
    offer = _sub_offer(buyer, parent)
    services.terminate_contract(
        user=artist, contract=parent, on_date=timezone.localdate(), ground="breach", reason="未按期付款"
    )
    assert Offer.objects.get(pk=offer.pk).status == "closed"
    url = f"/licensing/offers/{offer.pk}/"
    assert _listed(client, offer) == (False, False, 404)  # the public catalogue, its API and the page hide it
    client.force_login(buyer)
    assert url in client.get("/licensing/").content.decode()  # the desk links to it...
    response = client.get(url)
    assert response.status_code == 200  # ...and the link works for its offerer
    page = response.content.decode()
    assert 'data-testid="offer-closed"' in page and "已关闭" in page and "原许可合同已终止" in page
    assert parent.number in page and f"{timezone.localdate().isoformat()} 终止" in page
    assert 'data-testid="request-form"' not in page and 'data-testid="withdraw-offer"' not in page
    client.force_login(registrar)
    assert "原许可合同已终止" in client.get(url).content.decode()
    client.force_login(third)
    assert client.get(url).status_code == 404
    assert client.post(url, {"valid_from": timezone.localdate().isoformat()}).status_code == 404
    assert _listed(client, offer)[:2] == (False, False)


def test_an_open_offer_in_the_catalogue_shows_no_closing_notice(client, artist, work):
    offer = factories.offer(artist, work)
    page = client.get(f"/licensing/offers/{offer.pk}/").content.decode()
    assert 'data-testid="offer-closed"' not in page
