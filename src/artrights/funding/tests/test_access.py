"""Who may do what with the fund, by role and by being the applicant's side; outsiders learn nothing."""

from __future__ import annotations

import pytest

from artrights.accounts.models import OrganisationKind
from artrights.accounts.tests.factories import organisation
from artrights.funding import services
from artrights.funding.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

FUND = {"supervisor", "admin"}
SIGNED_IN = {
    "artist",
    "agency",
    "registrar",
    "mediator",
    "mediation_admin",
    "supervisor",
    "inspector",
    "partner",
    "court",
    "admin",
    "own",
    "outsider",
}


@pytest.fixture
def actors(people, owner, outsider):
    return {**people, "own": owner, "outsider": outsider}


@pytest.fixture
def waiting(owner, programme, works):
    return factories.application(owner, programme, works[:1])


def test_who_may_set_up_programmes_apply_and_read_the_budget_matches_the_table(actors, programme):
    table = {
        SEES: SIGNED_IN,  # programmes are public calls for applications
        "manage": FUND,
        "view_budget": FUND,
        "apply": {"artist", "agency", "mediation_admin", "admin", "own", "outsider"},
    }
    assert access_mismatches(table, actors=actors, target=programme, model_verbs={"manage", "view_budget"}) == []


def test_who_may_see_decide_and_withdraw_an_application_awaiting_review_matches_the_table(actors, waiting):
    table = {
        SEES: FUND | {"own"},
        "view": FUND | {"own"},
        "decide": FUND,
        "pay": {"admin"},  # nothing granted yet
        "withdraw": {"own", "admin"},
    }
    assert access_mismatches(table, actors=actors, target=waiting) == []


def test_a_granted_application_is_paid_by_the_fund_and_no_longer_withdrawn(actors, waiting, fund_admin):
    item = waiting.items.get()
    granted = services.approve(user=fund_admin, application=waiting, amounts={item.pk: item.claimed})
    table = {
        SEES: FUND | {"own"},
        "view": FUND | {"own"},
        "decide": {"admin"},
        "pay": FUND,
        "withdraw": {"admin"},
    }
    assert access_mismatches(table, actors=actors, target=granted) == []


def test_the_agency_that_applied_sees_the_application_and_other_agencies_do_not(make_user, programme, registrar):
    from artrights.core.services import PartyInput
    from artrights.registry import services as registry
    from artrights.registry.tests.factories import power_of_attorney, samples, work_fields

    agency = organisation(OrganisationKind.AGENCY, "深圳市资助代理有限公司")
    agent = make_user("funding-agent", "agency", organisation=agency)
    colleague = make_user("funding-colleague", "agency", organisation=agency)
    stranger = make_user("funding-stranger", "agency", organisation=organisation(OrganisationKind.AGENCY))
    work = registry.create_application(
        user=agent,
        fields=work_fields(title="委托的画", authors=[{"name": "钱委托"}]),
        owners=[PartyInput(**factories.shenzhen_identity("钱委托"))],
        files=[*samples(seed=441), power_of_attorney()],
    )
    registry.submit(work=work, user=agent)
    registry.accept(work=work, registrar=registrar)
    registry.start_review(work=work, registrar=registrar)
    registry.register(work=work, registrar=registrar)
    party = next(p for p in services.selectors.owners_for(agent) if p.name == "钱委托")
    application = factories.application(agent, programme, [work], applicant=party)
    table = {SEES: {"agent", "colleague"}, "view": {"agent", "colleague"}, "withdraw": {"agent", "colleague"}}
    table |= {"decide": set(), "pay": set()}
    actors = {"agent": agent, "colleague": colleague, "stranger": stranger}
    assert access_mismatches(table, actors=actors, target=application) == []
