"""Who may see accounts and organisations, and issue or revoke API tokens."""

from __future__ import annotations

import pytest

from artrights.accounts.services import issue_token
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

EVERY_ROLE = {"artist", "agency", "registrar", "mediator", "mediation_admin", "supervisor", "inspector", "partner"}
DEPARTMENT = {"registrar", "mediator", "mediation_admin", "supervisor", "inspector", "partner"}


@pytest.fixture
def actors(people):
    return dict(people)


def test_only_its_owner_sees_and_revokes_an_api_token(actors):
    token, _raw = issue_token(user=actors["partner"], name="信用查询对接", scopes=["credit:query"])
    table = {SEES: {"partner", "admin"}, "issue": EVERY_ROLE | {"admin"}, "revoke": {"partner", "admin"}}
    assert access_mismatches(table, actors=actors, target=token, model_verbs={"issue"}) == []


def test_a_user_is_seen_only_by_themself(actors):
    table = {"view": {"inspector", "admin"}}
    assert access_mismatches(table, actors=actors, target=actors["inspector"]) == []


def test_an_organisation_is_seen_by_its_members(actors):
    department = actors["registrar"].organisation
    table = {SEES: DEPARTMENT | {"admin"}, "view": DEPARTMENT | {"admin"}}
    assert access_mismatches(table, actors=actors, target=department) == []
