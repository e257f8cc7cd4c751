"""Royalty reports and payments against running-royalty licences; what is due and overdue, and reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from artrights.core.models import Notification
from artrights.licensing import selectors, services
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)


@pytest.fixture
def running(artist, buyer, work):
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
    return factories.signed(contract, buyer, artist)


def test_a_quarter_reported_makes_the_royalty_due_and_a_payment_settles_it(artist, buyer, running):
    report = services.report_royalty(user=buyer, contract=running, period_start=START, revenue=Decimal("150000"))
    assert (report.period_end, report.royalty, report.amount_due) == (
        dt.date(2025, 3, 31),
        Decimal("12000.00"),
        Decimal("12000.00"),
    )
    assert Notification.objects.filter(recipient=artist, kind="licensing.royalty_reported").exists()
    services.record_payment(
        user=buyer, contract=running, amount=Decimal("12000"), paid_on=dt.date(2025, 4, 20), report=report
    )
    report.refresh_from_db()
    assert report.outstanding == 0
    with pytest.raises(ValidationError):
        services.report_royalty(user=buyer, contract=running, period_start=START, revenue=Decimal("1"))


def test_an_advance_is_recouped_from_the_first_royalties(artist, buyer, work):
    contract = factories.signed(
        factories.contract(
            artist, buyer, work, start=START, royalty_model="advance", price=Decimal("5000"), royalty_rate=Decimal("10")
        ),
        buyer,
        artist,
    )
    first = services.report_royalty(user=buyer, contract=contract, period_start=START, revenue=Decimal("30000"))
    second = services.report_royalty(
        user=buyer, contract=contract, period_start=dt.date(2025, 4, 1), revenue=Decimal("30000")
    )
    assert (first.recouped, first.amount_due) == (Decimal("3000.00"), Decimal("0.00"))
    assert (second.recouped, second.amount_due) == (Decimal("2000.00"), Decimal("1000.00"))


def test_a_per_unit_licence_is_paid_by_the_units_sold(artist, buyer, work):
    contract = factories.signed(
        factories.contract(artist, buyer, work, start=START, royalty_model="per_unit", unit_fee=Decimal("2.5")),
        buyer,
        artist,
    )
    report = services.report_royalty(user=buyer, contract=contract, period_start=START, revenue=Decimal(0), units=400)
    assert report.amount_due == Decimal("1000.00")


def test_only_the_licensee_reports(artist, running):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_royalty(user=artist, contract=running, period_start=START, revenue=Decimal(1))


def test_overdue_reports_and_payments_are_reminded_once(artist, buyer, running, django_capture_on_commit_callbacks):
    from artrights.licensing.models import RoyaltyReport

    report = services.report_royalty(user=buyer, contract=running, period_start=START, revenue=Decimal("1000"))
    assert report in selectors.dues(selectors.running_contracts()).unpaid  # due 30 days after the report
    RoyaltyReport.objects.filter(pk=report.pk).update(payment_due=dt.date(2025, 5, 1))  # as if the days had passed
    dues = selectors.dues(selectors.running_contracts())
    assert report in dues.overdue_payments
    assert [p.start for _c, p in dues.reports_overdue][:2] == [dt.date(2025, 4, 1), dt.date(2025, 7, 1)]
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders()
    assert sent == len(dues.reports_overdue) + 1
    kinds = set(Notification.objects.filter(recipient=buyer).values_list("kind", flat=True))
    assert {"licensing.report_overdue", "licensing.payment_overdue"} <= kinds
    assert any("逾期" in m.subject for m in mail.outbox)
    assert services.send_reminders() == 0


@pytest.fixture
def guaranteed(artist, buyer, work):
    """Two years, quarterly, 10% of net sales with 8,000 yuan guaranteed: 1,000 yuan a quarter."""
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
    return factories.signed(contract, buyer, artist)


def test_a_quarter_below_the_minimum_guarantee_makes_the_shortfall_due_and_tells_both_sides(artist, buyer, guaranteed):
    short = services.report_royalty(user=buyer, contract=guaranteed, period_start=START, revenue=Decimal("6000"))
    assert (short.royalty, short.top_up, short.amount_due) == (Decimal("600.00"), Decimal("400.00"), Decimal("1000.00"))
    told = Notification.objects.filter(kind="licensing.guarantee_shortfall")
    assert {n.recipient_id for n in told} == {artist.pk, buyer.pk}
    assert "400.00" in told.filter(recipient=buyer).get().title
    above = services.report_royalty(
        user=buyer, contract=guaranteed, period_start=dt.date(2025, 4, 1), revenue=Decimal("25000")
    )
    assert (above.royalty, above.top_up, above.amount_due) == (Decimal("2500.00"), Decimal(0), Decimal("2500.00"))
    assert told.count() == 2  # nothing new when the royalty reaches the guarantee


def test_an_unpaid_guarantee_shortfall_is_overdue_and_reminded_like_any_royalty(
    buyer, guaranteed, django_capture_on_commit_callbacks
):
    from artrights.licensing.models import RoyaltyReport

    short = services.report_royalty(user=buyer, contract=guaranteed, period_start=START, revenue=Decimal(0))
    assert short.amount_due == Decimal("1000.00")
    RoyaltyReport.objects.filter(pk=short.pk).update(payment_due=dt.date(2025, 5, 1))  # as if the days had passed
    overdue = selectors.dues(selectors.running_contracts()).overdue_payments
    assert [(r.pk, r.outstanding) for r in overdue] == [(short.pk, Decimal("1000.00"))]
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders()
    reminded = Notification.objects.get(recipient=buyer, kind="licensing.payment_overdue")
    assert "1000.00" in reminded.body


def test_the_pool_counts_a_reported_quarter_of_a_guarantee_once(buyer, guaranteed):
    cut_off = START
    before = sum(amount for _day, amount in selectors.contracted_income(guaranteed, cut_off=cut_off))
    assert before == Decimal("8000.00")
    services.report_royalty(user=buyer, contract=guaranteed, period_start=START, revenue=Decimal("6000"))
    after = sum(amount for _day, amount in selectors.contracted_income(guaranteed, cut_off=cut_off))
    assert after == Decimal("8000.00")  # the quarter's 1,000 now comes from its report, not from the spread
