"""Training events of a workstation: places taken up to the capacity, given back before the start, attendance
recorded by the staff once it has started."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artrights.onestop import services
from artrights.onestop.models import Signup, TrainingEvent
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(clerk, station):
    return services.schedule_training(
        user=clerk,
        workstation=station,
        topic="美术作品版权登记与维权",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="大芬美术馆报告厅",
        capacity=1,
    )


def test_a_place_is_taken_until_the_event_is_full_and_given_back_by_cancelling(painter, outsider, event):
    mine = services.sign_up(user=painter, event=event)
    with pytest.raises(ValidationError, match="名额已满"):
        services.sign_up(user=outsider, event=event)
    with pytest.raises(ValidationError, match="已报名"):
        services.sign_up(user=painter, event=event)
    services.cancel_signup(user=painter, signup=mine)
    assert services.sign_up(user=outsider, event=event).event == event
    assert event.taken == 1


def test_the_staff_record_who_came_once_it_has_started(painter, outsider, clerk, event):
    came = services.sign_up(user=painter, event=event)
    with pytest.raises(ValidationError, match="开始后"):
        services.record_attendance(user=clerk, event=event, present=[came.pk])
    TrainingEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="未报名"):
        services.record_attendance(user=clerk, event=event, present=[came.pk, 999999])
    came.refresh_from_db()
    assert came.attended is None  # nothing half-recorded
    assert services.record_attendance(user=clerk, event=event, present=[came.pk]) == 1
    came.refresh_from_db()
    assert came.attended is True
    with pytest.raises(PermissionDenied):  # once attendance is recorded the place is no longer given back
        services.cancel_signup(user=painter, signup=came)


def test_an_event_in_the_past_or_without_places_is_refused(clerk, station):
    for starts, capacity in ((timezone.now() - dt.timedelta(days=1), 10), (timezone.now() + dt.timedelta(days=1), 0)):
        with pytest.raises(ValidationError):
            services.schedule_training(
                user=clerk, workstation=station, topic="培训", starts_at=starts, place="协会", capacity=capacity
            )
    assert not TrainingEvent.objects.exists()


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
}
EVERYONE |= {"admin", "own", "staff", "outsider"}


def test_who_may_sign_up_run_the_event_and_cancel_a_place_matches_the_table(people, painter, clerk, outsider, event):
    actors = {**people, "own": painter, "staff": clerk, "outsider": outsider}
    table = {SEES: EVERYONE, "sign_up": {"artist", "agency", "admin", "own", "outsider"}, "run": {"staff", "admin"}}
    assert access_mismatches(table, actors=actors, target=event) == []
    signup = services.sign_up(user=painter, event=event)
    table = {SEES: {"own", "staff", "admin"}, "cancel": {"own", "admin"}}
    assert access_mismatches(table, actors=actors, target=signup) == []
    assert Signup.objects.count() == 1


def test_a_person_is_told_of_the_place_they_took_and_gave_back(painter, event):
    from artrights.core.models import Notification

    signup = services.sign_up(user=painter, event=event)
    confirmed = Notification.objects.get(recipient=painter, kind="onestop.signed_up")
    assert event.topic in confirmed.title and event.place in confirmed.body
    services.cancel_signup(user=painter, signup=signup)
    assert Notification.objects.filter(recipient=painter, kind="onestop.signup_cancelled").count() == 1


def test_those_holding_a_place_are_reminded_once_the_day_before_and_those_who_cancelled_are_not(
    painter, outsider, clerk, station
):
    from artrights.core.models import Notification

    event = services.schedule_training(
        user=clerk,
        workstation=station,
        topic="版权许可合同实务",
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="大芬美术馆",
        capacity=10,
    )
    services.sign_up(user=painter, event=event)
    services.cancel_signup(user=outsider, signup=services.sign_up(user=outsider, event=event))
    assert services.remind_trainings() == 0  # three days ahead: not yet
    day_before = event.starts_at - dt.timedelta(hours=20)
    assert services.remind_trainings(now=day_before) == 1
    assert services.remind_trainings(now=day_before + dt.timedelta(hours=1)) == 0  # once
    assert Notification.objects.filter(recipient=painter, kind="onestop.training_reminder").count() == 1
    assert not Notification.objects.filter(recipient=outsider, kind="onestop.training_reminder").exists()
