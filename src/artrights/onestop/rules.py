"""Who may do what at a workstation, by business verb (see accounts.access).

Workstations are public. A rights holder or an agency brings a request to any active workstation; the request is
seen by its requester and the staff of its workstation. The staff triage, handle, route and close it; the requester
rates it once it is closed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import OPEN_STATES, ServiceRequest, Signup, Status, TrainingEvent, Workstation

REQUESTER_ROLES = (Role.ARTIST, Role.AGENCY)


def is_staff_of(user: Any, workstation_id: int) -> bool:
    return bool(user.is_authenticated and user.onestop_stations.filter(pk=workstation_id).exists())


@visible(Workstation)
def _workstations(user: Any, qs: QuerySet[Workstation]) -> QuerySet[Workstation]:
    return qs  # the list of workstations is public


@rule(Workstation, "set_up")
def _set_up(user: Any, workstation: None) -> bool:
    return False  # the platform's administrator (who may do everything) sets up workstations and their staff


@rule(Workstation, "serve")
def _serve(user: Any, workstation: Workstation) -> bool:
    return is_staff_of(user, workstation.pk)


@rule(ServiceRequest, "submit")
def _submit(user: Any, request: None) -> bool:
    return getattr(user, "role", None) in REQUESTER_ROLES


@rule(ServiceRequest, "view")
def _view(user: Any, request: ServiceRequest) -> bool:
    return request.requester_id == user.pk or is_staff_of(user, request.workstation_id)


@rule(ServiceRequest, "handle")
def _handle(user: Any, request: ServiceRequest) -> bool:
    return request.status in OPEN_STATES and is_staff_of(user, request.workstation_id)


@rule(ServiceRequest, "rate")
def _rate(user: Any, request: ServiceRequest) -> bool:
    return request.requester_id == user.pk and request.status == Status.CLOSED and request.rating is None


@visible(ServiceRequest)
def _requests(user: Any, qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(requester=user) | Q(workstation__staff=user)).distinct()


# Training ---------------------------------------------------------------------------------------------------


@visible(TrainingEvent)
def _events(user: Any, qs: QuerySet[TrainingEvent]) -> QuerySet[TrainingEvent]:
    return qs  # training events are announced to the public


@rule(TrainingEvent, "sign_up")
def _sign_up(user: Any, event: TrainingEvent) -> bool:
    return getattr(user, "role", None) in REQUESTER_ROLES


@rule(TrainingEvent, "run")
def _run(user: Any, event: TrainingEvent) -> bool:
    """Schedule the event, read who signed up and record attendance: the workstation's staff."""
    return is_staff_of(user, event.workstation_id)


@rule(Signup, "cancel")
def _cancel(user: Any, signup: Signup) -> bool:
    return signup.person_id == user.pk and signup.cancelled_at is None and signup.attended is None


@visible(Signup)
def _signups(user: Any, qs: QuerySet[Signup]) -> QuerySet[Signup]:
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(person=user) | Q(event__workstation__staff=user)).distinct()
