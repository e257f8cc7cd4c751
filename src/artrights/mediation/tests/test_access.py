"""Who may do what in mediation, by role and by being a party, the case's mediator or its organisation's staff;
outsiders (another organisation's staff, another mediator, other users) learn nothing of a case."""

from __future__ import annotations

import pytest

from artrights.mediation.models import Case, CreditReferral, Mediator
from artrights.mediation.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(people, applicant, respondent, admin, mediator, second_mediator):
    other_org = factories.mediation_org("另一调解组织")
    return {
        **people,
        "case_court": factories.court_liaison("深圳市南山区人民法院"),
        "other_court": factories.court_liaison("深圳市福田区人民法院"),
        "applicant": applicant,
        "respondent": respondent,
        "case_admin": admin,
        "case_mediator": mediator.user,
        "other_mediator": second_mediator.user,
        "other_admin": factories.staff(other_org),
    }


@pytest.fixture
def case(actors, mediator):
    return factories.mediating(actors["applicant"], actors["respondent"], actors["case_admin"], mediator)


def test_who_may_act_on_a_case_in_mediation_matches_the_table(actors, case):
    parties = {"applicant", "respondent", "admin"}
    table = {
        SEES: parties | {"case_admin", "case_mediator"},
        "view": parties | {"case_admin", "case_mediator"},  # no court sent this case
        "apply": {"applicant", "respondent", "admin"},  # verified rights holders; the role-table artist is not verified
        "register": {"mediation_admin", "case_admin", "other_admin", "admin"},
        "delegate": {"case_court", "other_court", "admin"},
        "accept": {"case_admin", "admin"},
        "answer": {"respondent", "admin"},
        "choose": parties,
        "appoint": {"case_admin", "admin"},
        "confirm": {"case_mediator", "admin"},
        "request_recusal": parties | {"case_mediator"},
        "decide_recusal": {"case_admin", "admin"},
        "mediate": {"case_mediator", "admin"},
        "answer_extension": parties,
        "end": parties,
        "sign": parties | {"case_mediator", "case_admin"},
        "withdraw": {"applicant", "admin"},
        "court": {"case_admin", "admin"},
        "performance": {"case_admin", "case_mediator", "admin"},
    }
    assert access_mismatches(table, actors=actors, target=case, model_verbs={"apply", "register", "delegate"}) == []


def test_the_court_that_delegated_a_case_sees_it_and_records_what_it_did_and_no_other_court_does(actors, admin):
    case = factories.registered(admin)  # 委派 by 深圳市南山区人民法院, waiting for acceptance
    parties = {"applicant", "respondent", "admin"}
    table = {
        SEES: parties | {"case_admin", "case_court"},
        "view": parties | {"case_admin", "case_court"},
        "apply": {"applicant", "respondent", "admin"},
        "register": {"mediation_admin", "case_admin", "other_admin", "admin"},
        "delegate": {"case_court", "other_court", "admin"},
        "accept": {"case_admin", "admin"},
        "answer": {"respondent", "admin"},
        "choose": parties,
        "appoint": {"case_admin", "admin"},
        "confirm": {"admin"},
        "request_recusal": parties,
        "decide_recusal": {"case_admin", "admin"},
        "mediate": {"admin"},
        "answer_extension": parties,
        "end": parties,
        "sign": parties | {"case_admin"},
        "withdraw": {"applicant", "admin"},
        "court": {"case_admin", "case_court", "admin"},
        "performance": {"admin"},  # nothing to perform before acceptance
    }
    assert access_mismatches(table, actors=actors, target=case, model_verbs={"apply", "register", "delegate"}) == []


def test_who_may_enrol_manage_and_declare_for_a_mediator_matches_the_table(actors, mediator):
    table = {
        SEES: set(actors) - {"anonymous"},
        "enrol": {"mediation_admin", "case_admin", "other_admin", "admin"},
        "manage": {"case_admin", "admin"},
        "declare": {"case_mediator", "admin"},
    }
    assert access_mismatches(table, actors=actors, target=mediator, model_verbs={"enrol"}) == []


def test_only_supervisors_record_credit_referrals(actors, mediator):
    case = factories.mediating(actors["applicant"], actors["respondent"], actors["case_admin"], mediator)
    referral = CreditReferral.objects.create(case=case, respondent=case.respondents()[0].party, behaviour_code="X")
    table = {SEES: {"supervisor", "admin"}, "record": {"supervisor", "admin"}}
    assert access_mismatches(table, actors=actors, target=referral) == []


def test_an_outsider_gets_not_found_for_a_case_page(client, actors, case):
    for name in ("artist", "other_mediator", "other_admin", "mediator", "mediation_admin", "supervisor"):
        client.force_login(actors[name])
        assert client.get(f"/mediation/cases/{case.number}/").status_code == 404, name
    assert isinstance(case, Case) and Mediator.objects.count() == 2
