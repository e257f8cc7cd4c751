"""The mediation pages as people use them: applying, the case page and its moves, the mediator's desk with its
conflict declaration, the organisation's intake, roster and judicial-confirmation desk, statistics."""

from __future__ import annotations

import pytest

from artrights.mediation.models import Case, CaseStatus, Conflict
from artrights.mediation.tests import factories
from artrights.mediation.tests.test_walk import agree
from artrights.testing import WU

pytestmark = pytest.mark.django_db


def test_a_rights_holder_applies_through_the_form_and_sees_the_case(client, applicant, org, admin):
    client.force_login(applicant)
    assert client.get("/mediation/apply/").status_code == 200
    response = client.post(
        "/mediation/apply/",
        {
            "organisation": org.pk,
            "dispute_type": "infringement",
            "summary": "网店销售复制品",
            "claim": "停止侵权",
            "amount": "5000",
            "respondent_name": WU["name"],
            "respondent_kind": "natural",
            "respondent_id_type": WU["id_type"],
            "respondent_id_number": WU["id_number"],
            "online": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/mediation/cases/{case.number}/")
    page = client.get(f"/mediation/cases/{case.number}/").content.decode()
    assert case.number in page and "吴路人" in page and "受理期限" in page
    assert "我的案件" in client.get("/mediation/").content.decode()


def test_a_refused_application_shows_the_reason_and_makes_nothing(client, applicant, org):
    client.force_login(applicant)
    response = client.post(
        "/mediation/apply/",
        {
            "organisation": org.pk,
            "dispute_type": "infringement",
            "summary": "网店销售复制品",
            "claim": "停止侵权",
            "amount": "很多",
            "respondent_name": WU["name"],
            "respondent_kind": "natural",
            "respondent_id_type": WU["id_type"],
            "respondent_id_number": WU["id_number"],
        },
    )
    assert response.status_code == 200 and "不是有效的数字" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_staff_accept_and_the_respondent_answers_on_the_case_page(client, applicant, respondent, org, admin):
    case = factories.applied(applicant, org)
    client.force_login(admin)
    assert "do-accept" in client.get(f"/mediation/cases/{case.number}/").content.decode()
    client.post(f"/mediation/cases/{case.number}/accept/", {"accept": "1", "reason": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    client.force_login(respondent)
    assert "答复是否同意调解" in client.get("/mediation/").content.decode()
    client.post(f"/mediation/cases/{case.number}/answer/", {"consent": "1"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENTED


def test_a_move_out_of_order_says_why_on_the_page(client, applicant, org, respondent):
    case = factories.applied(applicant, org)
    client.force_login(respondent)
    response = client.post(f"/mediation/cases/{case.number}/answer/", {"consent": "1"}, follow=True)
    assert "不能执行" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLIED


def test_signing_on_the_page_binds_the_hash_the_signer_read(client, applicant, respondent, admin, mediator):
    from artrights.mediation import services

    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = services.draft(user=mediator.user, case=case, facts="事实", terms="条款")
    client.force_login(applicant)
    page = client.get(f"/mediation/cases/{case.number}/").content.decode()
    assert agreement.sha256 in page and "sign-party" in page
    stale = client.post(
        f"/mediation/cases/{case.number}/sign/", {"sha256": "0" * 64, "capacity": "party"}, follow=True
    ).content.decode()
    assert "已被修改" in stale
    client.post(f"/mediation/cases/{case.number}/sign/", {"sha256": agreement.sha256, "capacity": "party"})
    assert len(services.valid_signatures(agreement)) == 1


def test_the_mediator_desk_lists_cases_and_takes_a_conflict_declaration(client, applicant, respondent, admin, mediator):
    case = factories.assigned(applicant, respondent, admin, mediator)
    client.force_login(mediator.user)
    page = client.get("/mediation/desk/").content.decode()
    assert case.number in page and "确认接受指派并签收案件" in page
    client.post(
        "/mediation/desk/", {"name": "王某", "id_number": "440304198801010015", "ground": "relative", "note": ""}
    )
    assert Conflict.objects.filter(mediator=mediator).count() == 1


def test_the_staff_pages_show_intake_roster_confirmations_and_statistics(
    client, applicant, respondent, admin, mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agree(case, applicant, respondent, admin, mediator)
    factories.applied(applicant, admin.organisation)
    client.force_login(admin)
    assert "待受理" in client.get("/mediation/intake/").content.decode()
    assert mediator.name in client.get("/mediation/mediators/").content.decode()
    assert case.agreement.number in client.get("/mediation/confirmations/").content.decode()
    stats = client.get("/mediation/statistics/").content.decode()
    assert "当事人申请" in stats and "达成协议" in stats and "进行中" in stats


def test_staff_pages_are_closed_to_others(client, applicant, mediator):
    client.force_login(applicant)
    for url in ("/mediation/intake/", "/mediation/confirmations/", "/mediation/desk/", "/mediation/register/"):
        assert client.get(url).status_code == 403, url
    client.logout()
    assert client.get("/mediation/").status_code == 302


def test_statistics_count_outcomes_whatever_court_step_followed(applicant, respondent, admin, mediator):
    from artrights.mediation import selectors, services

    settled = factories.mediating(applicant, respondent, admin, mediator)
    agree(settled, applicant, respondent, admin, mediator)
    services.record_court_step(user=admin, case=settled, step="close")
    failed = factories.mediating(applicant, respondent, admin, mediator)
    services.fail(user=mediator.user, case=failed, reason="big_gap")
    services.withdraw(user=applicant, case=factories.applied(applicant, admin.organisation))
    stats = selectors.statistics(admin)
    assert dict(stats.by_outcome) == {"达成协议": 1, "调解不成": 1, "撤回": 1}
    assert stats.success_rate == 0.5 and stats.total == 3
    assert dict(stats.by_source) == {"当事人申请": 3}


def test_a_supervisor_records_a_referral_from_the_referrals_desk(
    client, applicant, respondent, admin, mediator, people
):
    from artrights.core.models import Notification
    from artrights.credit.models import CreditRecord

    case = factories.mediating(applicant, respondent, admin, mediator)
    agree(case, applicant, respondent, admin, mediator, infringement_confirmed=True)
    supervisor = people["supervisor"]
    notice = Notification.objects.get(recipient=supervisor, kind="mediation.credit_referral")
    client.force_login(supervisor)
    page = client.get(notice.url).content.decode()
    assert case.number in page and "吴路人" in page
    referral = case.credit_referrals.get()
    client.post("/mediation/referrals/", {"referral": referral.pk})
    referral.refresh_from_db()
    assert CreditRecord.objects.get(number=referral.credit_record_number).decision_no == case.agreement.number
    assert "没有待录入的移送" in client.get("/mediation/referrals/").content.decode()


def test_the_case_page_is_titled_for_one_case_and_a_party_sees_each_obligation_with_its_state_only(
    client, applicant, respondent, admin, mediator
):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agree(case, applicant, respondent, admin, mediator)
    client.force_login(respondent)
    page = client.get(f"/mediation/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"<title>调解案件 {case.number}" in page
    english = client.get(f"/mediation/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Mediation case {case.number}" in english and "Mediation cases" not in english
    obligations = english[english.index('data-testid="obligations"') :]
    obligations = obligations[: obligations.index("</table>")]
    assert obligations.count("<th>") == 2 and 'data-testid="performance"' not in obligations  # no empty action column
    client.force_login(mediator.user)  # who records performance gets the column with its form
    page = client.get(f"/mediation/cases/{case.number}/").content.decode()
    assert 'data-testid="performance"' in page
