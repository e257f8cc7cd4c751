"""Who may do what in credit, by role and by being the subject's own side; outsiders learn nothing."""

from __future__ import annotations

import pytest

from artrights.accounts.models import OrganisationKind
from artrights.accounts.tests.factories import organisation
from artrights.credit import services
from artrights.credit.models import CreditRecord, CreditSubject, ListEntry, Objection, PartnerQuery, Repair
from artrights.credit.tests import factories
from artrights.testing import SEES, access_mismatches

pytestmark = pytest.mark.django_db

SUPERVISION = {"supervisor", "admin"}
OWN = {"own", "admin"}


@pytest.fixture
def actors(people, make_user):
    agency = organisation(OrganisationKind.AGENCY, "深圳市在列代理有限公司")
    return {**people, "own": make_user("credit-own", "agency", organisation=agency)}


@pytest.fixture
def subject(actors):
    org = actors["own"].organisation
    return factories.subject(actors["supervisor"], code=org.uscc, name=org.name, agency=True)


@pytest.fixture
def old_record(actors, subject):
    """A record whose shortest publicity period has passed (a repair may be asked for)."""
    return factories.record(actors["supervisor"], subject, decided_on=factories.days_ago(120))


def test_who_may_register_record_list_grade_query_and_export_subjects_matches_the_table(actors, subject):
    table = {
        SEES: SUPERVISION | {"own"},
        "register": SUPERVISION,
        "view": SUPERVISION | {"own"},
        "record": SUPERVISION,
        "propose_listing": SUPERVISION,
        "evaluate": SUPERVISION,
        "query_status": {"partner", "admin"},
        "export": SUPERVISION | {"partner"},
    }
    model_verbs = {"register", "query_status", "export"}
    assert access_mismatches(table, actors=actors, target=subject, model_verbs=model_verbs) == []


def test_who_may_see_publish_withdraw_object_to_and_repair_a_record_matches_the_table(actors, old_record):
    table = {
        SEES: SUPERVISION | {"own"},
        "view": SUPERVISION | {"own"},
        "publish": {"admin"},  # already published
        "withdraw": SUPERVISION,
        "object": OWN,
        "ask_repair": OWN,
    }
    assert access_mismatches(table, actors=actors, target=old_record) == []


def test_who_may_decide_extend_remove_report_on_and_repair_a_listing_matches_the_table(actors, subject):
    entry = factories.listed(actors["supervisor"], subject)
    table = {
        SEES: SUPERVISION | {"own", "partner"},
        "view": SUPERVISION | {"own", "partner"},
        "decide_listing": SUPERVISION,
        "extend": SUPERVISION,
        "remove": SUPERVISION,
        "report_measure": {"partner", "admin"},
        "ask_repair": OWN,
    }
    assert access_mismatches(table, actors=actors, target=entry) == []


def test_a_proposed_listing_is_not_yet_the_partners_business(actors, subject):
    entry = factories.proposed(actors["supervisor"], subject, [factories.record(actors["supervisor"], subject)])
    table = {
        SEES: SUPERVISION | {"own"},
        "view": SUPERVISION | {"own"},
        "decide_listing": SUPERVISION,
        "extend": SUPERVISION,  # the service refuses it: only a listed entry is extended
        "remove": SUPERVISION,
        "report_measure": {"admin"},
        "ask_repair": {"admin"},
    }
    assert access_mismatches(table, actors=actors, target=entry) == []


def test_who_may_read_and_decide_objections_and_repairs_matches_the_table(actors, old_record):
    objection = services.file_objection(user=actors["own"], record=old_record, ground="error", text="处罚决定已撤销")
    services.decide_objection(user=actors["supervisor"], objection=objection, outcome="reject", decision="决定有效")
    objection = Objection.objects.create(
        number="OB-TEST-1",
        record=old_record,
        applicant=actors["own"],
        ground="error",
        text="再次异议",
        accepted_on=old_record.decided_on,
        check_due=old_record.decided_on,
        decision_due=old_record.decided_on,
    )
    repair = services.ask_repair(user=actors["own"], record=old_record, measures_taken="已整改并作出信用承诺")
    table = {SEES: SUPERVISION | {"own"}, "view": SUPERVISION | {"own"}, "decide": SUPERVISION}
    assert access_mismatches(table, actors=actors, target=objection) == []
    assert access_mismatches(table, actors=actors, target=repair) == []


