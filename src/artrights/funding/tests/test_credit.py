"""Joint punishment: an applicant on a list whose measures restrict funding is refused with the list and the
measure named; the check is kept; the refusal shows in the measure feedback of the listing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from artrights.credit.models import MeasureReport
from artrights.credit.tests import factories as credit
from artrights.funding import selectors, services
from artrights.funding.models import Application, CreditCheck, Status
from artrights.funding.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed_owner(owner, fund_admin):
    """The owner, on the Guangdong serious-dishonesty list (measure GD_FUNDING_BAN: no fiscal funds for 3 years)."""
    subject = credit.person(fund_admin, name=owner.party.name, code=owner.party.id_number)
    return credit.listed(fund_admin, subject, list_type="gd_serious", behaviour="GD_WILFUL_INFRINGE")


def test_a_listed_applicant_is_refused_naming_the_list_and_the_measure_and_nothing_is_applied_for(
    owner, programme, works, listed_owner
):
    with pytest.raises(ValidationError) as refused:
        factories.application(owner, programme, works)
    text = " ".join(refused.value.messages)
    assert "广东省知识产权严重失信名单" in text and listed_owner.number in text and "GD_FUNDING_BAN" in text
    assert not Application.objects.exists()
    # The works are still on offer (nothing half-changed), and the check itself is kept.
    assert len(selectors.candidates(owner, programme, owner.party)) == 2
    check = CreditCheck.objects.get()
    assert check.blocked and check.findings[0]["entry"] == listed_owner.number and check.application is None


def test_the_refusal_shows_in_the_listings_measure_feedback_under_the_funds_department(
    owner, programme, works, listed_owner, department
):
    with pytest.raises(ValidationError):
        factories.application(owner, programme, works)
    report = MeasureReport.objects.get(entry=listed_owner)
    assert report.measure.code == "GD_FUNDING_BAN" and report.department == department
    assert report.action == "applied" and programme.code in report.note


def test_an_applicant_listed_after_applying_is_not_granted_and_is_refused_on_the_credit_ground(
    owner, fund_admin, programme, works
):
    application = factories.application(owner, programme, works[:1])
    subject = credit.person(fund_admin, name=owner.party.name, code=owner.party.id_number)
    entry = credit.listed(fund_admin, subject, list_type="gd_serious", behaviour="GD_WILFUL_INFRINGE")
    item = application.items.get()
    with pytest.raises(ValidationError, match="GD_FUNDING_BAN"):
        services.approve(user=fund_admin, application=application, amounts={item.pk: item.claimed})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.items.get().claim is None
    refused = services.refuse(user=fund_admin, application=application, ground="credit", note="")
    assert refused.status == Status.REFUSED and entry.number in refused.decision_note
    assert MeasureReport.objects.filter(entry=entry, reported_by=fund_admin).exists()
    assert CreditCheck.objects.filter(application=application, blocked=True).count() == 2


def test_the_credit_ground_is_refused_when_the_applicant_is_on_no_such_list(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    with pytest.raises(ValidationError, match="不在限制财政资金资助的名单中"):
        services.refuse(user=fund_admin, application=application, ground="credit", note="")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_list_whose_funding_measure_is_switched_off_does_not_bar_funding(owner, fund_admin, programme, works):
    from artrights.credit.models import Measure

    subject = credit.person(fund_admin, name=owner.party.name, code=owner.party.id_number)
    credit.listed(fund_admin, subject, list_type="gd_serious", behaviour="GD_WILFUL_INFRINGE")
    Measure.objects.filter(domain="funding").update(active=False)
    assert factories.application(owner, programme, works[:1]).status == Status.SUBMITTED
    assert CreditCheck.objects.get().blocked is False
