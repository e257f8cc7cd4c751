"""Bad input is refused with the reason, in the reader's language, and nothing is half-changed: moves out of
order, a signature by someone who is not a party, an agreement changed after the first signature, an extension
without every party's consent, a mediator with a declared conflict, a refused signature."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from artrights.core.messages import error_messages
from artrights.core.models import Notification
from artrights.core.statemachine import TransitionNotAllowed
from artrights.mediation import services
from artrights.mediation.models import AgreementStatus, Capacity, Case, CaseStatus, FailureReason, Signature
from artrights.mediation.tests import factories
from artrights.mediation.tests.test_walk import agree
from artrights.testing import WU

pytestmark = pytest.mark.django_db


def _draft(case, mediator, terms="被申请人赔偿 8000 元。"):
    return services.draft(user=mediator.user, case=case, facts="销售复制品 30 件。", terms=terms)


def test_moves_out_of_order_are_refused_and_change_nothing(applicant, respondent, admin, mediator):
    case = factories.applied(applicant, admin.organisation)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.answer(user=respondent, case=case, consent=True)
    assert "applied" in refused.value.message_en or "已申请" in refused.value.message_zh
    with pytest.raises((TransitionNotAllowed, ValidationError)):
        services.appoint(user=admin, case=case, mediator=mediator)
    with pytest.raises(PermissionDenied):
        services.draft(user=admin, case=case, facts="x", terms="y")  # not the mediator
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLIED and case.mediator is None and not hasattr(case, "agreement_cache")


def test_a_mediator_cannot_take_a_file_before_being_assigned(applicant, respondent, admin, mediator):
    case = factories.consented(applicant, respondent, admin)
    with pytest.raises(PermissionDenied):
        services.confirm(user=mediator.user, case=case, accept=True)  # not this case's mediator yet
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENTED and case.taken_on is None


def test_someone_who_is_not_a_party_cannot_sign(applicant, respondent, admin, mediator, make_user):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = _draft(case, mediator)
    stranger = make_user("stranger", "artist")
    with pytest.raises(PermissionDenied):
        services.sign(user=stranger, agreement=agreement, sha256=agreement.sha256)
    with pytest.raises(ValidationError) as refused:
        services.sign(user=mediator.user, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.PARTY)
    assert "当事人" in error_messages(refused.value)[0]
    with pytest.raises(ValidationError):
        services.sign(user=applicant, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.ORGANISATION)
    assert Signature.objects.count() == 0


def test_the_mediator_and_organisation_sign_only_after_every_party(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = _draft(case, mediator)
    services.sign(user=applicant, agreement=agreement, sha256=agreement.sha256)
    with pytest.raises(ValidationError):
        services.sign(user=mediator.user, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.MEDIATOR)
    assert Signature.objects.count() == 1


def test_an_agreement_changed_after_the_first_signature_drops_every_signature_and_tells_the_parties(
    applicant, respondent, admin, mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = _draft(case, mediator)
    first_hash = agreement.sha256
    services.sign(user=applicant, agreement=agreement, sha256=first_hash)
    assert len(services.valid_signatures(agreement)) == 1
    agreement = _draft(case, mediator, terms="被申请人赔偿 6000 元。")
    assert agreement.version == 2 and agreement.sha256 != first_hash
    assert services.valid_signatures(agreement) == []
    assert Signature.objects.count() == 1  # the signature stays on record, bound to the old text
    for person in (applicant, respondent):
        assert Notification.objects.filter(recipient=person, kind="mediation.signatures_dropped").exists()
    with pytest.raises(ValidationError) as refused:  # signing what one read before the change
        services.sign(user=respondent, agreement=agreement, sha256=first_hash)
    with translation.override("en"):
        assert "changed" in error_messages(refused.value)[0]
    assert services.missing_signers(agreement)[:2] == [applicant.party.name, respondent.party.name]


def test_an_unchanged_text_keeps_its_signatures(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = _draft(case, mediator)
    services.sign(user=applicant, agreement=agreement, sha256=agreement.sha256)
    agreement = _draft(case, mediator)
    assert agreement.version == 1 and len(services.valid_signatures(agreement)) == 1


def test_a_refused_signature_ends_the_mediation(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = _draft(case, mediator)
    services.sign(user=applicant, agreement=agreement, sha256=agreement.sha256)
    services.refuse_to_sign(user=respondent, agreement=agreement, reason="赔偿数额过高")
    case.refresh_from_db()
    agreement.refresh_from_db()
    assert case.status == CaseStatus.FAILED and case.end_reason == FailureReason.REFUSED_SIGNATURE
    assert agreement.status == AgreementStatus.VOID
    with pytest.raises(ValidationError):
        services.sign(user=respondent, agreement=agreement, sha256=agreement.sha256)


def test_a_signature_refused_from_the_english_interface_is_noted_in_chinese_for_the_court(
    applicant, respondent, admin, mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = _draft(case, mediator)
    with translation.override("en"):
        services.refuse_to_sign(user=respondent, agreement=agreement, reason="The damages are too high")
    case.refresh_from_db()
    assert case.end_note == f"{WU['name']} 拒绝签名：The damages are too high"


def test_an_extension_without_every_partys_consent_is_refused_naming_who(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    due = case.mediation_due
    extension = services.propose_extension(user=mediator.user, case=case, days=15, reason="等待鉴定")
    services.answer_extension(user=applicant, extension=extension, consent=True)
    with pytest.raises(ValidationError) as refused:
        services.grant_extension(user=mediator.user, extension=extension)
    assert WU["name"] in error_messages(refused.value)[0]
    case.refresh_from_db()
    assert case.mediation_due == due
    services.answer_extension(user=respondent, extension=extension, consent=False)
    with pytest.raises(ValidationError):
        services.grant_extension(user=mediator.user, extension=extension)
    case.refresh_from_db()
    assert case.mediation_due == due


def test_a_mediator_with_a_declared_conflict_is_refused_and_never_drawn(
    applicant, respondent, admin, mediator, second_mediator
):
    services.declare_conflict(
        user=mediator.user, mediator=mediator, id_number=WU["id_number"], name=WU["name"], ground="relative"
    )
    case = factories.consented(applicant, respondent, admin)
    with pytest.raises(ValidationError) as refused:
        services.appoint(user=admin, case=case, mediator=mediator)
    assert "利害关系" in error_messages(refused.value)[0]
    with pytest.raises(ValidationError):
        services.choose(user=applicant, case=case, mediator=mediator)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENTED and case.mediator is None
    assert services.qualified(case) == [second_mediator]
    assert services.appoint(user=admin, case=case).mediator == second_mediator


def test_a_mediator_may_not_declare_conflicts_for_someone_else(mediator, second_mediator):
    with pytest.raises(PermissionDenied):
        services.declare_conflict(
            user=mediator.user, mediator=second_mediator, id_number=WU["id_number"], name=WU["name"], ground="relative"
        )


def test_a_court_case_needs_its_court_and_an_entrustment_its_case_number_and_procedure(admin):
    with pytest.raises(ValidationError):
        factories.registered(admin, "court_delegated", court="")
    with pytest.raises(ValidationError):
        factories.registered(admin, "court_entrusted", court_case_no="", procedure="ordinary")
    with pytest.raises(ValidationError):
        factories.registered(admin, "court_entrusted", procedure="")
    assert Case.objects.count() == 0


def test_an_application_against_oneself_or_with_a_bad_identity_is_refused(applicant, org):
    from artrights.core.services import PartyInput
    from artrights.testing import LIN

    me = PartyInput(name=LIN["name"], id_type=LIN["id_type"], id_number=LIN["id_number"])
    with pytest.raises(ValidationError):
        factories.applied(applicant, org, respondents=[me])
    bad = PartyInput(name="某公司", id_type="uscc", id_number="91440300MA5D7K0100", kind="organisation")
    with pytest.raises(ValidationError):
        factories.applied(applicant, org, respondents=[bad])
    with pytest.raises(ValidationError):
        factories.applied(applicant, org, claims=[("赔偿", "很多")])
    assert Case.objects.count() == 0


def test_links_to_registrations_someone_else_holds_are_refused(applicant, org, make_user):
    with pytest.raises(ValidationError):
        factories.applied(applicant, org, work_ids=[999999])
    assert Case.objects.count() == 0


def test_an_effective_agreement_cannot_be_changed(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agree(case, applicant, respondent, admin, mediator)
    with pytest.raises(ValidationError):
        _draft(case, mediator, terms="另行约定")


def test_a_suspended_mediator_is_neither_appointed_nor_drawn_and_a_court_case_needs_its_roster(
    applicant, respondent, admin, mediator, second_mediator
):
    services.update(
        user=admin,
        mediator=mediator,
        specialties=mediator.specialties,
        court_rosters=mediator.court_rosters,
        status="suspended",
    )
    case = factories.consented(applicant, respondent, admin)
    with pytest.raises(ValidationError) as refused:
        services.appoint(user=admin, case=case, mediator=mediator)
    assert "不在册" in error_messages(refused.value)[0]
    assert services.qualified(case) == [second_mediator]
    court_case = services.answer(
        user=respondent,
        case=services.decide_acceptance(
            user=admin, case=factories.registered(admin, "court_delegated", court="深圳市福田区人民法院"), accept=True
        ),
        consent=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.appoint(user=admin, case=court_case, mediator=second_mediator)
    assert "深圳市福田区人民法院" in error_messages(refused.value)[0]
    with pytest.raises(ValidationError):
        services.appoint(user=admin, case=court_case)  # nobody on that court's roster: nobody to draw
    court_case.refresh_from_db()
    assert court_case.status == CaseStatus.CONSENTED and court_case.mediator is None
