"""The court's side of 诉调对接: its liaison staff delegate (委派) or entrust (委托) a case to a mediation
organisation, hear of each step that asks something of the court, follow their court's cases and record what the
court did; another court sees and does nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from artrights.core.models import Notification
from artrights.mediation import selectors, services
from artrights.mediation.models import Case, CaseStatus, ConfirmationStatus, Source
from artrights.mediation.tests import factories
from artrights.mediation.tests.test_walk import agree

pytestmark = pytest.mark.django_db

NANSHAN = "深圳市南山区人民法院"


@pytest.fixture
def judge(db):
    return factories.court_liaison(NANSHAN)


@pytest.fixture
def other_judge(db):
    return factories.court_liaison("深圳市福田区人民法院")


def _delegated(judge, org, **overrides):
    from artrights.core.services import PartyInput
    from artrights.testing import LIN

    fields = {
        "source": Source.COURT_DELEGATED,
        "organisation_id": org.pk,
        "applicants": [PartyInput(name=LIN["name"], id_type=LIN["id_type"], id_number=LIN["id_number"])],
        **overrides,
    }
    return services.open_case(user=judge, data=factories.application(**fields))


def test_a_court_delegates_a_case_of_its_own_to_the_organisation_it_chooses(judge, org, admin):
    case = _delegated(judge, org, court="某个别的法院")
    assert case.source == Source.COURT_DELEGATED and case.court == NANSHAN  # always the liaison's own court
    assert case.organisation == org and case.status == CaseStatus.APPLIED
    assert Notification.objects.filter(recipient=admin, kind="mediation.case_received").exists()
    services.decide_acceptance(user=admin, case=case, accept=True)
    assert Notification.objects.filter(recipient=judge, kind="mediation.case_decided").exists()


def test_a_court_cannot_send_a_party_application_or_an_entrusted_case_without_its_case_number(judge, org):
    with pytest.raises(ValidationError, match="案号"):
        _delegated(judge, org, source=Source.COURT_ENTRUSTED)
    with pytest.raises(PermissionDenied):
        _delegated(judge, org, source=Source.ADMIN_REFERRAL, referring_body="市场监管局")
    assert not Case.objects.exists()


def test_the_court_hears_of_the_outcome_receives_the_confirmation_application_and_records_its_decision(
    judge, other_judge, org, admin, applicant, respondent, mediator
):
    case = _delegated(judge, org)
    case = services.decide_acceptance(user=admin, case=case, accept=True)
    case = services.answer(user=respondent, case=case, consent=True)
    case = services.appoint(user=admin, case=case, mediator=mediator)
    case = services.confirm(user=mediator.user, case=case, accept=True)
    agree(case, applicant, respondent, admin, mediator)
    case.refresh_from_db()
    assert Notification.objects.filter(recipient=judge, kind="mediation.agreement_effective").exists()
    assert [d.what for d in selectors.due_for(judge)] == ["接收调解结果（备案、出具调解书、立案或恢复审理）"]

    case = services.record_court_step(user=judge, case=case, step="file_with_court", note="已备案")
    assert case.status == CaseStatus.FILED_WITH_COURT
    assert Notification.objects.filter(recipient=admin, kind="mediation.court_step").exists()

    confirmation = services.apply_confirmation(user=admin, case=case, court=NANSHAN)
    assert Notification.objects.filter(recipient=judge, kind="mediation.court_step").exists()
    assert [str(d.what) for d in selectors.due_for(judge)] == ["决定是否受理司法确认申请"]
    with pytest.raises(PermissionDenied):
        services.record_confirmation(
            user=other_judge,
            confirmation=confirmation,
            action="court_accept",
            court_case_no="（2026）粤0304民特调确1号",
        )
    services.record_confirmation(
        user=judge, confirmation=confirmation, action="court_accept", court_case_no="（2026）粤0305民特调确12号"
    )
    services.record_confirmation(user=judge, confirmation=confirmation, action="confirm")
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED


def test_a_failed_delegated_case_tells_the_court_which_transfers_it_with_the_referral_package(
    judge, org, admin, respondent, mediator
):
    case = _delegated(judge, org)
    case = services.decide_acceptance(user=admin, case=case, accept=True)
    case = services.answer(user=respondent, case=case, consent=True)
    case = services.appoint(user=admin, case=case, mediator=mediator)
    case = services.confirm(user=mediator.user, case=case, accept=True)
    case = services.fail(user=mediator.user, case=case, reason="big_gap", note="赔偿数额差距较大")
    assert Notification.objects.filter(recipient=judge, kind="mediation.case_ended").exists()
    case = services.record_court_step(user=judge, case=case, step="transfer_to_court")
    assert case.status == CaseStatus.TRANSFERRED_TO_COURT and case.referral_pdf


def test_another_court_neither_sees_nor_acts_on_the_case(judge, other_judge, org):
    case = _delegated(judge, org)
    assert list(selectors.cases_for(other_judge)) == []
    with pytest.raises(Http404):
        selectors.case_for(other_judge, case.number)
    assert selectors.case_for(judge, case.number) == case


def test_the_delegation_page_sends_a_case_and_the_court_follows_it(client, judge, org):
    client.force_login(judge)
    page = client.get("/mediation/delegate/").content.decode()
    assert 'name="court"' not in page  # the court is the liaison's own
    answer = client.post(
        "/mediation/delegate/",
        {
            "source": "court_entrusted",
            "organisation": org.pk,
            "court_case_no": "（2026）粤0305民初88号",
            "procedure": "simple",
            "dispute_type": "infringement",
            "summary": "被告在网店销售原告油画的复制品。",
            "claim": "停止侵权并赔偿损失",
            "amount": "10000",
            "applicant_name": "林画家",
            "applicant_kind": "natural",
            "applicant_id_type": "resident_id",
            "applicant_id_number": "11010519491231002X",
            "respondent_name": "吴路人",
            "respondent_kind": "natural",
            "respondent_id_type": "resident_id",
            "respondent_id_number": "440304198801010015",
            "online": "on",
        },
    )
    assert answer.status_code == 302
    case = Case.objects.get()
    assert (case.court, case.procedure) == (NANSHAN, "simple")
    assert case.number in client.get("/mediation/").content.decode()
    assert client.get("/mediation/confirmations/").status_code == 200


def test_an_artist_or_a_mediation_administrator_cannot_open_the_delegation_page(client, applicant, admin):
    for user in (applicant, admin):
        client.force_login(user)
        assert client.get("/mediation/delegate/").status_code == 403
