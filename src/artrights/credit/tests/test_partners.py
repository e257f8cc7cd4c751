"""Partner departments: a scoped token queries a subject's status and the measures that apply, every query logged
with who asked, on whose authority and for what; measures reported back; feeds pulled page by page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from artrights.accounts.services import issue_token
from artrights.credit import services
from artrights.credit.models import PartnerQuery
from artrights.credit.tests import factories
from artrights.testing import bearer

pytestmark = pytest.mark.django_db

ASK = {"purpose": "procurement", "authority": "《政府采购法》第二十二条", "authorisation_ref": "深采审〔2026〕12号"}


@pytest.fixture
def listed(supervisor):
    subject = factories.subject(
        supervisor,
        name="深圳市在列科技有限公司",
        principals=[services.PrincipalInput("legal_rep", "张法人", factories.resident_id(901))],
    )
    return factories.listed(supervisor, subject)


def _token(user, scope):
    return issue_token(user=user, name=scope, scopes=[scope])[1]


def test_a_partner_token_learns_the_listing_and_the_measures_of_its_purpose(client, partner, listed):
    response = client.get(
        "/api/credit/status", {"code": listed.subject.code, **ASK}, **bearer(_token(partner, "credit:query"))
    )
    assert response.status_code == 200
    body = response.json()
    assert body["known"] and body["listed"] and body["name"] == "深圳市在列科技有限公司"
    listing = body["listings"][0]
    assert listing["entry"]["number"] == listed.number and listing["entry"]["list_type"] == "cnipa_dishonest"
    codes = {m["code"] for m in listing["measures"]}
    assert {"CNIPA_FUND_REVIEW", "PLATFORM_NO_AGENCY_FILING"} <= codes
    assert all(m["domain"] == "procurement" for m in listing["measures"] if m["code"] in listing["for_purpose"])
    assert [r["number"] for r in body["records"]] == [r.number for r in listed.records.all()]


def test_every_query_is_logged_with_who_on_whose_authority_and_for_what(client, partner, listed):
    raw = _token(partner, "credit:query")
    client.get("/api/credit/status", {"code": listed.subject.code, **ASK}, **bearer(raw))
    query = PartnerQuery.objects.get()
    assert (query.user, query.department, query.via) == (partner, partner.organisation, "api")
    assert (query.purpose, query.authority, query.authorisation_ref) == (
        ASK["purpose"],
        ASK["authority"],
        ASK["authorisation_ref"],
    )
    assert query.token_prefix == raw[:12] and query.subject == listed.subject and query.listed == [listed.number]
    with pytest.raises(ValidationError):
        query.delete()
    with pytest.raises(ValidationError):
        PartnerQuery.objects.filter(pk=query.pk).update(purpose="funding")


def test_a_principals_id_number_finds_the_listed_organisation(client, partner, listed):
    body = client.get(
        "/api/credit/status", {"code": factories.resident_id(901), **ASK}, **bearer(_token(partner, "credit:query"))
    ).json()
    assert not body["known"] and body["listed"]
    assert body["listings"][0]["principal_of"] == "深圳市在列科技有限公司"


def test_a_subject_on_no_list_is_answered_and_logged_too(client, partner, supervisor):
    subject = factories.subject(supervisor)
    body = client.get(
        "/api/credit/status", {"code": subject.code, **ASK}, **bearer(_token(partner, "credit:query"))
    ).json()
    assert body["known"] and not body["listed"] and body["listings"] == []
    assert PartnerQuery.objects.get().listed == []


def test_a_query_without_its_authority_is_refused_and_not_logged(client, partner, listed):
    response = client.get(
        "/api/credit/status",
        {"code": listed.subject.code, "purpose": "procurement", "authority": " ", "authorisation_ref": "x"},
        **bearer(_token(partner, "credit:query")),
    )
    assert response.status_code == 422 and "查询依据" in response.json()["detail"]
    assert not PartnerQuery.objects.exists()


def test_a_token_outside_its_scope_is_refused_in_the_users_language(client, partner, listed):
    feedback_only = _token(partner, "credit:feedback")
    response = client.get("/api/credit/status", {"code": listed.subject.code, **ASK}, **bearer(feedback_only))
    assert response.status_code == 403 and "credit:query" in response.json()["detail"]
    english = client.get(
        "/api/credit/status", {"code": listed.subject.code, **ASK}, HTTP_ACCEPT_LANGUAGE="en", **bearer(feedback_only)
    )
    assert english.status_code == 403 and english.json()["detail"].startswith("This token lacks the scope")
    assert not PartnerQuery.objects.exists()


def test_a_query_token_does_not_report_measures_and_a_feedback_token_does(client, partner, listed):
    body = {"entry": listed.number, "measure": "JOINT_PROCUREMENT", "action": "applied", "applied_on": "2026-01-05"}
    import json

    sent = json.dumps(body)
    refused = client.post(
        "/api/credit/measures", sent, content_type="application/json", **bearer(_token(partner, "credit:query"))
    )
    assert refused.status_code == 403
    wrong_list = client.post(
        "/api/credit/measures", sent, content_type="application/json", **bearer(_token(partner, "credit:feedback"))
    )
    assert wrong_list.status_code == 422  # a measure of the joint list, not of the CNIPA list
    body["measure"] = "CNIPA_FUND_REVIEW"
    done = client.post(
        "/api/credit/measures",
        json.dumps(body),
        content_type="application/json",
        **bearer(_token(partner, "credit:feedback")),
    )
    assert done.status_code == 201 and done.json()["measure"] == "CNIPA_FUND_REVIEW"
    assert listed.reports.get().department == partner.organisation


def test_an_invalid_credit_code_is_refused_with_the_character_that_is_wrong(client, partner):
    response = client.get(
        "/api/credit/status", {"code": "91350100M000100Y4Z", **ASK}, **bearer(_token(partner, "credit:query"))
    )
    assert response.status_code == 422 and "第18位校验码错误" in response.json()["detail"]
    assert not PartnerQuery.objects.exists()


def test_the_feed_is_pulled_page_by_page_with_its_catalogue_fields(client, partner, supervisor, listed):
    factories.record(supervisor, listed.subject, disclosure="restricted")
    factories.record(supervisor, listed.subject, share_scope="none")
    shared = factories.record(supervisor, listed.subject)
    raw = _token(partner, "credit:query")
    page = client.get("/api/credit/feed/records", {"limit": 1}, **bearer(raw)).json()
    assert page["format"] == "artrights-credit-feed/v1" and page["count"] == 2 and len(page["items"]) == 1
    second = client.get("/api/credit/feed/records", {"limit": 1, "offset": 1}, **bearer(raw)).json()
    assert second["items"][0]["number"] == shared.number
    item = second["items"][0]
    assert {
        "catalogue_code",
        "behaviour",
        "source_dept",
        "disclosure",
        "share_scope",
        "retention_months",
        "update_frequency",
    } <= set(item)
    listings = client.get("/api/credit/feed/listings", **bearer(raw)).json()
    assert [i["number"] for i in listings["items"]] == [listed.number]


def test_the_partners_desk_answers_a_query_and_lists_the_departments_log(client, partner, listed):
    client.force_login(partner)
    page = client.post("/credit/partner/", {"code": listed.subject.code, **ASK}).content.decode()
    assert 'data-testid="listed"' in page and listed.number in page
    assert PartnerQuery.objects.get().via == "web"
    assert page.count('data-testid="query-row"') == 1


def test_the_partners_desk_refuses_a_query_with_an_unknown_purpose(client, partner, listed):
    client.force_login(partner)
    page = client.post(
        "/credit/partner/", {**ASK, "code": listed.subject.code, "purpose": "curiosity"}
    ).content.decode()
    assert 'data-testid="status"' not in page and not PartnerQuery.objects.exists()
