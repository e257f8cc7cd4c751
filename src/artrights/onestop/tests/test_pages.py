"""The one-stop pages: the public list of workstations, a request brought and followed by its requester, the
staff's desk and actions, the rating; outsiders see nothing; English pages read in English."""

from __future__ import annotations

import re

import pytest

from artrights.onestop import services
from artrights.onestop.models import ServiceRequest, Status
from artrights.onestop.tests import factories

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def _main(html: str) -> str:
    body = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


def test_anyone_sees_the_workstations_without_signing_in(client, station):
    page = client.get("/onestop/").content.decode()
    assert station.name in page and "深圳市大芬美术产业协会" in page


def test_the_requester_brings_a_request_and_sees_its_status_and_deadline(client, painter, station):
    client.force_login(painter)
    response = client.post(
        "/onestop/requests/new/",
        {"workstation": station.pk, "type": "consult", "description": "想了解油画作品如何登记。", "url": ""},
    )
    made = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/onestop/requests/{made.pk}/"
    mine = client.get("/onestop/requests/").content.decode()
    assert "待受理" in mine and made.deadline.isoformat() in mine


def test_an_infringement_report_without_an_address_is_refused_on_the_page_with_the_reason(client, painter, station):
    client.force_login(painter)
    response = client.post(
        "/onestop/requests/new/",
        {"workstation": station.pk, "type": "infringement_report", "description": "网店在卖我的画。", "url": ""},
    )
    assert response.status_code == 200 and "须填写侵权图片或网页的网址" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_the_staff_see_the_request_on_their_desk_triage_and_close_it_and_the_requester_rates_it(
    client, painter, clerk, station
):
    made = factories.service_request(painter, station)
    client.force_login(clerk)
    assert f"/onestop/requests/{made.pk}/" in client.get("/onestop/desk/").content.decode()
    client.post(f"/onestop/requests/{made.pk}/triage/")
    client.post(f"/onestop/requests/{made.pk}/note/", {"text": "已电话回复。", "for_requester": "on"})
    client.post(f"/onestop/requests/{made.pk}/close/", {"outcome": "已解答登记流程。"})
    made.refresh_from_db()
    assert made.status == Status.CLOSED and made.handler == clerk
    client.force_login(painter)
    page = client.get(f"/onestop/requests/{made.pk}/").content.decode()
    assert "已电话回复。" in page and "已解答登记流程。" in page and 'data-testid="rate-form"' in page
    bad = client.post(f"/onestop/requests/{made.pk}/rate/", {"rating": "9"})
    assert bad.status_code == 400
    client.post(f"/onestop/requests/{made.pk}/rate/", {"rating": "4", "comment": "很耐心。"})
    made.refresh_from_db()
    assert made.rating == 4


def test_an_outsider_neither_sees_nor_acts_on_someone_elses_request(client, painter, outsider, station):
    made = factories.service_request(painter, station)
    client.force_login(outsider)
    assert client.get(f"/onestop/requests/{made.pk}/").status_code == 404
    assert client.post(f"/onestop/requests/{made.pk}/close/", {"outcome": "x"}).status_code == 404
    assert client.get("/onestop/desk/").content.decode().count("queue-row") == 0
    made.refresh_from_db()
    assert made.status == Status.NEW


def test_the_requester_cannot_handle_their_own_request(client, painter, station):
    made = factories.service_request(painter, station)
    client.force_login(painter)
    assert client.post(f"/onestop/requests/{made.pk}/close/", {"outcome": "自己办结"}).status_code == 403
    made.refresh_from_db()
    assert made.status == Status.NEW


def test_an_overdue_request_is_marked_on_the_desk(client, painter, clerk, station, monkeypatch):
    made = factories.service_request(painter, station)
    ServiceRequest.objects.filter(pk=made.pk).update(deadline="2020-01-02")
    client.force_login(clerk)
    assert 'data-testid="overdue"' in client.get("/onestop/desk/").content.decode()


def test_the_pages_read_in_english(client, painter, clerk, station):
    made = factories.service_request(painter, station)
    services.add_note(user=clerk, request=made, text="Called back.")
    client.cookies["django_language"] = "en"
    client.force_login(clerk)
    for path in ("/onestop/desk/", f"/onestop/requests/{made.pk}/"):
        text = _main(client.get(path).content.decode())
        leftovers = set(CJK.findall(text)) - set(
            "".join([station.name, made.description, painter.display_name, clerk.display_name])
        )
        assert not leftovers, (path, sorted(leftovers)[:20])


def test_a_painter_signs_up_for_training_on_the_public_page_and_the_staff_record_attendance(
    client, painter, clerk, station
):
    import datetime as dt

    from django.utils import timezone

    from artrights.onestop.models import Signup, TrainingEvent

    client.force_login(clerk)
    client.post(
        "/onestop/desk/",
        {
            "topic": "油画作品登记实务",
            "starts_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "place": "大芬美术馆",
            "capacity": "20",
        },
    )
    event = TrainingEvent.objects.get()
    client.force_login(painter)
    assert "油画作品登记实务" in client.get("/onestop/").content.decode()
    client.post(f"/onestop/training/{event.pk}/sign-up/")
    assert 'data-testid="signed-up"' in client.get("/onestop/").content.decode()
    assert "油画作品登记实务" in client.get("/onestop/requests/").content.decode()
    TrainingEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    signup = Signup.objects.get()
    client.force_login(clerk)
    client.post(f"/onestop/training/{event.pk}/attendance/", {"present": [str(signup.pk)]})
    signup.refresh_from_db()
    assert signup.attended is True
