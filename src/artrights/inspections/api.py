"""The inspections API: the public list of draws and published results, each draw's record (``artrights-draw/v1``,
re-run offline by ``artrights verify``), and an inspector's own tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from . import selectors
from .models import Assignment, Draw, Result

router = Router(tags=["inspections"])


class DrawOut(Schema):
    id: int
    number: str = Field(description="<plan number>#<attempt>: a second draw of a plan is attempt 2, in the log")
    plan: str
    status: str
    reason: str = Field(description="why the plan was drawn again (empty for the first attempt)")
    pool_hash: str
    pool_size: int
    commitment: str
    commit_log_index: int
    drawn_count: int
    result_hash: str
    draw_log_index: int | None
    public_source: str

    @staticmethod
    def resolve_number(obj: Draw) -> str:
        return obj.number

    @staticmethod
    def resolve_plan(obj: Draw) -> str:
        return obj.plan.name


class ResultOut(Schema):
    draw: str
    target: str = Field(description="an organisation's USCC; a person only by directory number")
    name: str
    check_date: dt.date
    outcome: str
    follow_up: str
    published_at: dt.datetime | None
    log_index: int | None

    @staticmethod
    def resolve_draw(obj: Result) -> str:
        return obj.draw.number

    @staticmethod
    def resolve_target(obj: Result) -> str:
        return obj.target.draw_id

    @staticmethod
    def resolve_name(obj: Result) -> str:
        return str(obj.target.public_name)


class TaskOut(Schema):
    id: int
    draw: str
    target: str
    name: str
    active: bool
    recusal_reason: str

    @staticmethod
    def resolve_draw(obj: Assignment) -> str:
        return obj.draw.number

    @staticmethod
    def resolve_target(obj: Assignment) -> str:
        return obj.target.draw_id

    @staticmethod
    def resolve_name(obj: Assignment) -> str:
        return obj.target.subject.name


@router.get("/draws", response=list[DrawOut], auth=None, summary="Every draw attempt in the public log")
def draws(request: HttpRequest) -> Any:
    return list(selectors.public_draws()[:500])


@router.get("/draws/{draw_id}/record", auth=None, summary="A draw's record (artrights-draw/v1)")
def record(request: HttpRequest, draw_id: int) -> Any:
    return selectors.published_draw(draw_id).record


@router.get("/results", response=list[ResultOut], auth=None, summary="Published inspection results")
def results(request: HttpRequest) -> Any:
    return list(selectors.published_results()[:500])


@router.get("/tasks", response=list[TaskOut], summary="The signed-in inspector's assigned targets")
def tasks(request: HttpRequest) -> Any:
    return list(selectors.tasks_of(request.user))
