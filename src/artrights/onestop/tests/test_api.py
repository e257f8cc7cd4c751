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
