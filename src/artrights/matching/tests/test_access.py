"""Who may check images, read a match report, fix it as evidence and watch pages."""

from __future__ import annotations

import pytest

from artrights.matching.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

CHECKERS = {"requester", "artist", "agency", "registrar", "supervisor", "inspector", "mediator", "mediation_admin"}

REPORT_TABLE = {
    SEES: {"requester", "registrar", "supervisor", "admin"},
    "check": CHECKERS | {"admin"},
    "view": {"requester", "registrar", "supervisor", "admin"},
    "fix_evidence": {"requester", "admin"},
}
PAGE_TABLE = {
    SEES: {"requester", "admin"},
    "watch": CHECKERS | {"admin"},
}


@pytest.fixture
def actors(people, make_user):
    return {**people, "requester": make_user("report-requester", "artist")}


def test_who_may_read_and_fix_a_match_report_matches_the_table(actors):
    report = factories.report(actors["requester"], seed=41)
    assert access_mismatches(REPORT_TABLE, actors=actors, target=report, model_verbs={"check"}) == []


def test_who_may_see_a_watched_page_matches_the_table(actors):
    page = factories.watched_page(actors["requester"], "https://example.com/shop")
    assert access_mismatches(PAGE_TABLE, actors=actors, target=page, model_verbs={"watch"}) == []


def test_an_outsider_cannot_read_or_fix_another_users_match_report(client, actors):
    report = factories.report(actors["requester"], seed=42)
    client.force_login(actors["artist"])
    for url in (
        f"/matching/reports/{report.pk}/",
        f"/matching/reports/{report.pk}/image",
        f"/matching/reports/{report.pk}/evidence.json",
        f"/api/matching/reports/{report.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/evidence/from-report/{report.pk}/").status_code == 404
    assert client.post(f"/api/evidence/from-report/{report.pk}").status_code == 404
    assert not report.evidence_records.exists()


@pytest.mark.parametrize("official", ["registrar", "supervisor"])
def test_an_official_may_read_a_report_but_not_fix_someone_elses_evidence(client, actors, official):
    # Fixing puts a log entry in the requester's matter (DOMAIN.md §2.2: who collects is part of the evidence), so
    # only the requester does it; officials who read every report do not act for them.
    report = factories.report(actors["requester"], seed=43)
    client.force_login(actors[official])
    page = client.get(f"/matching/reports/{report.pk}/")
    assert page.status_code == 200 and b'data-testid="fix-evidence"' not in page.content
    assert client.post(f"/evidence/from-report/{report.pk}/").status_code == 403
    response = client.post(f"/api/evidence/from-report/{report.pk}")
    assert response.status_code == 403
    assert not report.evidence_records.exists()


URL_CHECK_TABLE = {SEES: {"requester", "admin"}}


def test_who_may_see_a_url_check_matches_the_table(actors, django_capture_on_commit_callbacks):
    from artrights.matching.services import submit_url_check

    with django_capture_on_commit_callbacks(execute=False):  # still waiting for the worker
        check = submit_url_check(user=actors["requester"], url="https://shop.example.com/p.jpg")
    assert access_mismatches(URL_CHECK_TABLE, actors=actors, target=check) == []


def test_a_role_that_may_not_check_images_cannot_submit_a_url(client, actors):
    client.force_login(actors["partner"])
    assert client.post("/matching/", {"url": "https://shop.example.com/p.jpg"}).status_code == 403
