"""Who may do what at a workstation, by role, by being the requester or the workstation's staff; outsiders learn
nothing."""

from __future__ import annotations

import pytest

from artrights.onestop import services
from artrights.onestop.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

EVERYONE = {
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
    "staff",
    "outsider",
    "anonymous",
}


@pytest.fixture
def actors(people, painter, clerk, outsider):
    return {**people, "own": painter, "staff": clerk, "outsider": outsider}


def test_the_workstations_are_public_and_only_their_staff_serve_at_one(actors, station):
    # visible_to answers for signed-in users; the public page lists the workstations to everyone
    table = {SEES: EVERYONE - {"anonymous"}, "serve": {"staff", "admin"}, "set_up": {"admin"}}
    assert access_mismatches(table, actors=actors, target=station, model_verbs={"set_up"}) == []


def test_who_may_bring_see_handle_and_rate_a_new_request_matches_the_table(actors, painter, station):
    request = factories.service_request(painter, station)
    table = {
        SEES: {"own", "staff", "admin"},
        "submit": {"artist", "agency", "admin", "own", "outsider"},
        "view": {"own", "staff", "admin"},
        "handle": {"staff", "admin"},
        "rate": {"admin"},  # not closed yet
    }
    assert access_mismatches(table, actors=actors, target=request, model_verbs={"submit"}) == []


def test_once_closed_only_the_requester_may_rate_and_nobody_handles_it_any_more(actors, painter, clerk, station):
    request = factories.service_request(painter, station)
    request = services.close(user=clerk, request=request, outcome="已解答。")
    table = {
        SEES: {"own", "staff", "admin"},
        "submit": {"artist", "agency", "admin", "own", "outsider"},
        "view": {"own", "staff", "admin"},
        "handle": {"admin"},
        "rate": {"own", "admin"},
    }
    assert access_mismatches(table, actors=actors, target=request, model_verbs={"submit"}) == []
