"""Who hears of a step: everyone it concerns except the person who took it, who needs no telling of what they just
did; a call to act that follows a joint step still reaches everyone who must answer it."""

from __future__ import annotations

import pytest
from django.core import mail

from artrights.core.models import Notification
from artrights.mediation import services
from artrights.mediation.models import Capacity, Source
from artrights.mediation.tests import factories
from artrights.mediation.tests.test_walk import _court_case, agree

pytestmark = pytest.mark.django_db

NANSHAN = "深圳市南山区人民法院"


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_a_court_user_who_records_a_court_step_is_not_notified_of_it_but_the_parties_mediator_and_colleagues_are(
    applicant, respondent, admin, mediator, django_capture_on_commit_callbacks
):
    judge, colleague = factories.court_liaison(NANSHAN), factories.court_liaison(NANSHAN)
    case = _court_case(admin, respondent, mediator, Source.COURT_DELEGATED)
    agree(case, applicant, respondent, admin, mediator)
    case.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_court_step(user=judge, case=case, step="file_with_court", note="已备案")
    assert judge.pk not in told("mediation.court_step")
    assert told("mediation.court_step") == {applicant.pk, respondent.pk, mediator.user.pk, admin.pk, colleague.pk}
    addressed = {address for message in mail.outbox for address in message.to}
    assert judge.email not in addressed  # no copy by e-mail either
    assert colleague.email in addressed and mediator.user.email in addressed


def test_a_respondent_who_refuses_mediation_is_not_told_of_its_own_refusal_but_the_applicant_and_organisation_are(
    applicant, respondent, admin
):
    case = factories.accepted(applicant, admin)
    services.answer(user=respondent, case=case, consent=False)
    assert told("mediation.case_ended") == {applicant.pk, admin.pk}


@pytest.mark.parametrize("step", ["withdraw", "end_by_party"])
def test_an_applicant_who_ends_its_own_case_is_not_told_that_it_ended_but_everyone_else_concerned_is(
    applicant, respondent, admin, mediator, step
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    getattr(services, step)(user=applicant, case=case, reason="双方已自行和解")
    assert told("mediation.case_ended") == {respondent.pk, mediator.user.pk, admin.pk}


def test_a_mediator_who_declares_a_ground_for_their_own_recusal_is_not_told_of_it_but_the_organisation_is(
    applicant, respondent, admin, mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    services.request_recusal(user=mediator.user, case=case, ground="relative", reason="被申请人是我的表兄")
    assert told("mediation.recusal_requested") == {admin.pk, applicant.pk, respondent.pk}


def test_a_party_who_refuses_an_extension_is_not_told_of_its_refusal_but_the_other_party_and_the_mediator_are(
    applicant, respondent, admin, mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    extension = services.propose_extension(user=mediator.user, case=case, days=15, reason="需要补充评估报告")
    assert told("mediation.extension_asked") == {applicant.pk, respondent.pk}
    services.answer_extension(user=respondent, extension=extension, consent=False)
    assert told("mediation.extension_decided") == {applicant.pk, mediator.user.pk}


def test_who_completes_a_joint_step_still_hears_what_it_asks_of_everyone(applicant, respondent, admin, mediator):
    # The respondent's consent opens the choice of a mediator, which the respondent must make too; the last
    # signature makes the agreement effective, and its deadline for judicial confirmation concerns every signer.
    case = factories.accepted(applicant, admin)
    services.answer(user=respondent, case=case, consent=True)
    assert told("mediation.choose_mediator") == {applicant.pk, respondent.pk}
    case = services.appoint(user=admin, case=case, mediator=mediator)
    case = services.confirm(user=mediator.user, case=case, accept=True)
    agreement = agree(case, applicant, respondent, admin, mediator)
    assert agreement.signatures.filter(capacity=Capacity.ORGANISATION, signer=admin).exists()  # admin signed last
    assert {applicant.pk, respondent.pk, mediator.user.pk, admin.pk} <= told("mediation.agreement_effective")
