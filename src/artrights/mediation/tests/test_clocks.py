"""The clocks of §5.1 across the National Day and Spring Festival holidays and their make-up working days: working
days for acceptance, consultation, choice, appointment and confirmation; calendar days for the mediation period and
the judicial-confirmation window, whose last day moves off a holiday; and the sweep that acts when they run out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from artrights.core.models import Notification
from artrights.mediation import services
from artrights.mediation.models import CaseStatus, FailureReason, Source
from artrights.mediation.tests import factories

pytestmark = pytest.mark.django_db

_real_localdate = timezone.localdate


@pytest.fixture
def on(monkeypatch):
    """``on(day)``: the platform's today is ``day`` from now on."""

    def set_day(day: dt.date) -> None:
        def fake(value=None, timezone=None):
            return day if value is None else _real_localdate(value, timezone)

        monkeypatch.setattr(timezone_module, "localdate", fake)

    timezone_module = timezone
    return set_day


def test_acceptance_is_due_three_working_days_later_skipping_national_day(on, applicant, org, admin):
    on(dt.date(2025, 9, 29))  # Monday; 1–8 October are days off
    case = factories.applied(applicant, org)
    assert case.acceptance_due == dt.date(2025, 10, 10)  # 30 Sep, 9 Oct, 10 Oct


def test_the_make_up_sunday_before_national_day_counts_as_a_working_day(on, applicant, org, admin):
    on(dt.date(2025, 9, 26))  # Friday; Sunday 28 September is a make-up working day
    case = factories.applied(applicant, org)
    assert case.acceptance_due == dt.date(2025, 9, 30)  # 28, 29, 30 September


def test_an_administrative_referral_is_decided_within_five_working_days(on, admin):
    on(dt.date(2025, 9, 29))
    case = factories.registered(admin, Source.ADMIN_REFERRAL, court="", referring_body="深圳市市场监督管理局")
    assert case.acceptance_due == dt.date(2025, 10, 13)  # 30 Sep, 9, 10, 11 (make-up Saturday), 13 Oct


def test_online_consultation_runs_three_working_days_across_spring_festival(on, applicant, org, admin):
    on(dt.date(2026, 2, 12))  # Thursday; 15–23 February are days off, Saturday 14 February is a working day
    case = factories.accepted(applicant, admin)
    assert case.consent_due == dt.date(2026, 2, 24)  # 13, 14, 24 February


def test_offline_consultation_runs_ten_working_days_across_spring_festival(on, applicant, org, admin):
    on(dt.date(2026, 2, 12))
    case = factories.accepted(applicant, admin, online=False)
    # 13, 14, 24, 25, 26, 27, 28 (make-up Saturday) February, 2, 3, 4 March
    assert case.consent_due == dt.date(2026, 3, 4)


def test_choice_appointment_and_confirmation_clocks_are_working_days(on, applicant, respondent, admin, mediator):
    on(dt.date(2025, 9, 30))
    case = factories.consented(applicant, respondent, admin)
    assert case.choice_due == dt.date(2025, 10, 10)  # 9, 10 October
    assert case.appointment_due == dt.date(2025, 10, 11)  # 9, 10, 11 (make-up Saturday) October
    case = services.appoint(user=admin, case=case, mediator=mediator)
    assert case.confirmation_due == dt.date(2025, 10, 11)


def test_a_thirty_day_period_ending_on_national_day_ends_on_the_next_working_day(
    on, applicant, respondent, admin, mediator
):
    on(dt.date(2025, 9, 6))
    case = factories.mediating(applicant, respondent, admin, mediator)
    assert case.taken_on == dt.date(2025, 9, 6) and case.period_days == 30
    assert case.mediation_due == dt.date(2025, 10, 9)  # 6 October is a day off; the holiday ends on the 8th


