"""A sub-licence cannot outlive the licence it was granted under: terminating a licence ends every filed
sub-licence under it (and theirs in turn) on the same day, on the ground that the licence above ended, each in
the public log; a sub-licence still to be signed is cancelled; the sides of each are told, but not whoever
terminated the licence. A sub-licence whose own term had already run out is left as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from artrights.core.models import AuditEvent, Notification
from artrights.ledger.selectors import statement_at
from artrights.licensing import selectors, services
from artrights.licensing.forms import TerminationForm
from artrights.licensing.models import Contract
from artrights.licensing.tests import factories
from artrights.testing import give_identity

pytestmark = pytest.mark.django_db

REASON = "被许可方未按约定支付许可费，经催告仍未支付，许可方解除许可。"


@pytest.fixture
def fourth(make_user):
    return give_identity(
        make_user("fourth-wu", "artist"), {"name": "吴四", "id_type": "resident_id", "id_number": "110101198805050026"}
    )


def _licence(artist, buyer, work) -> Contract:
    """An exclusive, sub-licensable licence begun a month ago for two years, filed."""
    start = timezone.localdate() - dt.timedelta(days=30)
    terms = {
        "rights": ["reproduction", "network"],
        "exclusivity": "exclusive",
        "sublicensable": True,
        "valid_until": start + dt.timedelta(days=730),
    }
    return factories.signed(factories.contract(artist, buyer, work, start=start, **terms), buyer, artist)


def _sub(licensor, licensee, parent, *, sign: bool = True, days_ago: int = 10, **overrides) -> Contract:
    """A sub-licence asked for under ``parent`` starting ``days_ago`` days ago, signed and filed unless not ``sign``."""
    fields = {
        "rights": ["reproduction"],
        "exclusivity": "non_exclusive",
        "territory": "mainland",
        "royalty_model": "lump_sum",
        "price": Decimal("3000"),
        "term_months": 6,
        "sublicensable": True,
    } | overrides
    offer = services.create_offer(user=licensor, parent=parent, **fields)
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    sub = services.request_licence(user=licensee, offer=offer, valid_from=start)
    return factories.signed(sub, licensee, licensor) if sign else sub


def _terminate(user, contract, on_date=None) -> Contract:
    day = on_date or timezone.localdate() - dt.timedelta(days=1)
    return services.terminate_contract(user=user, contract=contract, on_date=day, ground="breach", reason=REASON)


def _told(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_terminating_a_licence_ends_the_sub_licences_granted_under_it_and_tells_their_licensees(
    artist, buyer, third, work
):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent)
    day = timezone.localdate() - dt.timedelta(days=1)
    _terminate(artist, parent, on_date=day)
    sub.refresh_from_db()
    assert sub.status == "terminated" and sub.terminated_on == day
    assert sub.termination_ground == "parent_terminated" and sub.get_termination_ground_display() == "上级许可已终止"
    assert sub.termination_reason == "" and sub.terminated_by == artist  # said in the reader's language instead
    with translation.override("zh-hans"):
        assert parent.number in sub.termination_reason_text() and "同日终止" in sub.termination_reason_text()
    assert sub.number not in {g.label for g in selectors.grants_in_force(work)}
    # Its own entry in the public log, referring to its own filing, on the ground that its licence ended.
    logged = statement_at(sub.termination_log_index)
    assert logged["refers_to"] == [sub.filing.number] and logged["ground"] == "parent_terminated"
    assert logged["terminated_on"] == day.isoformat()
    assert AuditEvent.objects.filter(action="licensing.terminate", object_id=str(sub.pk)).exists()
    # The licensor who terminated is not told of the sub-licence; both its sides are.
    assert _told("licensing.sublicence_terminated") == sorted([buyer.pk, third.pk])
    notice = Notification.objects.get(kind="licensing.sublicence_terminated", recipient=third)
    with translation.override("zh-hans"):
        assert sub.number in notice.title and parent.number in notice.body and day.isoformat() in notice.body
    with translation.override("en"):
        assert "terminated" in notice.title and parent.number in notice.body


def test_the_licensee_who_terminates_its_licence_is_not_told_of_its_own_sub_licence_ending(artist, buyer, third, work):
    parent = _licence(artist, buyer, work)
    _sub(buyer, third, parent)
    _terminate(buyer, parent)
    assert _told("licensing.sublicence_terminated") == [third.pk]


def test_a_sub_licence_under_a_sub_licence_ends_too_on_the_same_day(artist, buyer, third, fourth, work):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent, days_ago=10)
    subsub = _sub(third, fourth, sub, days_ago=5, term_months=3)
    assert subsub.is_filed and subsub.parent == sub
    day = timezone.localdate() - dt.timedelta(days=2)
    _terminate(artist, parent, on_date=day)
    for contract in (sub, subsub):
        contract.refresh_from_db()
        assert (contract.status, contract.terminated_on, contract.termination_ground) == (
            "terminated",
            day,
            "parent_terminated",
        )
    assert sub.number in subsub.termination_reason_text()
    assert _told("licensing.sublicence_terminated") == sorted([buyer.pk, third.pk, third.pk, fourth.pk])


def test_a_sub_licence_still_to_be_signed_is_cancelled_and_cannot_be_signed_afterwards(artist, buyer, third, work):
    parent = _licence(artist, buyer, work)
    draft = _sub(buyer, third, parent, sign=False)
    draft = factories.signed(draft, third)  # one side had signed already
    _terminate(artist, parent)
    draft.refresh_from_db()
    assert draft.status == "cancelled" and draft.terminated_on is None and draft.filing is None
    assert AuditEvent.objects.get(action="licensing.cancel").changes == {"parent_terminated": parent.number}
    assert _told("licensing.sublicence_cancelled") == sorted([buyer.pk, third.pk])
    with pytest.raises(PermissionDenied):
        services.sign(user=buyer, contract=draft, sha256=draft.sha256)
    draft.refresh_from_db()
    assert draft.status == "cancelled"


def test_a_sub_licence_whose_own_term_ran_out_before_the_termination_is_left_as_it_was(artist, buyer, third, work):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent, days_ago=25, term_months=1)
    sub.valid_until = timezone.localdate() - dt.timedelta(days=3)  # its own month ended before the termination
    sub.save(update_fields=["valid_until"])
    _terminate(artist, parent, on_date=timezone.localdate() - dt.timedelta(days=1))
    sub.refresh_from_db()
    assert sub.status == "filed" and sub.terminated_on is None
    assert not Notification.objects.filter(kind="licensing.sublicence_terminated").exists()


def test_the_sub_licences_of_another_licence_are_not_touched(artist, buyer, third, fourth, work, registrar):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent)
    other_work = factories.registered(artist, registrar, seed=91)
    other = _licence(artist, fourth, other_work)
    _terminate(artist, other)
    sub.refresh_from_db()
    assert sub.status == "filed"


def test_a_side_cannot_choose_the_parent_licence_ground_itself(artist, buyer, work):
    parent = _licence(artist, buyer, work)
    with pytest.raises(ValidationError):
        services.terminate_contract(
            user=artist, contract=parent, on_date=timezone.localdate(), ground="parent_terminated", reason=REASON
        )
    assert Contract.objects.get(pk=parent.pk).status == "filed"
    assert "parent_terminated" not in dict(TerminationForm.base_fields["ground"].choices)


def test_an_outsider_cannot_terminate_a_licence_and_its_sub_licences_stay_in_force(artist, buyer, third, fourth, work):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent)
    with pytest.raises(PermissionDenied):
        _terminate(fourth, parent)
    sub.refresh_from_db()
    assert sub.status == "filed" and not Notification.objects.filter(kind="licensing.sublicence_terminated").exists()


def test_the_sub_licence_page_names_the_licence_it_ended_with_in_both_languages(client, artist, buyer, third, work):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent)
    _terminate(artist, parent)
    client.force_login(third)
    page = client.get(f"/licensing/contracts/{sub.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and "上级许可已终止" in text
    assert f"原许可合同 {parent.number} 终止，依其授予的本转许可合同同日终止。" in text
    assert 'data-testid="terminated-parent"' in text and parent.number in text
    page = client.get(f"/licensing/contracts/{sub.number}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "The licence it was granted under was terminated" in text
    assert f"The licence {parent.number} was terminated, so this sub-licence granted under it ended" in text


def test_why_a_sub_licence_ended_is_said_in_the_readers_language_on_the_api_and_in_the_audit_trail(
    client, artist, buyer, third, work
):
    parent = _licence(artist, buyer, work)
    sub = _sub(buyer, third, parent)
    _terminate(artist, parent)
    client.force_login(third)
    url = f"/api/licensing/contracts/{sub.number}"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["termination_ground"] == "parent_terminated"
    assert english["termination_reason"] == (
        f"The licence {parent.number} was terminated, so this sub-licence granted under it ended on the same day."
    )
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["termination_reason"] == f"原许可合同 {parent.number} 终止，依其授予的本转许可合同同日终止。"
    # The licence a side terminated keeps the reason that side gave, in the words it gave it.
    client.force_login(artist)
    assert (
        client.get(f"/api/licensing/contracts/{parent.number}", HTTP_ACCEPT_LANGUAGE="en").json()["termination_reason"]
        == REASON
    )
    event = AuditEvent.objects.get(action="licensing.terminate", object_id=str(sub.pk))
    assert event.changes["parent"] == parent.number and event.changes["reason"] == ""
