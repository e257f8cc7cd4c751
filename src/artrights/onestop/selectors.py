"""Reads of the one-stop service that pages and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from artrights.accounts.access import visible_to

from .models import OPEN_STATES, Note, ServiceRequest, Signup, TrainingEvent, Workstation


def workstations() -> QuerySet[Workstation]:
    """The workstations serving the public."""
    return Workstation.objects.filter(is_active=True).select_related("organisation")


def stations_of(user: Any) -> QuerySet[Workstation]:
    """The workstations ``user`` works at."""
    if not user.is_authenticated:
        return Workstation.objects.none()
    return Workstation.objects.filter(staff=user)


def my_requests(user: Any) -> QuerySet[ServiceRequest]:
    """The requests ``user`` brought, newest first."""
    return ServiceRequest.objects.filter(requester=user).select_related("workstation").order_by("-created_at", "-pk")


def queue(user: Any) -> QuerySet[ServiceRequest]:
    """The open requests of the workstations ``user`` works at, the nearest deadline first."""
    return (
        ServiceRequest.objects.filter(workstation__in=stations_of(user), status__in=OPEN_STATES)
        .select_related("workstation", "requester", "handler")
        .order_by("deadline", "pk")
    )


def visible_requests(user: Any) -> QuerySet[ServiceRequest]:
    return visible_to(user, ServiceRequest.objects.select_related("workstation", "requester", "handler"))


def notes_for(user: Any, request: ServiceRequest) -> QuerySet[Note]:
    """The notes ``user`` may read: all of them for the staff, the ones meant for them for the requester."""
    notes = request.notes.select_related("author")
    if stations_of(user).filter(pk=request.workstation_id).exists():
        return notes
    return notes.filter(for_requester=True)


def upcoming_trainings() -> QuerySet[TrainingEvent]:
    """Training events of the active workstations that have not started, the soonest first."""
    return TrainingEvent.objects.filter(workstation__is_active=True, starts_at__gt=timezone.now()).select_related(
        "workstation"
    )


def trainings_run_by(user: Any) -> QuerySet[TrainingEvent]:
    """The training events of the workstations ``user`` works at, the newest first."""
    return (
        TrainingEvent.objects.filter(workstation__in=stations_of(user))
        .select_related("workstation")
        .prefetch_related("signups__person")
        .order_by("-starts_at", "-pk")
    )


def my_signups(user: Any) -> QuerySet[Signup]:
    """The places ``user`` holds at training events."""
    return Signup.objects.filter(person=user, cancelled_at__isnull=True).select_related("event__workstation")


def signed_up_event_ids(user: Any) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(my_signups(user).values_list("event_id", flat=True))
