"""The one-stop service's API: the public list of workstations, requests brought, read and handled, and the
requester's rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from artrights.accounts.access import can, get_visible_or_404, require
from artrights.mediation.api import ApplyIn
from artrights.mediation.models import Source
from artrights.registry.api import application_parts

from . import selectors, services
from .models import ServiceRequest, Signup, TrainingEvent

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
    url_check_id: int | None = Field(description="the copy check it was routed to")
    evidence_number: str | None = Field(description="the web capture it was routed to")
    case_number: str | None = Field(description="the mediation case it was forwarded as")
    draft_id: int | None = Field(description="the registration draft prepared in the requester's name")

    @staticmethod
    def resolve_evidence_number(obj: ServiceRequest) -> str | None:
        return obj.evidence.number if obj.evidence_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_case_number(obj: ServiceRequest) -> str | None:
        return obj.case.number if obj.case_id else None  # type: ignore[union-attr]

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
    capture: bool = Field(True, description="route: also capture the page as evidence (an infringement report)")


class TrainingOut(Schema):
    id: int
    workstation: str = Field(alias="workstation.name")
    topic: str
    starts_at: dt.datetime
    place: str
    capacity: int
    taken: int


class TrainingIn(Schema):
    workstation: int
    topic: str = Field(max_length=200)
    starts_at: dt.datetime
    place: str = Field(max_length=300)
    capacity: int


class SignupOut(Schema):
    id: int
    event_id: int
    topic: str = Field(alias="event.topic")
    person: str
    signed_up_at: dt.datetime
    cancelled_at: dt.datetime | None
    attended: bool | None

    @staticmethod
    def resolve_person(obj: Signup) -> str:
        return str(obj.person)


class AttendanceIn(Schema):
    present: list[int] = Field(description="the ids of the signups who came")


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
    summary="Triage, start, route (to the copy check and the web capture) or close a request (the workstation's staff)",
)
def act(request: HttpRequest, pk: int, action: str, payload: ActionIn) -> ServiceRequest:
    found = _request(request, pk)
    user = request.user
    if action == "triage":
        return services.triage(user=user, request=found)
    if action == "start":
        return services.start(user=user, request=found)
    if action == "route":
        return services.route(user=user, request=found, capture=payload.capture)
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


@router.post(
    "/requests/{pk}/refer",
    response=RequestOut,
    summary="Forward a mediation referral: a case in which the requester applies, the workstation refers",
)
def refer(request: HttpRequest, pk: int, payload: ApplyIn) -> ServiceRequest:
    found = _request(request, pk)
    return services.refer_to_mediation(user=request.user, request=found, data=payload.case_input(Source.WORKSTATION))


@router.post(
    "/requests/{pk}/draft",
    response=RequestOut,
    summary="Registration help: a draft application in the requester's name (multipart like POST /registry/works)",
)
def draft(
    request: HttpRequest,
    pk: int,
    data: Form[str],
    samples: File[list[UploadedFile]],
    power_of_attorney: File[list[UploadedFile] | None] = None,
) -> ServiceRequest:
    found = _request(request, pk)
    require(request.user, "handle", found)  # before reading the upload: outsiders learn nothing from its errors
    fields, owners, files = application_parts(data, samples, power_of_attorney)
    return services.prepare_draft(
        user=request.user, request=found, fields=fields, owners=owners, files=files, http_request=request
    )


# Training ---------------------------------------------------------------------------------------------------


@router.get("/trainings", response=list[TrainingOut], auth=None, summary="Training events that have not started")
def trainings(request: HttpRequest) -> Any:
    return selectors.upcoming_trainings()[:200]


@router.post("/trainings", response={201: TrainingOut}, summary="Announce a training of the caller's workstation")
def schedule(request: HttpRequest, payload: TrainingIn) -> Status[TrainingEvent]:
    station = get_object_or_404(selectors.workstations(), pk=payload.workstation)
    event = services.schedule_training(
        user=request.user,
        workstation=station,
        topic=payload.topic,
        starts_at=payload.starts_at,
        place=payload.place,
        capacity=payload.capacity,
    )
    return Status(201, event)


@router.post("/trainings/{pk}/signups", response={201: SignupOut}, summary="Take a place at a training")
def sign_up(request: HttpRequest, pk: int) -> Status[Signup]:
    event = get_object_or_404(selectors.upcoming_trainings(), pk=pk)
    return Status(201, services.sign_up(user=request.user, event=event))


def _run_by(request: HttpRequest, pk: int) -> TrainingEvent:
    """A training the caller runs (its workstation's staff); anyone else learns nothing of who signed up."""
    event = get_object_or_404(TrainingEvent, pk=pk)
    if not can(request.user, "run", event):
        raise Http404
    return event


@router.get("/trainings/{pk}/signups", response=list[SignupOut], summary="Who signed up (the workstation's staff)")
def signups(request: HttpRequest, pk: int) -> Any:
    event = _run_by(request, pk)
    return event.signups.select_related("event", "person")


@router.post("/trainings/{pk}/attendance", response=list[SignupOut], summary="Record who came (the staff)")
def attendance(request: HttpRequest, pk: int, payload: AttendanceIn) -> Any:
    event = _run_by(request, pk)
    services.record_attendance(user=request.user, event=event, present=payload.present)
    return event.signups.select_related("event", "person")


@router.get("/signups", response=list[SignupOut], summary="The places the caller holds")
def my_signups(request: HttpRequest) -> Any:
    return selectors.my_signups(request.user).select_related("person")


@router.post("/signups/{pk}/cancel", response=SignupOut, summary="Give a place back before the training starts")
def cancel(request: HttpRequest, pk: int) -> Signup:
    signup = get_visible_or_404(request.user, selectors.my_signups(request.user), pk=pk)
    return services.cancel_signup(user=request.user, signup=signup)
