"""The one-stop service's API: the public list of workstations, requests brought, read and handled, and the
requester's rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from artrights.accounts.access import get_visible_or_404

from . import selectors, services
from .models import ServiceRequest

router = Router(tags=["onestop"])


class WorkstationOut(Schema):
    id: int
    name: str
    sector: str
    address: str
    host: str = Field(alias="organisation.name")


class RequestOut(Schema):
    id: int
    workstation: str = Field(alias="workstation.name")
    type: str
    description: str
    url: str
    status: str
    deadline: dt.date
    handler_id: int | None
    outcome: str
    rating: int | None
    rating_comment: str
    created_at: dt.datetime
    closed_at: dt.datetime | None


class RequestIn(Schema):
    workstation: int
    type: str
    description: str = Field(max_length=4000)
    url: str = Field("", max_length=2000)


class ActionIn(Schema):
    outcome: str = Field("", max_length=4000, description="the outcome, for close")


class NoteIn(Schema):
    text: str = Field(max_length=4000)
    for_requester: bool = True


class RateIn(Schema):
    rating: int
    comment: str = Field("", max_length=4000)


def _request(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_visible_or_404(request.user, selectors.visible_requests(request.user), pk=pk)


@router.get("/workstations", response=list[WorkstationOut], auth=None, summary="Workstations serving the public")
def workstations(request: HttpRequest) -> Any:
    return selectors.workstations()


@router.get("/requests", response=list[RequestOut], summary="Requests the caller brought or handles")
def requests(request: HttpRequest) -> Any:
    return selectors.visible_requests(request.user)[:500]


@router.post("/requests", response={201: RequestOut}, summary="Bring a request to a workstation")
def submit(request: HttpRequest, payload: RequestIn) -> Status[ServiceRequest]:
    station = get_object_or_404(selectors.workstations(), pk=payload.workstation)
    made = services.submit_request(
        user=request.user, workstation=station, type=payload.type, description=payload.description, url=payload.url
    )
    return Status(201, made)


@router.get("/requests/{pk}", response=RequestOut)
def detail(request: HttpRequest, pk: int) -> ServiceRequest:
    return _request(request, pk)


@router.post(
    "/requests/{pk}/actions/{action}",
    response=RequestOut,
    summary="Triage, start, route (to the copy check) or close a request (the workstation's staff)",
)
def act(request: HttpRequest, pk: int, action: str, payload: ActionIn) -> ServiceRequest:
    found = _request(request, pk)
    user = request.user
    if action == "triage":
        return services.triage(user=user, request=found)
    if action == "start":
        return services.start(user=user, request=found)
    if action == "route":
        return services.route(user=user, request=found)
    if action == "close":
        return services.close(user=user, request=found, outcome=payload.outcome)
    raise Http404


@router.post("/requests/{pk}/notes", response={201: RequestOut}, summary="A note of the staff on a request")
def note(request: HttpRequest, pk: int, payload: NoteIn) -> Status[ServiceRequest]:
    found = _request(request, pk)
    services.add_note(user=request.user, request=found, text=payload.text, for_requester=payload.for_requester)
    return Status(201, found)


@router.post("/requests/{pk}/rate", response=RequestOut, summary="The requester's rating of a closed request, 1-5")
def rate(request: HttpRequest, pk: int, payload: RateIn) -> ServiceRequest:
    found = _request(request, pk)
    return services.rate(user=request.user, request=found, rating=payload.rating, comment=payload.comment)
