"""Who may see accounts and organisations, issue or revoke API tokens, change settings and read notifications."""

from __future__ import annotations

import pytest

from artrights.accounts.services import issue_token
from artrights.core.tests.factories import notification
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

EVERY_ROLE = {
    "artist",
    "agency",
    "registrar",
    "mediator",
    "mediation_admin",
    "supervisor",
    "inspector",
    "partner",
    "court",
}
DEPARTMENT = {"registrar", "mediator", "mediation_admin", "supervisor", "inspector", "partner", "court"}


@pytest.fixture
def actors(people):
    return dict(people)


def test_only_its_owner_sees_and_revokes_an_api_token(actors):
    token, _raw = issue_token(user=actors["partner"], name="信用查询对接", scopes=["credit:query"])
    table = {SEES: {"partner", "admin"}, "issue": EVERY_ROLE | {"admin"}, "revoke": {"partner", "admin"}}
    assert access_mismatches(table, actors=actors, target=token, model_verbs={"issue"}) == []


def test_a_user_is_seen_and_their_settings_changed_only_by_themself(actors):
    table = {"view": {"inspector", "admin"}, "change_settings": {"inspector", "admin"}}
    assert access_mismatches(table, actors=actors, target=actors["inspector"]) == []


def test_an_organisation_is_seen_by_its_members(actors):
    department = actors["registrar"].organisation
    table = {SEES: DEPARTMENT | {"admin"}, "view": DEPARTMENT | {"admin"}}
    assert access_mismatches(table, actors=actors, target=department) == []


def test_only_its_recipient_sees_a_notification_and_marks_it_read(actors):
    row = notification(recipient=actors["agency"])
    table = {SEES: {"agency", "admin"}, "mark_read": {"agency", "admin"}}
    assert access_mismatches(table, actors=actors, target=row) == []
