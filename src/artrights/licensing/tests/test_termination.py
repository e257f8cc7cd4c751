"""A filed licence ended early by its licensor or licensee: on a day from its start to today, on a ground, with a
reason; it stops counting as a grant, the open sub-licence offers under it close, and the other side is told.
Nobody else may end it, and a draft, an expired or an already terminated contract is refused with the reason."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from artrights.core.models import AuditEvent, Notification
from artrights.ledger.selectors import statement_at
from artrights.licensing import integrity, selectors, services
from artrights.licensing.models import Contract, Offer
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db

REASON = "被许可方连续两期未报送销售报告，经书面催告后仍未履行。"


def _licence(artist, buyer, work, *, started_days_ago: int = 30, days: int = 730, **terms) -> Contract:
    """An exclusive, sub-licensable mainland licence of reproduction and network, begun a month ago and filed."""
    start = timezone.localdate() - dt.timedelta(days=started_days_ago)
    values = {
        "rights": ["reproduction", "network"],
        "exclusivity": "exclusive",
        "sublicensable": True,
        "valid_until": start + dt.timedelta(days=days),
    } | terms
    return factories.signed(factories.contract(artist, buyer, work, start=start, **values), buyer, artist)


def _terminate(user, contract, **overrides) -> Contract:
    fields = {"on_date": timezone.localdate(), "ground": "breach", "reason": REASON} | overrides
    return services.terminate_contract(user=user, contract=contract, **fields)


def _told(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_the_licensee_terminates_a_filed_licence_and_the_licensor_is_told(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    day = timezone.localdate() - dt.timedelta(days=2)
    _terminate(buyer, licence, on_date=day, ground="breach", reason=f"  {REASON}  ")
    licence = Contract.objects.get(pk=licence.pk)
    assert licence.status == "terminated" and licence.get_status_display() == "已终止"
    assert (licence.terminated_on, licence.termination_ground, licence.termination_reason) == (day, "breach", REASON)
    assert licence.terminated_by == buyer and licence.terminated_at is not None
    assert not licence.in_force_on(day) and not licence.in_force_on(timezone.localdate())
    assert licence.number not in {g.label for g in selectors.grants_in_force(work)}
    assert _told("licensing.terminated") == [artist.pk]
    notice = Notification.objects.get(kind="licensing.terminated")
    with translation.override("zh-hans"):
        assert licence.number in notice.title and buyer.party.name in notice.body and day.isoformat() in notice.body
    event = AuditEvent.objects.get(action="licensing.terminate")
    assert event.changes["reason"] == REASON and event.changes["terminated_on"] == day.isoformat()
    # The registry's filing stays as filed; the public log says it ended, without naming anyone.
    assert licence.filing is not None and licence.filing.valid_until == licence.valid_until
    assert licence.termination_log_index is not None
    logged = statement_at(licence.termination_log_index)
    assert logged["type"] == "artrights/contract-termination@v1" and logged["refers_to"] == [licence.filing.number]
    assert (logged["terminated_on"], logged["ground"], logged["contract_sha256"]) == (
        day.isoformat(),
        "breach",
        licence.sha256,
    )
    assert REASON not in json.dumps(logged, ensure_ascii=False) and buyer.party.name not in json.dumps(
        logged, ensure_ascii=False
    )


def test_the_licensor_terminates_for_force_majeure_and_the_exclusive_scope_is_free_for_a_new_licence(
    artist, buyer, third, work
):
    licence = _licence(artist, buyer, work)
    with pytest.raises(integrity.RuleBroken):
        factories.contract(artist, third, work, rights=["reproduction"], exclusivity="exclusive")
    _terminate(artist, licence, ground="frustration", reason="展馆因地震损毁，合同目的不能实现。")
    assert _told("licensing.terminated") == [buyer.pk]
    again = factories.contract(artist, third, work, rights=["reproduction"], exclusivity="exclusive")
    assert again.status == "draft"


def test_a_licence_filed_ahead_of_its_start_may_be_terminated_from_its_filing_day(artist, buyer, work):
    licence = _licence(artist, buyer, work, started_days_ago=-30)  # starts in a month
    _terminate(artist, licence, ground="other", reason="项目取消，依合同第十条约定解除。")
    assert Contract.objects.get(pk=licence.pk).terminated_on == timezone.localdate()


def test_a_termination_dated_in_the_future_or_before_the_start_is_refused_in_both_languages(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = licence.valid_from - dt.timedelta(days=1)
    for on_date, zh, en in (
        (tomorrow, "终止日不能晚于今天", "cannot be later than today"),
        (before, "不能早于合同的起始日期", "cannot be earlier than the contract's start"),
    ):
        with pytest.raises(ValidationError) as caught:
            _terminate(buyer, licence, on_date=on_date)
        assert zh in caught.value.messages[0]
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            _terminate(buyer, licence, on_date=on_date)
        assert en in caught.value.messages[0]
    assert Contract.objects.get(pk=licence.pk).status == "filed"


def test_a_termination_without_a_reason_or_a_known_ground_is_refused(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    with pytest.raises(ValidationError, match="请写明终止合同的理由"):
        _terminate(buyer, licence, reason="   ")
    with pytest.raises(ValidationError, match="请选择终止事由"):
        _terminate(buyer, licence, ground="whim")
    with pytest.raises(ValidationError, match="不超过 1000 个字符"):
        _terminate(buyer, licence, reason="长" * 1001)
    assert Contract.objects.get(pk=licence.pk).status == "filed"
    assert not Notification.objects.filter(kind="licensing.terminated").exists()


def test_a_draft_a_terminated_an_expired_licence_and_a_transfer_cannot_be_terminated(
    artist, buyer, third, work, registrar, clock
):
    draft = factories.contract(artist, buyer, work, rights=["exhibition"])
    with pytest.raises(ValidationError, match="尚未签署备案"):
        _terminate(artist, draft)
    licence = _licence(artist, buyer, work)
    _terminate(buyer, licence)
    with pytest.raises(ValidationError, match=r"已于 .* 终止，不能重复终止"):
        _terminate(artist, licence)
    assert AuditEvent.objects.filter(action="licensing.terminate").count() == 1
    short = _licence(artist, third, work, days=10, rights=["exhibition"], exclusivity="non_exclusive")
    assert short.valid_until is not None
    clock.to_day_after(short.valid_until)
    with pytest.raises(ValidationError, match="期满，无需终止"):
        _terminate(third, short, on_date=short.valid_until)
    other = factories.registered(artist, registrar, seed=43, title="另一幅作品")
    transfer = factories.signed(
        factories.contract(artist, buyer, other, kind="transfer", rights=["exhibition"], valid_until=None),
        buyer,
        artist,
    )
    with pytest.raises(ValidationError, match="只有许可合同可以在平台上终止"):
        _terminate(buyer, transfer)


def test_an_outsider_or_the_staff_cannot_terminate_someone_elses_licence(artist, buyer, third, work, registrar):
    licence = _licence(artist, buyer, work)
    for someone in (third, registrar):
        with pytest.raises(PermissionDenied):
            _terminate(someone, licence)
    assert Contract.objects.get(pk=licence.pk).status == "filed"


def test_terminating_a_licence_closes_its_open_sub_licence_offers_with_the_reason(artist, buyer, work, third):
    licence = _licence(artist, buyer, work)
    sub = services.create_offer(
        user=buyer, parent=licence, rights=["reproduction"], price=Decimal("3000"), term_months=1
    )
    withdrawn = services.withdraw_offer(
        user=buyer,
        offer=services.create_offer(user=buyer, parent=licence, rights=["network"], price=Decimal(9), term_months=1),
    )
    own = factories.offer(artist, work, rights=["exhibition"])
    _terminate(artist, licence)
    found = {o.pk: (o.status, o.closed_reason) for o in Offer.objects.all()}
    assert found[sub.pk] == ("closed", "parent_ended")
    assert found[withdrawn.pk] == ("withdrawn", "")
    assert found[own.pk] == ("open", "")
    assert _told("licensing.sublicence_offer_closed") == [buyer.pk]  # the licensor ended it: the offerer is told
    assert services.close_ended_sublicence_offers() == 0  # nothing left for the periodic task


def test_the_licensee_who_terminates_is_not_told_of_its_own_offers_closing(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    sub = services.create_offer(
        user=buyer, parent=licence, rights=["reproduction"], price=Decimal("3000"), term_months=1
    )
    _terminate(buyer, licence)
    assert Offer.objects.get(pk=sub.pk).status == "closed"
    assert _told("licensing.sublicence_offer_closed") == []
    assert _told("licensing.terminated") == [artist.pk]


# --- pages and API -----------------------------------------------------------------------------------------


def test_the_contract_page_asks_a_side_to_confirm_and_then_shows_the_date_and_reason(client, artist, buyer, work):
    licence = _licence(artist, buyer, work)
    url = f"/licensing/contracts/{licence.number}/"
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert 'data-testid="terminate-form"' in page and "终止后不能撤销" in page
    day = timezone.localdate()
    response = client.post(f"{url}do/terminate/", {"on_date": day.isoformat(), "ground": "breach", "reason": REASON})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "本合同已终止" in page and f'data-testid="termination-date">{day.isoformat()}<' in page and REASON in page
    assert "对方违约" in page and 'data-testid="terminate-form"' not in page
    client.force_login(artist)
    page = client.get(url).content.decode()
    assert REASON in page and 'data-testid="terminate-form"' not in page
    title = client.get(f"/licensing/works/{work.number}/").content.decode()
    assert f"{day.isoformat()} 终止" in title


def test_a_termination_refused_on_the_page_keeps_the_form_with_the_reason(client, artist, buyer, work):
    licence = _licence(artist, buyer, work)
    client.force_login(buyer)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/licensing/contracts/{licence.number}/do/terminate/",
        {"on_date": tomorrow, "ground": "breach", "reason": REASON},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "终止日不能晚于今天" in page and 'data-testid="terminate-form"' in page
    assert Contract.objects.get(pk=licence.pk).status == "filed"


def test_the_form_is_shown_only_to_the_sides_of_a_filed_licence(client, artist, buyer, work, registrar):
    draft = factories.contract(artist, buyer, work, rights=["exhibition"])
    licence = _licence(artist, buyer, work)
    client.force_login(registrar)
    assert 'data-testid="terminate-form"' not in client.get(f"/licensing/contracts/{licence.number}/").content.decode()
    client.force_login(artist)
    assert 'data-testid="terminate-form"' not in client.get(f"/licensing/contracts/{draft.number}/").content.decode()
    assert 'data-testid="terminate-form"' in client.get(f"/licensing/contracts/{licence.number}/").content.decode()


def test_an_outsider_gets_404_on_the_page_and_the_api_and_the_staff_403(client, artist, buyer, third, work, registrar):
    licence = _licence(artist, buyer, work)
    body = {"on_date": timezone.localdate().isoformat(), "ground": "breach", "reason": REASON}
    page = f"/licensing/contracts/{licence.number}/do/terminate/"
    api = f"/api/licensing/contracts/{licence.number}/terminate"
    client.force_login(third)
    assert client.post(page, body).status_code == 404
    assert client.post(api, body, content_type="application/json").status_code == 404
    client.force_login(registrar)
    assert client.post(page, body).status_code == 403
    assert client.post(api, body, content_type="application/json").status_code == 403
    client.logout()
    assert client.post(api, body, content_type="application/json").status_code == 401
    assert Contract.objects.get(pk=licence.pk).status == "filed"


def test_the_api_terminates_for_the_licensor_and_refuses_a_second_time(client, artist, buyer, work):
    licence = _licence(artist, buyer, work)
    client.force_login(artist)
    api = f"/api/licensing/contracts/{licence.number}/terminate"
    body = {"on_date": timezone.localdate().isoformat(), "ground": "breach", "reason": "被许可方未付许可费。"}
    answer = client.post(api, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["status"] == "terminated" and data["terminated_on"] == body["on_date"]
    assert (data["termination_ground"], data["termination_reason"]) == ("breach", "被许可方未付许可费。")
    again = client.post(api, body, content_type="application/json")
    assert again.status_code in (400, 409, 422) and "不能重复终止" in again.json()["detail"]
    assert _told("licensing.terminated") == [buyer.pk]
