"""Bad input, refused with the reason in Chinese and in English, and no stored record changed: an invalid credit
code, an unknown behaviour code, a record dated in the future, a repair asked for too early, a token outside its
scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from artrights.accounts.services import issue_token
from artrights.credit import services
from artrights.credit.models import CreditRecord, CreditSubject, ListEntry, MeasureReport, PartnerQuery, Repair
from artrights.credit.tests import factories
from artrights.ledger.models import LogEntry
from artrights.testing import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervisor, own_subject):
    """A subject (the agency's organisation) with a fresh record and a listing."""
    subject = own_subject
    record = factories.record(supervisor, subject)
    entry = factories.listed(supervisor, subject, [record])
    return subject, record, entry


def _stored() -> list:
    """Everything a refusal must leave as it was."""
    return [
        list(CreditSubject.objects.order_by("pk").values_list("pk", "code", "name")),
        list(CreditRecord.objects.order_by("pk").values_list("pk", "status", "severity", "updated_at")),
        list(ListEntry.objects.order_by("pk").values_list("pk", "status", "planned_exit_on", "updated_at")),
        Repair.objects.count(),
        MeasureReport.objects.count(),
        PartnerQuery.objects.count(),
        LogEntry.objects.count(),
    ]


def _both(exc: ValidationError) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = exc.messages[0]
    with translation.override("en"):
        en = exc.messages[0]
    return zh, en


def test_an_invalid_credit_code_is_refused_naming_the_wrong_character(supervisor, world):
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        services.register_subject(
            user=supervisor, code="91350100M000100Y4Z", name="错误代码公司", subject_type="legal_person"
        )
    zh, en = _both(refused.value)
    assert zh == "信用代码无效：第18位校验码错误：应为“3”，实际为“Z”。"
    assert en == "Invalid credit code: Check character 18 is wrong: expected '3', found 'Z'."
    with pytest.raises(ValidationError) as person:
        services.register_subject(user=supervisor, code="440305198001010010", name="王某", subject_type="natural")
    assert "第18位校验码错误" in _both(person.value)[0] and "Check character 18" in _both(person.value)[1]
    assert _stored() == before


def test_an_unknown_behaviour_code_is_refused(supervisor, world):
    subject, _record, _entry = world
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        factories.record(supervisor, subject, behaviour="MADE_UP")
    zh, en = _both(refused.value)
    assert "未知的失信行为代码：MADE_UP" in zh and "Unknown behaviour code: MADE_UP" in en
    assert _stored() == before


def test_a_record_dated_in_the_future_is_refused(supervisor, world):
    subject, _record, _entry = world
    before = _stored()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        factories.record(supervisor, subject, decided_on=tomorrow)
    zh, en = _both(refused.value)
    assert (
        f"决定日期 {tomorrow.isoformat()} 晚于今天" in zh
        and f"decision date {tomorrow.isoformat()} is later than today" in en
    )
    assert _stored() == before


def test_the_record_form_shows_the_future_date_refusal_on_the_page_in_english(client, supervisor, world):
    subject, _record, _entry = world
    before = _stored()
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    from artrights.credit.models import Behaviour

    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.post(
        f"/credit/subjects/{subject.pk}/records/new/",
        {
            "behaviour": Behaviour.objects.get(code="MAL_TM").pk,
            "source_dept": "国家知识产权局",
            "decision_no": "国知发〔2026〕99号",
            "decided_on": tomorrow,
            "publish": "on",
        },
    ).content.decode()
    assert f"The decision date {tomorrow} is later than today" in page
    assert _stored() == before


def test_a_repair_asked_for_too_early_is_refused_on_the_page_with_the_rules_name(client, people, world):
    _subject, record, entry = world
    before = _stored()
    client.force_login(people["agency"])
    page = client.post(f"/credit/records/{record.number}/repair/", {"measures_taken": "已整改"}).content.decode()
    assert "《深圳经济特区社会信用条例》第七十九条" in page
    client.cookies["django_language"] = "en"
    page = client.post(f"/credit/lists/{entry.number}/repair/", {"measures_taken": "done"}).content.decode()
    assert "Intellectual Property Credit Management Provisions" in page and "6 months" in page
    assert _stored() == before


def test_a_token_outside_its_scope_changes_nothing(client, people, world):
    _subject, _record, entry = world
    before = _stored()
    partner = people["partner"]
    raw = issue_token(user=partner, name="query only", scopes=["credit:query"])[1]
    body = {"entry": entry.number, "measure": "CNIPA_AWARDS", "action": "applied", "applied_on": "2026-01-05"}
    response = client.post("/api/credit/measures", json.dumps(body), content_type="application/json", **bearer(raw))
    assert response.status_code == 403 and "credit:feedback" in response.json()["detail"]
    english = client.post(
        "/api/credit/measures",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(raw),
    )
    assert english.status_code == 403 and "This token lacks the scope: credit:feedback" in english.json()["detail"]
    read = issue_token(user=partner, name="read only", scopes=["read"])[1]
    assert client.get("/api/credit/status", {"code": entry.subject.code}, **bearer(read)).status_code == 403
    assert _stored() == before
