"""Who may do what in "double random" supervision: the role x verb table, the assigned inspector apart."""

from __future__ import annotations

import pytest
from django.utils import timezone

from artrights.inspections import services
from artrights.inspections.models import Assignment, Inspector, Plan, Target
from artrights.inspections.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

SUPERVISION = {"supervisor", "admin"}


@pytest.fixture
def setting(people, supervisor, world):
    found = factories.drawn(supervisor)
    assignment = Assignment.objects.filter(draw=found, active=True).select_related("inspector__user").first()
    unassigned = next(
        i
        for i in world["inspectors"]
        if not Assignment.objects.filter(draw=found, target=assignment.target, inspector=i).exists()
    )
    actors = {**people, "assigned": assignment.inspector.user, "other_inspector": unassigned.user}
    return {"actors": actors, "draw": found, "assignment": assignment}


def test_who_may_manage_the_directories_and_plans_matches_the_table(setting):
    actors, plan = setting["actors"], Plan.objects.get(pk=setting["draw"].plan_id)
    target = Target.objects.first()
    assert access_mismatches({"manage": SUPERVISION}, actors=actors, target=target, model_verbs={"manage"}) == []
    table = {SEES: SUPERVISION, "create": SUPERVISION, "view": SUPERVISION, "commit": {"admin"}, "draw": {"admin"}}
    table["redraw"] = SUPERVISION  # drawn: only a new, logged attempt
    assert access_mismatches(table, actors=actors, target=plan, model_verbs={"create"}) == []
    fresh = factories.plan(actors["supervisor"])
    table = {SEES: SUPERVISION, "create": SUPERVISION, "view": SUPERVISION, "commit": SUPERVISION}
    table |= {"draw": {"admin"}, "redraw": {"admin"}}
    assert access_mismatches(table, actors=actors, target=fresh, model_verbs={"create"}) == []


def test_an_inspector_declares_only_their_own_conflicts(setting):
    actors = setting["actors"]
    mine = Inspector.objects.get(user=actors["assigned"])
    table = {"manage": SUPERVISION, "declare_conflict": SUPERVISION | {"assigned"}}
    assert access_mismatches(table, actors=actors, target=mine, model_verbs={"manage"}) == []


def test_only_the_assigned_inspector_enters_a_result_or_withdraws(setting):
    actors, assignment = setting["actors"], setting["assignment"]
    table = {SEES: SUPERVISION | {"assigned"}, "enter_result": {"assigned", "admin"}, "recuse": {"assigned", "admin"}}
    assert access_mismatches(table, actors=actors, target=assignment) == []


def test_only_a_supervisor_reviews_a_result(setting):
    actors, assignment = setting["actors"], setting["assignment"]
    result = services.enter_result(
        user=actors["assigned"],
        assignment=assignment,
        check_date=timezone.localdate(),
        outcome="no_problem",
        findings="无",
    )
    assert access_mismatches({"review": SUPERVISION}, actors=actors, target=result) == []
    assert Plan.objects.count() == 1
