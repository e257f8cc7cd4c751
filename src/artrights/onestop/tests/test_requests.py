"""A request at a workstation from its arrival to the requester's rating, as the requester and the staff see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from artrights.core.models import Notification
from artrights.onestop import services
from artrights.onestop.models import ServiceRequest, Status
from artrights.onestop.tests import factories

pytestmark = pytest.mark.django_db


def test_a_consultation_is_due_three_working_days_later_skipping_the_national_day_holiday(
    painter, station, monkeypatch
):
    monkeypatch.setattr(services, "today", lambda: dt.date(2025, 9, 30))
    request = factories.service_request(painter, station)
    # 1-8 October 2025 are holidays; 9 and 10 October count, then Saturday 11 October, a make-up working day.
    assert request.deadline == dt.date(2025, 10, 11)
    assert request.status == Status.NEW


def test_the_staff_hear_of_a_new_request_and_the_requester_follows_each_step(painter, clerk, station):
    request = factories.service_request(painter, station)
    assert Notification.objects.filter(recipient=clerk, kind="onestop.received").count() == 1
    services.triage(user=clerk, request=request)
    services.start(user=clerk, request=request)
    services.add_note(user=clerk, request=request, text="已联系销售平台。")
    services.add_note(user=clerk, request=request, text="内部：对方为惯犯。", for_requester=False)
    services.close(user=clerk, request=request, outcome="平台已下架侵权商品。")
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.handler == clerk and request.closed_at is not None
    # triage, start, the note meant for them, closing: four updates; the internal note is not sent
    assert Notification.objects.filter(recipient=painter, kind="onestop.status_changed").count() == 4
    services.rate(user=painter, request=request, rating=5, comment="处理及时。")
    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (5, "处理及时。")


def test_a_note_the_staff_typed_that_equals_a_step_code_reaches_the_requester_as_typed(painter, clerk, station):
    request = factories.service_request(painter, station)
    services.triage(user=clerk, request=request)
    services.add_note(user=clerk, request=request, text="started")
    services.close(user=clerk, request=request, outcome="triaged")
    told = Notification.objects.filter(recipient=painter, kind="onestop.status_changed").order_by("pk")
    _triaged, note, closing = told
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert note.body.endswith("started") and closing.body.endswith("triaged")


def test_staff_who_bring_a_request_of_their_own_to_their_workstation_are_not_told_of_their_own_steps(painter, clerk):
    # A painter who also works at the association's workstation brings their own request there.
    station = factories.workstation(clerk, painter)
    request = factories.service_request(painter, station)
    assert list(Notification.objects.filter(kind="onestop.received").values_list("recipient", flat=True)) == [clerk.pk]
    services.triage(user=painter, request=request)
    services.add_note(user=painter, request=request, text="已联系销售平台。")
    assert not Notification.objects.filter(recipient=painter).exists()
    services.close(user=clerk, request=request, outcome="平台已下架侵权商品。")  # a colleague's step is news
    assert Notification.objects.filter(recipient=painter, kind="onestop.status_changed").count() == 1


def test_an_infringement_report_routed_by_the_staff_starts_a_copy_check_in_the_requesters_name(painter, clerk, station):
    request = factories.service_request(
        painter, station, type="infringement_report", url="https://shop.example.com/item/123.jpg"
    )
    services.triage(user=clerk, request=request)
    services.route(user=clerk, request=request, capture=False)
    request.refresh_from_db()
    assert request.status == Status.REFERRED
    check = request.url_check
    assert check is not None
    assert (check.requester, check.url) == (painter, "https://shop.example.com/item/123.jpg")


def test_an_infringement_report_without_an_address_is_refused_and_nothing_is_saved(painter, station):
    with pytest.raises(ValidationError) as refused:
        factories.service_request(painter, station, type="infringement_report")
    assert "网址" in str(refused.value)
    assert not ServiceRequest.objects.exists()


def test_a_consultation_cannot_be_routed_to_the_copy_check(painter, clerk, station):
    request = factories.service_request(painter, station)
    services.triage(user=clerk, request=request)
    with pytest.raises(ValidationError):
        services.route(user=clerk, request=request)
    request.refresh_from_db()
    assert request.status == Status.TRIAGED and request.url_check is None


def test_a_rating_outside_one_to_five_or_a_second_rating_is_refused(painter, clerk, station):
    request = services.close(user=clerk, request=factories.service_request(painter, station), outcome="已解答。")
    for bad in (0, 6, "很好"):
        with pytest.raises(ValidationError):
            services.rate(user=painter, request=request, rating=bad)
    services.rate(user=painter, request=request, rating=3)
    with pytest.raises(ValidationError, match="已经评价过"):
        services.rate(user=painter, request=request, rating=4)
    request.refresh_from_db()
    assert request.rating == 3


def test_a_handler_from_another_workstation_is_refused_and_the_request_stays_new(painter, clerk, station, make_user):
    stranger = make_user("other-clerk", "mediation_admin")
    factories.workstation(stranger, name="眼镜产业工作站")
    request = factories.service_request(painter, station)
    with pytest.raises(ValidationError):
        services.triage(user=clerk, request=request, handler=stranger)
    request.refresh_from_db()
    assert request.status == Status.NEW and request.handler is None


def test_an_overdue_request_is_flagged_and_its_staff_told_once(painter, clerk, station):
    request = factories.service_request(painter, station)
    assert services.flag_overdue(on=request.deadline) == 0  # due today: not late yet
    late = request.deadline + dt.timedelta(days=1)
    assert services.flag_overdue(on=late) == 1
    assert services.flag_overdue(on=late) == 0
    assert Notification.objects.filter(recipient=clerk, kind="onestop.overdue").count() == 1
    request.refresh_from_db()
    assert request.is_overdue(late)


def test_the_hourly_task_tells_the_staff_of_a_request_past_its_deadline(painter, clerk, station):
    from artrights.onestop import tasks

    request = factories.service_request(painter, station)
    ServiceRequest.objects.filter(pk=request.pk).update(deadline=dt.date(2020, 1, 2))
    assert tasks.overdue_task.call_local() == 1
    assert tasks.overdue_task.call_local() == 0
    assert Notification.objects.filter(recipient=clerk, kind="onestop.overdue").count() == 1
