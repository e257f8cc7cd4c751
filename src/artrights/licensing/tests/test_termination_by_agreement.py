"""Ending a licence by mutual agreement takes both sides (Civil Code Art. 562): one side proposes the day and the
reason, the other is told and agrees or declines; only the agreement terminates the licence, through the one
path every termination takes (the public log entry, the sub-licences ended with it). The proposer may withdraw;
one proposal is open at a time; the day is checked again at the agreement; a proposal lapses when the licence
ends otherwise. Nobody but the other side answers, and a side cannot record "mutual" alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from artrights.core.models import AuditEvent, Notification
from artrights.ledger.models import LogEntry
from artrights.ledger.selectors import statement_at
from artrights.licensing import services
from artrights.licensing.models import Contract, TerminationProposal
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db

REASON = "被许可方的门店调整，双方商定提前结束许可，已付许可费不退。"


def _licence(artist, buyer, work, *, started_days_ago: int = 60, **terms) -> Contract:
    """A sub-licensable licence begun two months ago for two years, filed."""
    start = timezone.localdate() - dt.timedelta(days=started_days_ago)
    values = {"rights": ["reproduction"], "sublicensable": True, "valid_until": start + dt.timedelta(days=730)}
    return factories.signed(factories.contract(artist, buyer, work, start=start, **(values | terms)), buyer, artist)


def _propose(user, contract, **overrides) -> TerminationProposal:
    fields = {"on_date": timezone.localdate() - dt.timedelta(days=1), "reason": REASON} | overrides
    return services.propose_termination(user=user, contract=contract, **fields)


def _told(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def _fresh(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def test_a_proposal_does_not_terminate_the_licence_and_the_other_side_is_asked_to_answer(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    logged = LogEntry.objects.count()
    proposal = _propose(buyer, licence)
    licence = _fresh(licence)
    assert licence.status == "filed" and licence.terminated_on is None and licence.termination_log_index is None
    assert LogEntry.objects.count() == logged  # nothing public until the other side agrees
    assert (proposal.status, proposal.proposed_by, proposal.reason) == ("open", buyer, REASON)
    assert licence.open_termination_proposal() == proposal
    assert _told("licensing.termination_proposed") == [artist.pk]
    notice = Notification.objects.get(kind="licensing.termination_proposed")
    with translation.override("zh-hans"):
        assert buyer.party.name in notice.title and licence.number in notice.title and REASON in notice.body
    with translation.override("en"):
        assert "proposes ending" in notice.title and licence.number in notice.title
    assert not Notification.objects.filter(kind="licensing.terminated").exists()
    assert AuditEvent.objects.filter(action="licensing.propose_termination").exists()


def test_the_other_side_agreeing_terminates_the_licence_on_the_proposed_day_and_only_then_logs_it(
    artist, buyer, third, work
):
    licence = _licence(artist, buyer, work)
    offer = services.create_offer(user=buyer, parent=licence, rights=["reproduction"], price=Decimal(9), term_months=1)
    sub = services.request_licence(user=third, offer=offer, valid_from=timezone.localdate() - dt.timedelta(days=5))
    sub = factories.signed(sub, third, buyer)
    day = timezone.localdate() - dt.timedelta(days=2)
    proposal = _propose(buyer, licence, on_date=day)
    logged = LogEntry.objects.count()
    services.agree_termination(user=artist, contract=licence)
    licence = _fresh(licence)
    assert (licence.status, licence.terminated_on, licence.termination_ground) == ("terminated", day, "mutual")
    assert licence.termination_reason == REASON and licence.terminated_by == artist
    statement = statement_at(licence.termination_log_index)
    assert (statement["ground"], statement["terminated_on"]) == ("mutual", day.isoformat())
    assert LogEntry.objects.count() == logged + 2  # the licence's entry and its sub-licence's
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == ("agreed", artist) and proposal.answered_at is not None
    # The same path as every termination: the sub-licence ends with it, the offer under it closes.
    sub.refresh_from_db()
    offer.refresh_from_db()
    assert (sub.status, sub.terminated_on, sub.termination_ground) == ("terminated", day, "parent_terminated")
    assert offer.status == "closed"
    assert _told("licensing.termination_agreed") == [buyer.pk]  # the proposer; not the side that agreed
    assert _told("licensing.sublicence_terminated") == sorted([buyer.pk, third.pk])
    assert AuditEvent.objects.filter(action="licensing.terminate", object_id=str(licence.pk)).exists()


def test_the_proposer_cannot_agree_to_its_own_proposal_nor_outsiders_or_staff_answer_it(
    artist, buyer, third, registrar, work
):
    licence = _licence(artist, buyer, work)
    _propose(artist, licence)
    for someone in (artist, third, registrar):
        with pytest.raises(PermissionDenied):
            services.agree_termination(user=someone, contract=licence)
    for someone in (artist, third, registrar):
        with pytest.raises(PermissionDenied):
            services.decline_termination(user=someone, contract=licence)
    for someone in (buyer, third, registrar):
        with pytest.raises(PermissionDenied):
            services.withdraw_termination(user=someone, contract=licence)
    for someone in (third, registrar):
        with pytest.raises(PermissionDenied):
            _propose(someone, licence)
    assert _fresh(licence).status == "filed"
    assert TerminationProposal.objects.get().status == "open"


def test_the_other_side_declines_with_its_reason_and_the_licence_stays_in_force(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    proposal = _propose(buyer, licence)
    services.decline_termination(user=artist, contract=licence, answer="  许可费尚未结清，暂不同意解除。 ")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == ("declined", artist)
    assert proposal.answer == "许可费尚未结清，暂不同意解除。"
    assert _fresh(licence).status == "filed"
    assert _told("licensing.termination_declined") == [buyer.pk]
    with translation.override("zh-hans"):
        assert "许可费尚未结清" in Notification.objects.get(kind="licensing.termination_declined").body
    with pytest.raises(PermissionDenied):  # nothing is open to agree to any more
        services.agree_termination(user=artist, contract=licence)
    # A new proposal may be made once the last one was answered.
    assert _propose(buyer, licence).status == "open"


def test_the_proposer_withdraws_and_the_other_side_is_told_it_need_not_answer(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    proposal = _propose(artist, licence)
    services.withdraw_termination(user=artist, contract=licence)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == ("withdrawn", artist)
    assert _told("licensing.termination_withdrawn") == [buyer.pk]
    with pytest.raises(PermissionDenied):
        services.agree_termination(user=buyer, contract=licence)
    assert _fresh(licence).status == "filed"


def test_a_second_proposal_while_one_is_open_is_refused_in_both_languages(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    _propose(buyer, licence)
    for user in (buyer, artist):
        with pytest.raises(ValidationError, match="已有一份待对方答复的解除提议"):
            _propose(user, licence)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _propose(artist, licence)
    assert "already has a proposal" in caught.value.messages[0]
    assert TerminationProposal.objects.count() == 1


def test_a_proposed_day_no_longer_valid_at_the_agreement_is_refused_in_both_languages(artist, buyer, work):
    """A quarterly running-royalty licence: the licensee proposes a day in the second quarter, then reports that
    whole quarter; ending the licence on the proposed day would leave reported royalties without a licence."""
    start = timezone.localdate() - dt.timedelta(days=250)
    licence = _licence(
        artist,
        buyer,
        work,
        started_days_ago=250,
        royalty_model="running_royalty",
        royalty_rate=Decimal("8"),
        reporting_months=3,
    )
    day = start + dt.timedelta(days=120)
    _propose(buyer, licence, on_date=day)
    second = services.report_royalty(
        user=buyer, contract=licence, period_start=_quarter(start, 1), revenue=Decimal("1000")
    )
    assert second.period_start <= day < second.period_end
    with pytest.raises(ValidationError) as caught:
        services.agree_termination(user=artist, contract=licence)
    assert f"许可使用费已报送至 {second.period_end.isoformat()}" in caught.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.agree_termination(user=artist, contract=licence)
    assert f"royalties have been reported up to {second.period_end.isoformat()}" in caught.value.messages[0]
    assert _fresh(licence).status == "filed" and TerminationProposal.objects.get().status == "open"
    assert not Notification.objects.filter(kind="licensing.termination_agreed").exists()


def _quarter(start: dt.date, n: int) -> dt.date:
    """Where the ``n``-th quarter (from 0) of a licence begun on ``start`` begins."""
    from artrights.licensing.selectors import add_months

    return add_months(start, 3 * n)


def test_a_proposal_for_a_day_to_come_or_before_the_start_is_refused_in_both_languages(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    for on_date, zh, en in (
        (timezone.localdate() + dt.timedelta(days=1), "终止日不能晚于今天", "cannot be later than today"),
        (licence.valid_from - dt.timedelta(days=1), "不能早于合同的起始日期", "cannot be earlier than the contract's"),
    ):
        with pytest.raises(ValidationError) as caught:
            _propose(buyer, licence, on_date=on_date)
        assert zh in caught.value.messages[0]
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            _propose(buyer, licence, on_date=on_date)
        assert en in caught.value.messages[0]
    with pytest.raises(ValidationError, match="请写明终止合同的理由"):
        _propose(buyer, licence, reason="  ")
    assert not TerminationProposal.objects.exists()


def test_a_side_cannot_record_a_mutual_termination_alone_in_either_language(artist, buyer, work):
    licence = _licence(artist, buyer, work)
    fields = {"on_date": timezone.localdate(), "ground": "mutual", "reason": REASON}
    with pytest.raises(ValidationError) as caught:
        services.terminate_contract(user=artist, contract=licence, **fields)
    assert "须经对方同意" in caught.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.terminate_contract(user=artist, contract=licence, **fields)
    assert "needs the other side's agreement" in caught.value.messages[0]
    assert _fresh(licence).status == "filed"


def test_a_proposal_lapses_when_the_licence_is_terminated_otherwise_or_its_term_runs_out(
    artist, buyer, third, work, registrar, clock
):
    licence = _licence(artist, buyer, work)
    proposal = _propose(buyer, licence)
    services.terminate_contract(
        user=artist, contract=licence, on_date=timezone.localdate(), ground="breach", reason="被许可方未付许可费。"
    )
    proposal.refresh_from_db()
    assert proposal.status == "lapsed"
    other = factories.registered(artist, registrar, seed=47, title="另一幅作品")
    short = _licence(artist, third, other, valid_until=timezone.localdate() + dt.timedelta(days=3))
    waiting = _propose(artist, short, on_date=timezone.localdate())
    assert services.lapse_ended_proposals() == 0
    clock.travel(days=5)
    with pytest.raises(ValidationError, match="期满"):
        services.agree_termination(user=third, contract=short)
    assert services.lapse_ended_proposals() == 1
    waiting.refresh_from_db()
    assert waiting.status == "lapsed" and _fresh(short).status == "filed"


def _lapse_notices(kind: str) -> dict[int, Notification]:
    return {row.recipient_id: row for row in Notification.objects.filter(kind=kind)}


def test_both_sides_are_told_why_a_proposal_lapsed_in_their_own_language(
    artist, buyer, third, work, registrar, clock, mailoutbox, django_capture_on_commit_callbacks
):
    buyer.language = "en"
    buyer.save(update_fields=["language"])
    # Terminated on another ground: the side that did it knows; the other side hears the proposal lapsed too.
    licence = _licence(artist, buyer, work)
    offer = services.create_offer(user=buyer, parent=licence, rights=["reproduction"], price=Decimal(9), term_months=6)
    sub = services.request_licence(user=third, offer=offer, valid_from=timezone.localdate() - dt.timedelta(days=5))
    sub = factories.signed(sub, third, buyer)
    _propose(third, sub)
    _propose(buyer, licence)
    with django_capture_on_commit_callbacks(execute=True):
        services.terminate_contract(
            user=artist, contract=licence, on_date=timezone.localdate(), ground="breach", reason="被许可方未付许可费。"
        )
    told = _lapse_notices("licensing.termination_lapsed_terminated")
    assert list(told) == [buyer.pk]
    with translation.override("zh-hans"):
        assert licence.number in told[buyer.pk].title and "失效" in told[buyer.pk].title
        assert artist.party.name in told[buyer.pk].body and "其他事由终止" in told[buyer.pk].body
    with translation.override("en"):
        assert told[buyer.pk].title == f"The proposal to end contract {licence.number} has lapsed"
        assert "terminated" in told[buyer.pk].body and "need not answer" in told[buyer.pk].body
    # The buyer reads English: the e-mail copy is in English, whoever's language the terminating side uses.
    assert any(m.to == [buyer.email] and licence.number in m.subject and "lapsed" in m.subject for m in mailoutbox)
    # The sub-licence ended with its parent: both of its sides are told its own proposal lapsed, and why.
    told = _lapse_notices("licensing.termination_lapsed_parent")
    assert sorted(told) == sorted([buyer.pk, third.pk])
    with translation.override("zh-hans"):
        assert licence.number in told[third.pk].body and "原许可合同" in told[third.pk].body
    with translation.override("en"):
        assert f"original licence {licence.number}" in told[third.pk].body
    # The term ran out: the periodic task lapses it and tells both sides, nobody having acted.
    other = factories.registered(artist, registrar, seed=47, title="另一幅作品")
    short = _licence(artist, third, other, valid_until=timezone.localdate() + dt.timedelta(days=3))
    _propose(artist, short, on_date=timezone.localdate())
    clock.travel(days=5)
    assert services.lapse_ended_proposals() == 1
    told = _lapse_notices("licensing.termination_lapsed_expired")
    assert sorted(told) == sorted([artist.pk, third.pk])
    until = short.valid_until.isoformat()
    with translation.override("zh-hans"):
        assert until in told[third.pk].body and "期满" in told[third.pk].body
    with translation.override("en"):
        assert f"expired on {until}" in told[artist.pk].body


# --- pages and API -----------------------------------------------------------------------------------------


def test_the_other_side_sees_the_proposal_box_and_agrees_after_confirming(client, artist, buyer, registrar, work):
    licence = _licence(artist, buyer, work)
    url = f"/licensing/contracts/{licence.number}/"
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert 'data-testid="propose-form"' in page and 'data-testid="termination-proposal"' not in page
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(f"{url}do/propose-termination/", {"on_date": day, "reason": REASON})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="withdraw-termination"' in page and 'data-testid="agree-termination"' not in page
    assert 'data-testid="propose-form"' not in page
    client.force_login(registrar)  # the staff read the proposal and cannot answer it
    page = client.get(url).content.decode()
    assert REASON in page and 'data-testid="agree-termination"' not in page
    assert client.post(f"{url}do/agree-termination/").status_code == 403
    client.force_login(artist)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="termination-proposal"' in page and REASON in page and day in page
    assert 'data-testid="agree-termination"' in page and 'data-testid="decline-form"' in page
    assert "同意后合同即终止并记入公开日志，不能撤销" in page  # the confirmation asked before agreeing
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "proposes ending this contract by mutual agreement" in english and "Agree to end it" in english
    assert client.post(f"{url}do/agree-termination/").status_code == 302
    page = client.get(url).content.decode()
    assert "本合同已终止" in page and 'data-testid="termination-proposal"' not in page
    assert 'data-testid="agreed-by"' in page and artist.party.name in page and buyer.party.name in page
    assert _fresh(licence).status == "terminated"


def _section(page: str, testid: str) -> str:
    """The HTML of the element marked ``testid`` up to the end of its table ("" when the page has none)."""
    start = page.find(f'data-testid="{testid}"')
    return "" if start < 0 else page[start : page.index("</table>", start)]


def test_an_open_proposal_waits_on_the_dashboard_and_the_desk_of_both_sides_until_it_is_answered(
    client, artist, buyer, third, work
):
    licence = _licence(artist, buyer, work)
    _propose(buyer, licence)
    link = f'href="/licensing/contracts/{licence.number}/"'
    client.force_login(artist)  # the side asked to answer
    for path in ("/dashboard/", "/licensing/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        waiting = _section(page, "proposals-to-answer")
        assert link in waiting and work.title in waiting and buyer.party.name in waiting
        assert "待您答复的解除提议" in page or "待我答复的解除提议" in page
        assert _section(page, "proposals-made") == ""
    english = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Termination proposals awaiting your answer" in english and link in english
    client.force_login(buyer)  # the proposer sees its own, still open
    for path in ("/dashboard/", "/licensing/"):
        page = client.get(path).content.decode()
        assert link in _section(page, "proposals-made") and _section(page, "proposals-to-answer") == ""
    client.force_login(third)  # no side of it: nothing to see
    for path in ("/dashboard/", "/licensing/"):
        page = client.get(path).content.decode()
        assert licence.number not in page and 'data-testid="proposal-row"' not in page
    services.decline_termination(user=artist, contract=licence, answer="")
    client.force_login(artist)
    for path in ("/dashboard/", "/licensing/"):
        assert 'data-testid="proposals-to-answer"' not in client.get(path).content.decode()


def test_a_refused_proposal_on_the_page_keeps_the_form_with_the_reason(client, artist, buyer, work):
    licence = _licence(artist, buyer, work)
    client.force_login(buyer)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/licensing/contracts/{licence.number}/do/propose-termination/", {"on_date": tomorrow, "reason": REASON}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "终止日不能晚于今天" in page and 'data-testid="propose-form"' in page and REASON in page
    assert not TerminationProposal.objects.exists()


def test_the_api_proposes_declines_withdraws_and_agrees_for_the_right_side_only(client, artist, buyer, third, work):
    licence = _licence(artist, buyer, work)
    base = f"/api/licensing/contracts/{licence.number}/termination-proposal"
    body = {"on_date": timezone.localdate().isoformat(), "reason": REASON}
    client.force_login(buyer)
    answer = client.post(base, body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["status"], answer.json()["proposed_by"]) == ("open", buyer.party.name)
    assert client.post(f"{base}/agree").status_code == 403  # not its own
    assert client.post(base, body, content_type="application/json").status_code in (400, 422)
    contract = client.get(f"/api/licensing/contracts/{licence.number}").json()
    assert contract["termination_proposal"]["on_date"] == body["on_date"] and contract["status"] == "filed"
    client.force_login(third)
    assert client.post(f"{base}/agree").status_code == 404
    client.force_login(artist)
    declined = client.post(f"{base}/decline", {"answer": "不同意"}, content_type="application/json")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert client.post(base, body, content_type="application/json").status_code == 201
    assert client.post(f"{base}/withdraw").status_code == 200
    client.force_login(buyer)
    assert client.post(base, body, content_type="application/json").status_code == 201
    client.force_login(artist)
    agreed = client.post(f"{base}/agree")
    assert agreed.status_code == 200, agreed.content
    data = agreed.json()
    assert (data["status"], data["termination_ground"]) == ("terminated", "mutual")
    assert data["terminated_on"] == body["on_date"]
    assert data["termination_proposal"] is None
    assert [p.status for p in TerminationProposal.objects.order_by("pk")] == ["declined", "withdrawn", "agreed"]
