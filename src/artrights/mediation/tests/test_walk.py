"""A case walked through every path of the state machine (DOMAIN.md §5.3)."""

from __future__ import annotations

import pytest

from artrights.mediation import services
from artrights.mediation.models import AgreementStatus, Capacity, CaseStatus
from artrights.mediation.tests import factories

pytestmark = pytest.mark.django_db


def _agree(case, applicant, respondent, admin, mediator, **kw):
    agreement = services.draft(
        user=mediator.user,
        case=case,
        facts="被申请人销售复制品 30 件。",
        terms="被申请人停止销售并赔偿 8000 元。",
        obligations=[
            services.ObligationInput(payer_id=case.respondents()[0].pk, due=factories.days_from_now(10), amount="8000")
        ],
        **kw,
    )
    services.sign(user=applicant, agreement=agreement, sha256=agreement.sha256)
    services.sign(user=respondent, agreement=agreement, sha256=agreement.sha256)
    services.sign(user=mediator.user, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.MEDIATOR)
    services.sign(user=admin, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.ORGANISATION)
    agreement.refresh_from_db()
    return agreement


def test_a_party_application_ends_in_an_effective_agreement_signed_by_all(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    assert case.status == CaseStatus.IN_MEDIATION
    agreement = _agree(case, applicant, respondent, admin, mediator)
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREEMENT_EFFECTIVE
    assert agreement.status == AgreementStatus.EFFECTIVE
    assert agreement.log_index is not None
