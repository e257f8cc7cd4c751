"""The credit pages as people use them: the public query, the supervisor's desk and forms, a subject's own page, the
partner's desk, the agency grades; the dashboards link to them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from artrights.credit.models import Behaviour, CreditRecord, CreditSubject, EntryStatus, ListEntry, Objection
from artrights.credit.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_subject(own_subject):
    return own_subject


def test_anyone_finds_a_published_record_and_listing_by_name_or_code_without_signing_in(client, supervisor):
    subject = factories.subject(supervisor, name="深圳市公开查询有限公司")
    entry = factories.listed(supervisor, subject)
    hidden = factories.record(supervisor, subject, disclosure="shared_only")
    for q in ("公开查询", subject.code):
        page = client.get("/credit/", {"q": q}).content.decode()
        assert entry.number in page and entry.records.get().number in page, q
        assert hidden.number not in page
    assert client.get("/api/credit/public", {"q": "公开查询"}).json()["entries"][0]["number"] == entry.number


def test_a_persons_id_number_is_shown_de_identified_and_a_part_of_the_name_finds_nobody(client, supervisor):
    person = factories.person(supervisor, name="王失信")
    record = factories.record(supervisor, person)
    assert record.number not in client.get("/credit/", {"q": "王"}).content.decode()
    page = client.get("/credit/", {"q": person.code}).content.decode()
    results = page.split('data-testid="entries"')[1]  # the query box repeats what was typed; the results do not
    assert record.number in results and person.code not in results and person.public_code in results


def test_the_public_query_in_english(client, supervisor):
    subject = factories.subject(supervisor, name="深圳市英文查询有限公司")
    factories.record(supervisor, subject)
    client.cookies["django_language"] = "en"
    page = client.get("/credit/", {"q": "英文查询"}).content.decode()
    assert (
        "Credit information query" in page and "Abnormal patent applications not aimed at protecting innovation" in page
    )


def test_a_records_legal_basis_is_cited_in_the_readers_language(client, supervisor):
    record = factories.record(supervisor, factories.subject(supervisor, name="深圳市依据引用有限公司"))
    assert "《知识产权信用管理规定》" in client.get(f"/credit/records/{record.number}/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(f"/credit/records/{record.number}/").content.decode()
    assert "CNIPA Provisions on IP Credit Management (2022)" in page and "《知识产权信用管理规定》" not in page


def test_a_supervisor_registers_a_subject_records_conduct_and_proposes_a_listing_through_the_pages(client, supervisor):
    client.force_login(supervisor)
    code = factories.uscc()
    response = client.post(
        "/credit/subjects/",
        {
            "subject_type": "legal_person",
            "code": code,
            "name": "深圳市页面登记有限公司",
            "legal_rep": "钱法人",
            "principal_role": "legal_rep",
            "principal_name": "钱法人",
            "principal_id": factories.resident_id(),
        },
    )
    subject = CreditSubject.objects.get(code=code)
    assert response.status_code == 302 and subject.principals.count() == 1
    response = client.post(
        f"/credit/subjects/{subject.pk}/records/new/",
        {
            "behaviour": Behaviour.objects.get(code="ABN_PATENT").pk,
            "source_dept": "国家知识产权局",
            "decision_no": "国知发〔2026〕31号",
            "decided_on": timezone.localdate().isoformat(),
            "publish": "on",
        },
    )
    record = CreditRecord.objects.get(subject=subject)
    assert response.status_code == 302 and record.status == "published"
    response = client.post(
        f"/credit/subjects/{subject.pk}/lists/new/",
        {
            "list_type": "cnipa_dishonest",
            "records": [record.pk],
            "basis": "非正常申请",
            "decision_no": "国知失信〔2026〕1号",
        },
    )
    entry = ListEntry.objects.get(subject=subject)
    assert response.status_code == 302 and entry.status == EntryStatus.PROPOSED
    desk = client.get("/credit/desk/").content.decode()
    assert entry.number in desk and record.number in desk


def test_an_invalid_code_on_the_subject_form_is_shown_and_nothing_is_registered(client, supervisor):
    client.force_login(supervisor)
    page = client.post(
        "/credit/subjects/", {"subject_type": "legal_person", "code": "91350100M000100Y4Z", "name": "错误代码"}
    ).content.decode()
    assert "第18位校验码错误" in page and not CreditSubject.objects.exists()


def test_the_desk_lists_objections_and_repairs_due_with_their_working_days(client, supervisor, people, agency_subject):
    from artrights.credit import services

    record = factories.record(supervisor, agency_subject, decided_on=factories.days_ago(100))
    objection = services.file_objection(user=people["agency"], record=record, ground="error", text="有误")
    Objection.objects.filter(pk=objection.pk).update(decision_due=factories.days_ago(10))
    other = factories.record(supervisor, agency_subject, behaviour="MAL_TM", decided_on=factories.days_ago(100))
    repair = services.ask_repair(user=people["agency"], record=other, measures_taken="已整改")
    client.force_login(supervisor)
    page = client.get("/credit/desk/").content.decode()
    assert objection.number in page and repair.number in page
    assert "已超期" in page and "剩余 3 个工作日" in page


def test_the_subject_objects_and_the_supervisor_decides_through_the_pages(client, supervisor, people, agency_subject):
    record = factories.record(supervisor, agency_subject)
    client.force_login(people["agency"])
    response = client.post(f"/credit/records/{record.number}/object/", {"ground": "error", "text": "文书号有误"})
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/credit/objections/{objection.number}/")
    client.force_login(supervisor)
    client.post(
        f"/credit/objections/{objection.number}/",
        # a year the factories never number in: a correction to the number the record already has changes nothing
        {"outcome": "correct", "decision": "文书号更正", "decision_no": "国知发〔2025〕100号"},
    )
    record.refresh_from_db()
    assert record.status == "corrected" and record.decision_no == "国知发〔2025〕100号"


def test_the_agency_sees_its_own_credit_with_its_grade(client, supervisor, people, agency_subject):
    record = factories.record(supervisor, agency_subject, behaviour="AGENCY_PENALTY")
    client.force_login(people["agency"])
    page = client.get("/credit/mine/").content.decode()
    assert record.number in page and 'data-testid="subject-grade"' in page and "<strong>B</strong>" in page
    client.force_login(people["artist"])
    assert 'data-testid="nothing-recorded"' in client.get("/credit/mine/").content.decode()


def test_the_agency_grades_page_lists_every_graded_agency_best_first(client, supervisor):
    good = factories.subject(supervisor, name="深圳市甲等代理有限公司", agency=True)
    poor = factories.subject(supervisor, name="深圳市乙等代理有限公司", agency=True)
    factories.record(supervisor, poor, behaviour="AGENCY_PENALTY")
    page = client.get("/credit/agencies/").content.decode()
    assert page.index(good.name) < page.index(poor.name)


def test_the_dashboards_link_to_the_credit_desks(client, people):
    for role, url in (("supervisor", "/credit/desk/"), ("partner", "/credit/partner/"), ("agency", "/credit/mine/")):
        client.force_login(people[role])
        assert f'href="{url}"' in client.get("/dashboard/").content.decode(), role


def test_a_feed_file_downloads_for_a_supervisor(client, supervisor):
    factories.record(supervisor, factories.subject(supervisor))
    client.force_login(supervisor)
    response = client.get("/credit/feed/records.csv")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('credit-records.csv"')
    assert response.content.decode().splitlines()[0].startswith("number,catalogue_code,behaviour")
    assert client.get("/credit/feed/people.csv").status_code == 404


def test_a_query_with_control_characters_finds_nothing_and_fails_nothing(client, supervisor):
    factories.subject(supervisor, name="深圳市控制字符有限公司")
    assert client.get("/credit/", {"q": "控制\x00字符"}).status_code == 200
    body = client.get("/api/credit/public", {"q": "控制\u202e字符"}).json()
    assert body == {"records": [], "entries": [], "grades": []}
