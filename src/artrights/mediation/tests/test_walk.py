"""A case walked through every path of the state machine (DOMAIN.md §5.3), with what each party is told."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from artrights.core.models import Notification
from artrights.credit.models import CreditRecord
from artrights.mediation import services
from artrights.mediation.models import (
    AgreementStatus,
    Capacity,
    CaseStatus,
    ConfirmationStatus,
    FailureReason,
    ObligationStatus,
    RecusalStatus,
    ReferralStatus,
    Source,
)
from artrights.mediation.tests import factories

pytestmark = pytest.mark.django_db


def agree(case, applicant, respondent, admin, mediator, **kw):
    """Draft an agreement with one payment and have everyone sign it."""
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


def _court_case(admin, respondent, mediator, source):
    case = factories.registered(admin, source)
    case = services.decide_acceptance(user=admin, case=case, accept=True)
    case = services.answer(user=respondent, case=case, consent=True)
    case = services.appoint(user=admin, case=case, mediator=mediator)
    return services.confirm(user=mediator.user, case=case, accept=True)


def test_a_party_application_ends_in_an_effective_agreement_signed_by_all(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = agree(case, applicant, respondent, admin, mediator)
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREEMENT_EFFECTIVE
    assert agreement.status == AgreementStatus.EFFECTIVE and agreement.log_index is not None
    assert Notification.objects.filter(recipient=respondent, kind="mediation.agreement_effective").exists()
    case = services.record_court_step(user=admin, case=case, step="close")
    assert case.status == CaseStatus.CLOSED


def test_an_application_can_be_refused_with_reasons(applicant, org, admin):
    case = factories.applied(applicant, org)
    case = services.decide_acceptance(user=admin, case=case, accept=False, reason="不属于著作权纠纷")
    assert case.status == CaseStatus.REJECTED
    assert Notification.objects.filter(recipient=applicant, kind="mediation.case_decided").exists()


def test_a_respondent_who_refuses_ends_the_case_before_mediation(applicant, respondent, admin):
    case = services.answer(user=respondent, case=factories.accepted(applicant, admin), consent=False)
    assert case.status == CaseStatus.ENDED
    assert Notification.objects.filter(recipient=applicant, kind="mediation.case_ended").exists()


def test_parties_who_choose_the_same_mediator_have_them_assigned(applicant, respondent, admin, mediator):
    case = factories.consented(applicant, respondent, admin)
    case = services.choose(user=applicant, case=case, mediator=mediator)
    assert case.status == CaseStatus.CONSENTED  # the other party has not chosen yet
    case = services.choose(user=respondent, case=case, mediator=mediator)
    assert case.status == CaseStatus.MEDIATOR_ASSIGNED and case.mediator == mediator and case.assigned_by_choice


def test_without_a_joint_choice_the_organisation_draws_a_qualified_mediator(
    applicant, respondent, admin, mediator, second_mediator
):
    case = factories.consented(applicant, respondent, admin)
    services.choose(user=applicant, case=case, mediator=mediator)
    services.choose(user=respondent, case=case, mediator=second_mediator)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENTED
    case = services.appoint(user=admin, case=case)
    assert case.status == CaseStatus.MEDIATOR_ASSIGNED and case.mediator in (mediator, second_mediator)
    assert not case.assigned_by_choice


def test_a_mediator_who_declines_sends_the_case_back_for_another(
    applicant, respondent, admin, mediator, second_mediator
):
    case = factories.assigned(applicant, respondent, admin, mediator)
    case = services.confirm(user=mediator.user, case=case, accept=False, reason="近期出差，无法及时调解")
    assert case.status == CaseStatus.CONSENTED and case.mediator is None
    case = services.appoint(user=admin, case=case, mediator=second_mediator)
    case = services.confirm(user=second_mediator.user, case=case, accept=True)
    assert case.status == CaseStatus.IN_MEDIATION and case.mediation_due is not None


def test_a_granted_recusal_replaces_the_mediator_and_keeps_the_period(
    applicant, respondent, admin, mediator, second_mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    due = case.mediation_due
    recusal = services.request_recusal(
        user=respondent, case=case, ground="interest", reason="调解员曾为申请人提供法律服务"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECUSAL_PENDING
    recusal = services.decide_recusal(user=admin, recusal=recusal, grant=True, decision="存在利害关系，准予回避")
    case.refresh_from_db()
    assert recusal.status == RecusalStatus.GRANTED and recusal.replacement == second_mediator
    assert case.status == CaseStatus.IN_MEDIATION and case.mediator == second_mediator and case.mediation_due == due
    assert services.why_unqualified(mediator, case)  # the recused mediator cannot come back
    assert Notification.objects.filter(recipient=mediator.user, kind="mediation.recusal_decided").exists()


def test_a_rejected_recusal_keeps_the_mediator(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    recusal = services.request_recusal(user=applicant, case=case, ground="other_relation", reason="感觉不公正")
    services.decide_recusal(user=admin, recusal=recusal, grant=False, decision="所述情形不属于回避事由")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_MEDIATION and case.mediator == mediator


def test_a_party_refusing_the_replacement_mediator_refuses_mediation(
    applicant, respondent, admin, mediator, second_mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    recusal = services.request_recusal(user=mediator.user, case=case, ground="relative", reason="被申请人是我的表兄")
    services.decide_recusal(user=admin, recusal=recusal, grant=True, decision="调解员自行申报，准予回避")
    case = services.end_by_party(user=applicant, case=case, reason="不接受更换后的调解员")
    assert case.status == CaseStatus.FAILED and case.end_reason == FailureReason.REFUSED_REPLACEMENT


def test_the_parties_have_the_mediator_changed_once_and_a_second_objection_can_only_end_the_mediation(
    applicant, respondent, admin, mediator, second_mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    recusal = services.request_recusal(user=respondent, case=case, ground="interest", reason="调解员曾代理申请人")
    services.decide_recusal(user=admin, recusal=recusal, grant=True, decision="准予回避")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="更换过一次"):
        services.request_recusal(user=applicant, case=case, ground="other_relation", reason="也不接受新的调解员")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_MEDIATION and case.mediator == second_mediator
    assert case.recusals.count() == 1
    # The replacement still has a duty to declare a ground of their own.
    own = services.request_recusal(user=second_mediator.user, case=case, ground="relative", reason="申请人是我的亲属")
    assert own.by_mediator
    services.decide_recusal(user=admin, recusal=own, grant=False, decision="经核实不属于近亲属")
    case = services.end_by_party(user=applicant, case=case, reason="不接受更换后的调解员")
    assert case.status == CaseStatus.FAILED and case.end_reason == FailureReason.REFUSED_REPLACEMENT


def test_a_suspended_mediation_resumes(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    case = services.suspend(user=mediator.user, case=case, reason="涉嫌虚假调解，已报告")
    assert case.status == CaseStatus.SUSPENDED
    case = services.resume(user=mediator.user, case=case)
    assert case.status == CaseStatus.IN_MEDIATION


def test_the_applicant_may_withdraw_at_any_open_step(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    case = services.withdraw(user=applicant, case=case, reason="双方已自行和解")
    assert case.status == CaseStatus.WITHDRAWN


def test_a_failed_delegated_case_goes_to_the_court_with_its_referral_package(applicant, respondent, admin, mediator):
    case = _court_case(admin, respondent, mediator, Source.COURT_DELEGATED)
    services.record_session(
        user=mediator.user,
        case=case,
        held_at=case.created_at,
        mode="online",
        minutes="双方陈述意见。",
        undisputed_facts="被申请人确认销售过 30 件装饰画。",
    )
    case = services.fail(
        user=mediator.user, case=case, reason="big_gap", note="赔偿数额差距较大", cost_conduct="被申请人两次无故缺席"
    )
    assert case.status == CaseStatus.FAILED
    case = services.record_court_step(user=admin, case=case, step="transfer_to_court")
    assert case.status == CaseStatus.TRANSFERRED_TO_COURT
    assert case.referral_pdf and len(case.referral_sha256) == 64


def test_a_failed_entrusted_case_goes_back_to_trial(respondent, admin, mediator):
    case = _court_case(admin, respondent, mediator, Source.COURT_ENTRUSTED)
    case = services.fail(user=mediator.user, case=case, reason="party_refuses")
    case = services.record_court_step(user=admin, case=case, step="resume_trial")
    assert case.status == CaseStatus.TRIAL_RESUMED


def test_an_entrusted_agreement_ends_in_a_court_document_or_a_withdrawn_suit(
    applicant, respondent, admin, mediator, second_mediator
):
    for step, state, chosen in (
        ("court_document", CaseStatus.COURT_MEDIATION_DOC, mediator),
        ("suit_withdrawn", CaseStatus.SUIT_WITHDRAWN, second_mediator),
    ):
        case = _court_case(admin, respondent, chosen, Source.COURT_ENTRUSTED)
        agree(case, applicant, respondent, admin, chosen)
        case.refresh_from_db()
        case = services.record_court_step(user=admin, case=case, step=step, note="（2026）粤0305民初1234号")
        assert case.status == state


def test_a_delegated_agreement_is_filed_and_judicially_confirmed_then_enforced(applicant, respondent, admin, mediator):
    case = _court_case(admin, respondent, mediator, Source.COURT_DELEGATED)
    agreement = agree(case, applicant, respondent, admin, mediator)
    case.refresh_from_db()
    case = services.record_court_step(user=admin, case=case, step="file_with_court")
    assert case.status == CaseStatus.FILED_WITH_COURT
    obligation = agreement.obligations.get()
    services.record_performance(user=mediator.user, obligation=obligation, action="breach")
    with pytest.raises(Exception, match="司法确认"):
        services.record_performance(user=mediator.user, obligation=obligation, action="apply_enforcement")
    confirmation = services.apply_confirmation(user=admin, case=case, court="深圳市南山区人民法院")
    assert confirmation.acceptance_due is not None
    with pytest.raises(Exception, match="调确"):
        services.record_confirmation(user=admin, confirmation=confirmation, action="court_accept", court_case_no="123")
    services.record_confirmation(
        user=admin, confirmation=confirmation, action="court_accept", court_case_no="（2026）粤0305民特调确12号"
    )
    confirmation.refresh_from_db()
    assert confirmation.decision_due is not None
    services.record_confirmation(user=admin, confirmation=confirmation, action="confirm")
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    obligation = services.record_performance(user=mediator.user, obligation=obligation, action="apply_enforcement")
    assert obligation.status == ObligationStatus.ENFORCEMENT


def test_confirmed_infringement_becomes_a_credit_record_and_a_second_one_a_repeat(
    applicant, respondent, admin, mediator, people
):
    supervisor = people["supervisor"]
    case = factories.mediating(applicant, respondent, admin, mediator)
    agree(case, applicant, respondent, admin, mediator, infringement_confirmed=True)
    referral = case.credit_referrals.get()
    assert not referral.repeat and referral.behaviour_code == "CR_MEDIATION_INFRINGE"
    assert Notification.objects.filter(recipient=supervisor, kind="mediation.credit_referral").exists()
    record = services.record_credit(user=supervisor, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECORDED and referral.credit_record_number == record.number
    assert record.subject.code == respondent.party.id_number and record.decision_no == case.agreement.number

    second = factories.mediating(applicant, respondent, admin, mediator)
    agree(second, applicant, respondent, admin, mediator, infringement_confirmed=True)
    again = second.credit_referrals.get()
    assert again.repeat and again.behaviour_code == "CR_REPEAT_INFRINGE"
    services.record_credit(user=supervisor, referral=again)
    assert CreditRecord.objects.filter(subject=record.subject).count() == 2


def test_the_staff_see_a_failed_or_settled_case_waiting_for_its_court_step_until_it_is_recorded(
    respondent, admin, mediator
):
    from artrights.mediation import selectors

    case = _court_case(admin, respondent, mediator, Source.COURT_DELEGATED)
    services.fail(user=mediator.user, case=case, reason="big_gap")
    assert [str(d.what) for d in selectors.due_for(admin) if d.case.pk == case.pk] == ["法院衔接或结案"]
    services.record_court_step(user=admin, case=case, step="transfer_to_court")
    assert [d for d in selectors.due_for(admin) if d.case.pk == case.pk] == []
