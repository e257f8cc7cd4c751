"""The one-stop API: a request brought and followed by its requester, handled by the staff, refused with the
reason when the input is bad."""

from __future__ import annotations

import pytest

from artrights.onestop.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_a_request_brought_through_the_api_is_handled_and_rated(client, painter, clerk, station):
    client.force_login(painter)
    made = client.post(
        "/api/onestop/requests",
        {"workstation": station.pk, "type": "consult", "description": "想咨询登记费用。"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "new"
    pk = made.json()["id"]
    client.force_login(clerk)
    assert (
        client.post(f"/api/onestop/requests/{pk}/actions/triage", {}, content_type="application/json").json()["status"]
        == "triaged"
    )
    closed = client.post(
        f"/api/onestop/requests/{pk}/actions/close", {"outcome": "登记免费。"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed"
    client.force_login(painter)
    rated = client.post(f"/api/onestop/requests/{pk}/rate", {"rating": 4}, content_type="application/json")
    assert rated.json()["rating"] == 4


def test_an_infringement_report_without_an_address_is_refused_with_the_reason_and_nothing_saved(
    client, painter, station
):
    client.force_login(painter)
    refused = client.post(
        "/api/onestop/requests",
        {"workstation": station.pk, "type": "infringement_report", "description": "网店在卖我的画。"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "网址" in refused.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_anyone_lists_the_workstations(client, station):
    assert [w["name"] for w in client.get("/api/onestop/workstations").json()] == [station.name]


def test_trainings_are_announced_taken_listed_and_given_back_through_the_api(client, painter, clerk, station):
    import datetime as dt

    from django.utils import timezone

    starts = (timezone.now() + dt.timedelta(days=10)).isoformat()
    client.force_login(painter)
    refused = client.post(
        "/api/onestop/trainings",
        {"workstation": station.pk, "topic": "登记实务", "starts_at": starts, "place": "报告厅", "capacity": 5},
        content_type="application/json",
    )
    assert refused.status_code == 403  # only the workstation's staff announce trainings
    client.force_login(clerk)
    made = client.post(
        "/api/onestop/trainings",
        {"workstation": station.pk, "topic": "登记实务", "starts_at": starts, "place": "报告厅", "capacity": 5},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["taken"] == 0
    event_id = made.json()["id"]
    client.logout()
    assert [t["topic"] for t in client.get("/api/onestop/trainings").json()] == ["登记实务"]  # public
    client.force_login(painter)
    taken = client.post(f"/api/onestop/trainings/{event_id}/signups")
    assert taken.status_code == 201
    again = client.post(f"/api/onestop/trainings/{event_id}/signups")
    assert again.status_code == 422 and "已报名" in again.json()["detail"]
    assert [s["event_id"] for s in client.get("/api/onestop/signups").json()] == [event_id]
    assert client.get(f"/api/onestop/trainings/{event_id}/signups").status_code == 404  # not the staff's list
    client.force_login(clerk)
    assert [s["person"] for s in client.get(f"/api/onestop/trainings/{event_id}/signups").json()] == [str(painter)]
    client.force_login(painter)
    cancelled = client.post(f"/api/onestop/signups/{taken.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"]


def test_a_mediation_referral_is_forwarded_through_the_api_and_shows_its_case(client, artist, clerk, station):
    from artrights.mediation.tests import factories as mediation_factories

    org = mediation_factories.mediation_org("深圳市版权纠纷调解委员会")
    client.force_login(artist)
    pk = client.post(
        "/api/onestop/requests",
        {"workstation": station.pk, "type": "mediation_referral", "description": "请转调解。"},
        content_type="application/json",
    ).json()["id"]
    client.force_login(clerk)
    client.post(f"/api/onestop/requests/{pk}/actions/triage", {}, content_type="application/json")
    referral = {
        "dispute_type": "infringement",
        "summary": "网店销售复制品。",
        "respondents": [{"name": "吴路人", "id_type": "resident_id", "id_number": "440304198801010015"}],
        "claims": [["停止侵权", "3000"]],
        "organisation_id": org.pk,
    }
    forwarded = client.post(f"/api/onestop/requests/{pk}/refer", referral, content_type="application/json")
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "referred"
    assert forwarded.json()["case_number"].startswith("TJ")
    again = client.post(f"/api/onestop/requests/{pk}/refer", referral, content_type="application/json")
    assert again.status_code == 409  # already handed on: not a move its state allows


def test_the_staff_prepare_a_registration_draft_through_the_api(client, artist, clerk, station):
    import json

    from artrights.registry.tests import factories as registry_factories

    client.force_login(artist)
    pk = client.post(
        "/api/onestop/requests",
        {"workstation": station.pk, "type": "registration_assist", "description": "请协助登记。"},
        content_type="application/json",
    ).json()["id"]
    client.force_login(clerk)
    client.post(f"/api/onestop/requests/{pk}/actions/triage", {}, content_type="application/json")
    data = {
        "title": "南山的云",
        "work_type": "FINE_ART",
        "authors": [{"name": "林画家", "signature": "林"}],
        "completed_on": "2026-05-01",
        "rights": ["reproduction"],
    }
    made = client.post(
        f"/api/onestop/requests/{pk}/draft",
        {"data": json.dumps(data), "samples": registry_factories.upload(registry_factories.artwork_png(71))},
    )
    assert made.status_code == 200, made.content
    assert made.json()["draft_id"] and made.json()["status"] == "referred"