def test_the_query_log_is_read_by_supervisors_and_the_querying_department(actors, subject):
    services.query_status(
        user=actors["partner"],
        code=subject.code,
        purpose="procurement",
        authority="《政府采购法》第二十二条",
        authorisation_ref="采购审查〔2026〕1号",
        via="web",
    )
    query = PartnerQuery.objects.get()
    assert access_mismatches({SEES: SUPERVISION | {"partner"}}, actors=actors, target=query) == []


def test_an_outsider_gets_404_on_every_page_of_someone_elses_credit(client, actors, subject, old_record):
    restricted = factories.record(actors["supervisor"], subject, disclosure="restricted")
    proposed = factories.proposed(actors["supervisor"], subject, [old_record])
    objection = services.file_objection(user=actors["own"], record=restricted, ground="error", text="有误")
    repair = services.ask_repair(user=actors["own"], record=old_record, measures_taken="已整改")
    client.force_login(actors["artist"])
    for url in (
        f"/credit/subjects/{subject.pk}/",
        f"/credit/records/{restricted.number}/",
        f"/credit/records/{restricted.number}/object/",
        f"/credit/records/{restricted.number}/repair/",
        f"/credit/lists/{proposed.number}/",
        f"/credit/lists/{proposed.number}/repair/",
        f"/credit/objections/{objection.number}/",
        f"/credit/repairs/{repair.number}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/credit/records/{restricted.number}/publish/",
        f"/credit/records/{restricted.number}/withdraw/",
        f"/credit/lists/{proposed.number}/decide/",
        f"/credit/objections/{objection.number}/extend/",
        f"/credit/repairs/{repair.number}/extend/",
        f"/credit/subjects/{subject.pk}/evidence/",
    ):
        assert client.post(url, {"note": "x", "list_it": "1"}).status_code == 404, url
    restricted.refresh_from_db()
    proposed.refresh_from_db()
    assert restricted.status == "under_objection" and proposed.status == "proposed"


def test_a_published_record_is_public_but_its_buttons_are_not(client, actors, old_record):
    client.force_login(actors["artist"])
    page = client.get(f"/credit/records/{old_record.number}/").content.decode()
    assert old_record.number in page and 'data-testid="object-link"' not in page
    assert old_record.subject.code in page  # an organisation's code is public
    assert client.get(f"/credit/records/{old_record.number}/object/").status_code == 403
    assert client.post(f"/credit/records/{old_record.number}/withdraw/", {"note": "x"}).status_code == 403
    old_record.refresh_from_db()
    assert old_record.status == "published"


def test_staff_pages_are_closed_to_other_roles_and_the_anonymous_visitor_is_sent_to_sign_in(client, actors):
    for name in ("artist", "agency", "registrar", "partner"):
        client.force_login(actors[name])
        assert client.get("/credit/desk/").status_code == 403, name
        assert client.get("/credit/subjects/").status_code == 403, name
    for name in ("artist", "agency", "supervisor"):
        client.force_login(actors[name])
        assert client.get("/credit/partner/").status_code == 403, name
    client.logout()
    for url in ("/credit/desk/", "/credit/partner/", "/credit/mine/", "/credit/feed/records.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert client.get("/credit/").status_code == 200
    assert client.get("/credit/agencies/").status_code == 200


def test_the_counts_of_rows_stay_when_an_outsider_tries(client, actors, subject):
    before = (
        CreditSubject.objects.count(),
        CreditRecord.objects.count(),
        ListEntry.objects.count(),
        Repair.objects.count(),
    )
    client.force_login(actors["artist"])
    client.post("/credit/subjects/", {"subject_type": "legal_person", "code": factories.uscc(), "name": "偷偷登记"})
    client.post(f"/credit/subjects/{subject.pk}/records/new/", {"behaviour": 1, "source_dept": "x"})
    after = (
        CreditSubject.objects.count(),
        CreditRecord.objects.count(),
        ListEntry.objects.count(),
        Repair.objects.count(),
    )
    assert after == before
