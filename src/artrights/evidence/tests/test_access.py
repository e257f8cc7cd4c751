"""Who may fix evidence, and who may read, download and re-verify a record; outsiders learn nothing."""

from __future__ import annotations

import pytest

from artrights.evidence.models import EvidenceRecord
from artrights.evidence.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

FIXERS = {"requester", "artist", "agency", "supervisor", "inspector", "mediator", "mediation_admin", "admin"}
READERS = {"requester", "supervisor", "inspector", "admin"}
TABLE = {
    SEES: READERS,
    "fix": FIXERS,
    "view": READERS,
    "export": READERS,
    "verify": READERS,
}


@pytest.fixture
def actors(people, make_user):
    return {**people, "requester": make_user("evidence-requester", "artist")}


@pytest.fixture
def sealed(actors):
    return factories.sealed_files(actors["requester"])


def test_who_may_fix_read_export_and_verify_evidence_matches_the_table(actors, sealed):
    assert access_mismatches(TABLE, actors=actors, target=sealed, model_verbs={"fix"}) == []


def test_nobody_exports_or_verifies_a_record_that_is_not_sealed_yet(actors):
    from artrights.accounts.access import can

    record = EvidenceRecord.objects.create(kind="web_page", requester=actors["requester"], requester_name="x")
    assert not can(actors["requester"], "export", record)
    assert not can(actors["requester"], "verify", record)


def test_an_outsider_gets_404_on_every_page_of_someone_elses_evidence(client, actors, sealed):
    client.force_login(actors["artist"])
    number = sealed.number
    for url in (
        f"/evidence/{number}/",
        f"/evidence/{number}/panel",
        f"/evidence/{number}/files/1",
        f"/evidence/{number}/package.wacz",
        f"/evidence/{number}/report.pdf",
        f"/evidence/{number}/custody.json",
        f"/api/evidence/{number}",
        f"/api/evidence/{number}/package",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/evidence/{number}/verify/").status_code == 404
    assert client.post(f"/api/evidence/{number}/verify").status_code == 404
    assert sealed.custody.filter(actor=actors["artist"]).count() == 0


def test_the_anonymous_visitor_is_sent_to_sign_in(client, sealed):
    response = client.get(f"/evidence/{sealed.number}/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get("/api/evidence/").status_code == 401


def test_a_supervisor_reading_a_record_leaves_a_custody_event_and_the_requester_does_not(client, actors, sealed):
    before = sealed.custody.count()
    client.force_login(actors["requester"])
    assert client.get(f"/evidence/{sealed.number}/").status_code == 200
    assert sealed.custody.count() == before
    client.force_login(actors["supervisor"])
    assert client.get(f"/evidence/{sealed.number}/").status_code == 200
    last = sealed.custody.order_by("-seq").first()
    assert last is not None and last.action == "viewed" and last.actor == actors["supervisor"]
