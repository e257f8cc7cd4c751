"""Reads for "double random" supervision that pages and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from artrights.accounts.access import visible_to

from .models import Assignment, Draw, DrawStatus, Inspector, Plan, Result, ResultStatus, Target


def targets() -> QuerySet[Target]:
    return Target.objects.select_related("subject").order_by("-pool", "credit_grade", "subject__name")


def inspectors() -> QuerySet[Inspector]:
    return Inspector.objects.select_related("user").prefetch_related("conflicts__subject")


def plans_for(user: Any) -> QuerySet[Plan]:
    return visible_to(user, Plan.objects.prefetch_related("items"))


def draws_of(plan: Plan) -> QuerySet[Draw]:
    return plan.draws.order_by("attempt")


def public_draws() -> QuerySet[Draw]:
    """Every attempt that reached the log, superseded ones included: a second draw is there for all to see."""
    return Draw.objects.select_related("plan").order_by("-committed_at", "-pk")


def public_draw(pk: int) -> Draw:
    return get_object_or_404(public_draws(), pk=pk)


def published_draw(pk: int) -> Draw:
    return get_object_or_404(public_draws().exclude(record=None), pk=pk)


def published_results() -> QuerySet[Result]:
    return (
        Result.objects.filter(status=ResultStatus.PUBLISHED)
        .select_related("draw__plan", "target__subject")
        .order_by("-published_at", "-pk")
    )


def tasks_of(user: Any) -> QuerySet[Assignment]:
    """The inspector's own assignments in draws that stand, newest first."""
    return (
        visible_to(user, Assignment.objects.all())
        .filter(inspector__user=user, draw__status=DrawStatus.DRAWN)
        .select_related("draw__plan", "target__subject", "replaced_by")
        .order_by("-draw__drawn_at", "target__subject__name")
    )


def result_of(assignment: Assignment) -> Result | None:
    return Result.objects.filter(draw=assignment.draw, target=assignment.target).first()


def results_to_review() -> QuerySet[Result]:
    return Result.objects.filter(status=ResultStatus.PENDING_AUDIT).select_related("draw__plan", "target__subject")


def overdue(result: Result) -> bool:
    return result.status != ResultStatus.PUBLISHED and result.publish_due < timezone.localdate()


def team(draw: Draw, target: Target) -> list[Assignment]:
    return list(draw.assignments.filter(target=target).select_related("inspector", "replaced_by"))
