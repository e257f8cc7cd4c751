"""What was earned before a licence was terminated is still owed: the licensee reports the periods up to and
including the termination day (the last one cut short there) and either side records the payments, on any day
(what was owed is often settled after the termination); a period after that day is refused with the reason in
both languages. The reminders stay stopped, and nobody outside the contract reports or pays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artrights.core.models import Notification
from artrights.licensing import selectors, services
from artrights.licensing.integrity import RuleBroken
from artrights.licensing.models import Reminder, RoyaltyPayment, RoyaltyReport
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)
ENDED = dt.date(2025, 5, 15)  # in the second quarter
REASON = "被许可方停止经营，许可方依合同第九条解除许可。"


@pytest.fixture
def terminated(artist, buyer, work):
    """A quarterly 8% running-royalty licence from 2025-01-01 for two years, terminated on 2025-05-15."""
    contract = factories.contract(
        artist,
        buyer,
        work,
        start=START,
        rights=["network"],
        royalty_model="running_royalty",
        royalty_rate=Decimal("8"),
        reporting_months=3,
    )
    contract = factories.signed(contract, buyer, artist)
    return services.terminate_contract(user=artist, contract=contract, on_date=ENDED, ground="other", reason=REASON)


def test_a_licensee_still_reports_royalties_for_the_months_before_the_termination(artist, buyer, terminated):
    periods = selectors.periods(terminated)
    assert [(p.start, p.end) for p in periods] == [(START, dt.date(2025, 3, 31)), (dt.date(2025, 4, 1), ENDED)]
    first = services.report_royalty(user=buyer, contract=terminated, period_start=START, revenue=Decimal("100000"))
    assert (first.period_end, first.amount_due) == (dt.date(2025, 3, 31), Decimal("8000.00"))
    # The quarter the termination fell in is reported up to the termination day.
    last = services.report_royalty(
        user=buyer, contract=terminated, period_start=dt.date(2025, 4, 1), revenue=Decimal("50000")
    )
    assert (last.period_end, last.amount_due) == (ENDED, Decimal("4000.00"))
    assert Notification.objects.filter(recipient=artist, kind="licensing.royalty_reported").count() == 2
    with pytest.raises(ValidationError):
        services.report_royalty(user=buyer, contract=terminated, period_start=START, revenue=Decimal("1"))


def test_a_royalty_report_for_a_period_after_the_termination_is_refused(buyer, terminated):
    with pytest.raises(RuleBroken) as caught:
        services.report_royalty(
            user=buyer, contract=terminated, period_start=dt.date(2025, 7, 1), revenue=Decimal("1000")
        )
    assert "2025-05-15" in caught.value.message_zh and "终止" in caught.value.message_zh
    assert "terminated on 2025-05-15" in caught.value.message_en
    assert not RoyaltyReport.objects.exists()


def test_a_payment_for_a_report_before_the_termination_is_recorded_even_when_paid_afterwards(artist, buyer, terminated):
    report = services.report_royalty(user=buyer, contract=terminated, period_start=START, revenue=Decimal("100000"))
    services.record_payment(
        user=buyer, contract=terminated, amount=Decimal("8000"), paid_on=timezone.localdate(), report=report
    )
    report.refresh_from_db()
    assert report.outstanding == 0
    assert Notification.objects.filter(recipient=artist, kind="licensing.payment_recorded").exists()


def test_an_unpaid_lump_sum_owed_before_the_termination_is_recorded_when_it_is_paid_later(artist, terminated):
    services.record_payment(user=artist, contract=terminated, amount=Decimal("500"), paid_on=ENDED)
    services.record_payment(
        user=artist, contract=terminated, amount=Decimal("500"), paid_on=ENDED + dt.timedelta(days=40)
    )
    assert sorted(p.paid_on for p in RoyaltyPayment.objects.filter(contract=terminated)) == [
        ENDED,
        ENDED + dt.timedelta(days=40),
    ]


def test_the_royalty_reminders_stay_stopped_after_the_termination(artist, buyer, work):
    contract = factories.contract(
        artist, buyer, work, start=START, rights=["network"], royalty_model="running_royalty", royalty_rate=8
    )
    contract = factories.signed(contract, buyer, artist)
    assert selectors.dues(selectors.running_contracts()).reports_overdue  # filed, it would be reminded
    services.terminate_contract(user=artist, contract=contract, on_date=ENDED, ground="other", reason=REASON)
    assert services.send_reminders() == 0
    assert not Reminder.objects.exists()
    assert not Notification.objects.filter(kind__in=["licensing.report_overdue", "licensing.payment_overdue"]).exists()


def test_an_outsider_cannot_report_or_pay_on_a_terminated_licence(third, terminated):
    with pytest.raises(PermissionDenied):
        services.report_royalty(user=third, contract=terminated, period_start=START, revenue=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.record_payment(user=third, contract=terminated, amount=Decimal("1"), paid_on=ENDED)
    assert not RoyaltyReport.objects.exists() and not RoyaltyPayment.objects.exists()


def test_a_cancelled_draft_takes_no_report_or_payment(artist, buyer, work):
    draft = factories.contract(
        artist, buyer, work, start=START, rights=["network"], royalty_model="running_royalty", royalty_rate=8
    )
    draft = services.cancel(user=buyer, contract=draft)
    with pytest.raises(RuleBroken):
        services.report_royalty(user=buyer, contract=draft, period_start=START, revenue=Decimal("1"))
    with pytest.raises(ValidationError):
        services.record_payment(user=buyer, contract=draft, amount=Decimal("1"), paid_on=START)


def test_the_terminated_contract_page_still_offers_the_report_and_payment_forms(client, artist, buyer, terminated):
    url = f"/licensing/contracts/{terminated.number}/"
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert 'data-testid="report-form"' in page and 'data-testid="payment-form"' in page
    assert 'data-testid="royalties-after-termination"' in page and "2025-05-15 终止" in page
    assert f'value="{START.isoformat()}"' in page and 'value="2025-07-01"' not in page
    response = client.post(f"{url}do/report/", {"period_start": "2025-04-01", "revenue": "50000", "units": "0"})
    assert response.status_code == 302
    assert RoyaltyReport.objects.get(contract=terminated).period_end == ENDED
    client.force_login(artist)
    page = client.get(url).content.decode()
    assert 'data-testid="payment-form"' in page and 'data-testid="report-form"' not in page


def test_a_minimum_guarantee_period_cut_short_by_the_termination_owes_the_guarantee_only_for_the_days_it_ran(
    client, artist, buyer, work
):
    """8,000 yuan guaranteed over two years of quarters is 1,000 a quarter; the second quarter ran 45 of its 91
    days before the termination on 2025-05-15, so it owes 1000 x 45 / 91 = 494.51 yuan, not 1,000."""
    contract = factories.contract(
        artist,
        buyer,
        work,
        start=START,
        rights=["network"],
        royalty_model="minimum_guarantee",
        price=Decimal("8000"),
        royalty_rate=Decimal("10"),
        reporting_months=3,
    )
    contract = factories.signed(contract, buyer, artist)
    services.terminate_contract(user=artist, contract=contract, on_date=ENDED, ground="other", reason=REASON)
    contract.refresh_from_db()
    full = services.report_royalty(user=buyer, contract=contract, period_start=START, revenue=Decimal("2000"))
    assert (full.royalty, full.top_up, full.amount_due) == (Decimal("200.00"), Decimal("800.00"), Decimal("1000.00"))
    cut = services.report_royalty(
        user=buyer, contract=contract, period_start=dt.date(2025, 4, 1), revenue=Decimal("1000")
    )
    assert (cut.period_end, cut.royalty) == (ENDED, Decimal("100.00"))
    assert (cut.top_up, cut.amount_due) == (Decimal("394.51"), Decimal("494.51"))
    short = selectors.cut_short_period(contract)
    assert short is not None and (short.days, short.full_days, short.guarantee) == (45, 91, Decimal("494.51"))
    client.force_login(buyer)
    page = client.get(f"/licensing/contracts/{contract.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the guarantee for the 45 days it ran (of 91) is 494.51 yuan" in page


def test_a_period_that_ends_on_the_termination_day_as_it_would_anyway_owes_the_whole_share(artist, buyer, work):
    contract = factories.contract(
        artist,
        buyer,
        work,
        start=START,
        rights=["network"],
        royalty_model="minimum_guarantee",
        price=Decimal("8000"),
        royalty_rate=Decimal("10"),
        reporting_months=3,
    )
    contract = factories.signed(contract, buyer, artist)
    services.terminate_contract(
        user=artist, contract=contract, on_date=dt.date(2025, 3, 31), ground="other", reason=REASON
    )
    contract.refresh_from_db()
    report = services.report_royalty(user=buyer, contract=contract, period_start=START, revenue=Decimal("0"))
    assert report.top_up == Decimal("1000.00") and selectors.cut_short_period(contract) is None