def test_an_entrusted_simple_procedure_case_has_seven_days_moved_past_spring_festival(on, respondent, admin, mediator):
    on(dt.date(2026, 2, 9))
    case = factories.registered(admin, Source.COURT_ENTRUSTED, procedure="simple")
    case = services.decide_acceptance(user=admin, case=case, accept=True)
    case = services.answer(user=respondent, case=case, consent=True)
    case = services.appoint(user=admin, case=case, mediator=mediator)
    case = services.confirm(user=mediator.user, case=case, accept=True)
    assert case.period_days == 7
    assert case.mediation_due == dt.date(2026, 2, 24)  # 16 February falls in the holiday


def test_ordinary_entrustment_has_fifteen_days_and_delegation_thirty(on, respondent, admin, mediator):
    on(dt.date(2025, 11, 3))
    for source, days in ((Source.COURT_ENTRUSTED, 15), (Source.COURT_DELEGATED, 30)):
        case = factories.registered(admin, source)
        case = services.decide_acceptance(user=admin, case=case, accept=True)
        case = services.answer(user=respondent, case=case, consent=True)
        case = services.appoint(user=admin, case=case, mediator=mediator)
        case = services.confirm(user=mediator.user, case=case, accept=True)
        assert case.period_days == days


def test_the_sweep_ends_a_period_that_ran_out_without_consent_to_extend(
    on, applicant, respondent, admin, mediator, django_capture_on_commit_callbacks
):
    on(dt.date(2025, 9, 6))
    case = factories.mediating(applicant, respondent, admin, mediator)
    services.propose_extension(user=mediator.user, case=case, days=10, reason="双方仍在协商赔偿数额")
    on(dt.date(2025, 10, 9))
    assert services.sweep()["expired"] == 0  # the last day itself is still in time
    on(dt.date(2025, 10, 10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep()["expired"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.FAILED and case.end_reason == FailureReason.EXPIRED
    assert {m.to[0] for m in mail.outbox} >= {applicant.email, respondent.email, mediator.user.email}


def test_an_extension_every_party_consented_to_moves_the_end_and_the_sweep_waits(
    on, applicant, respondent, admin, mediator
):
    on(dt.date(2025, 9, 6))
    case = factories.mediating(applicant, respondent, admin, mediator)
    extension = services.propose_extension(user=mediator.user, case=case, days=10, reason="等待鉴定意见")
    services.answer_extension(user=applicant, extension=extension, consent=True)
    services.answer_extension(user=respondent, extension=extension, consent=True)
    case = services.grant_extension(user=mediator.user, extension=extension)
    assert case.mediation_due == dt.date(2025, 10, 20)  # 19 October is a Sunday
    on(dt.date(2025, 10, 15))
    assert services.sweep()["expired"] == 0


def test_a_respondent_who_does_not_answer_in_time_ends_the_case(on, applicant, admin):
    on(dt.date(2026, 2, 12))
    case = factories.accepted(applicant, admin)
    on(dt.date(2026, 2, 24))
    assert services.sweep()["ended"] == 0
    on(dt.date(2026, 2, 25))
    assert services.sweep()["ended"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.ENDED


def test_an_overdue_acceptance_is_flagged_once_and_the_staff_told(on, applicant, org, admin):
    on(dt.date(2025, 9, 29))
    case = factories.applied(applicant, org)
    on(dt.date(2025, 10, 13))
    assert services.sweep()["flagged"] == 1
    assert services.sweep()["flagged"] == 0  # told once
    case.refresh_from_db()
    assert case.overdue_step == "acceptance"
    assert Notification.objects.filter(recipient=admin, kind="mediation.overdue").count() == 1


def test_the_judicial_confirmation_window_is_thirty_days_from_effect(on, applicant, respondent, admin, mediator):
    from artrights.mediation.tests.test_walk import agree

    on(dt.date(2025, 9, 1))
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = agree(case, applicant, respondent, admin, mediator)
    assert agreement.confirmation_due == dt.date(2025, 10, 9)  # 1 October + holiday → 9 October
