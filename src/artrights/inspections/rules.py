"""Who may do what in "double random" supervision, by business verb (see accounts.access).

Supervisors keep the directories, make plans, commit and draw, and review results. Inspectors declare their own
conflicts, withdraw (回避) from a target they were drawn for, and enter the results of the targets they are
assigned to ("谁检查、谁录入"); nobody else enters a result. The public reads published draws and results through
the public pages, which need no rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import PLAN_FLOW, RESULT_FLOW, Assignment, Draw, DrawStatus, Inspector, Plan, Result, Target


def is_supervisor(user: Any) -> bool:
    return bool(user.role == Role.SUPERVISOR)


def inspector_of(user: Any) -> Inspector | None:
    if user.role != Role.INSPECTOR:
        return None
    return Inspector.objects.filter(user=user, active=True).first()


def assigned(user: Any, draw: Draw, target: Target) -> bool:
    return Assignment.objects.filter(draw=draw, target=target, inspector__user=user, active=True).exists()


@rule(Target, "manage")
def _manage_targets(user: Any, target: Target | None) -> bool:
    return is_supervisor(user)


@rule(Inspector, "manage")
def _manage_inspectors(user: Any, inspector: Inspector | None) -> bool:
    return is_supervisor(user)


@rule(Inspector, "declare_conflict")
def _declare(user: Any, inspector: Inspector) -> bool:
    """An inspector declares their own conflicts; a supervisor records one for anybody."""
    return is_supervisor(user) or (inspector.user_id == user.pk and user.role == Role.INSPECTOR)


@rule(Plan, "create")
def _create_plan(user: Any, plan: Plan | None) -> bool:
    return is_supervisor(user)


@rule(Plan, "view")
def _view_plan(user: Any, plan: Plan) -> bool:
    return is_supervisor(user)


@rule(Plan, "commit")
def _commit(user: Any, plan: Plan) -> bool:
    return is_supervisor(user) and PLAN_FLOW.can(plan, "commit")


@rule(Plan, "draw")
def _draw(user: Any, plan: Plan) -> bool:
    return is_supervisor(user) and PLAN_FLOW.can(plan, "draw")


@rule(Plan, "redraw")
def _redraw(user: Any, plan: Plan) -> bool:
    return is_supervisor(user) and PLAN_FLOW.can(plan, "redraw")


@visible(Plan)
def _plans(user: Any, qs: QuerySet[Plan]) -> QuerySet[Plan]:
    return qs if is_supervisor(user) else qs.none()


@rule(Assignment, "recuse")
def _recuse(user: Any, assignment: Assignment) -> bool:
    return bool(
        assignment.active
        and assignment.inspector.user_id == user.pk
        and assignment.draw.status == DrawStatus.DRAWN
        and not Result.objects.filter(draw=assignment.draw, target=assignment.target).exists()
    )


@rule(Assignment, "enter_result")
def _enter(user: Any, assignment: Assignment) -> bool:
    if not (assignment.active and assignment.inspector.user_id == user.pk) or user.role != Role.INSPECTOR:
        return False
    if assignment.draw.status != DrawStatus.DRAWN:
        return False
    found = Result.objects.filter(draw=assignment.draw, target=assignment.target).first()
    return found is None or RESULT_FLOW.can(found, "enter")


@visible(Assignment)
def _assignments(user: Any, qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs if is_supervisor(user) else qs.filter(inspector__user=user)


@rule(Result, "review")
def _review(user: Any, result: Result) -> bool:
    return is_supervisor(user) and RESULT_FLOW.can(result, "publish")
