"""The demo data of ``make run`` holds mediation cases in several states, made through the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from artrights.mediation.models import AgreementStatus, Case, CaseStatus, CreditReferral, Mediator

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_cases_waiting_in_mediation_settled_referred_and_being_consulted():
    call_command("demo")
    # The one-stop demo forwards one more application from the Dafen workstation (waiting for acceptance too).
    states = sorted(Case.objects.values_list("status", flat=True))
    assert states == sorted(
        [
            CaseStatus.APPLIED,
            CaseStatus.APPLIED,
            CaseStatus.IN_MEDIATION,
            CaseStatus.AGREEMENT_EFFECTIVE,
            CaseStatus.TRANSFERRED_TO_COURT,
            CaseStatus.ACCEPTED,
        ]
    )
    settled = Case.objects.get(status=CaseStatus.AGREEMENT_EFFECTIVE)
    assert settled.agreement.status == AgreementStatus.EFFECTIVE and settled.agreement.log_index is not None
    assert CreditReferral.objects.filter(case=settled).exists()
    assert Case.objects.get(status=CaseStatus.TRANSFERRED_TO_COURT).referral_pdf
    assert Mediator.objects.get().court_rosters == ["深圳市龙岗区人民法院"]
