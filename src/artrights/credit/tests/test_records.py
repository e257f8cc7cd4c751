"""Credit records: the catalogue, publishing with periods, the public log, the subject told, withdrawal and expiry."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.utils import timezone

from artrights.credit import services
from artrights.credit.models import (
    Behaviour,
    CreditRecord,
    EntryStatus,
    Indicator,
    Measure,
    RecordStatus,
    add_months,
)
from artrights.credit.tests import factories
from artrights.ledger.models import LogEntry

pytestmark = pytest.mark.django_db


def _statement(index: int) -> dict:
    entry = LogEntry.objects.get(index=index)
    return json.loads(bytes(entry.data))


def test_the_catalogue_holds_the_cnipa_and_memorandum_behaviours_and_their_measures():
    codes = set(Behaviour.objects.values_list("code", flat=True))
    cnipa = {
        "ABN_PATENT",
        "MAL_TM",
        "AGENCY_PENALTY",
        "FALSE_MATERIAL",
        "PLEDGE_BREACH",
        "REFUSE_EXECUTE",
        "OTHER_CATALOG",
    }
    memo = {"REPEAT_INFRINGE", "NON_EXECUTION", "AGENCY_SERIOUS", "CERT_LENDING", "ABNORMAL_APPL", "FALSE_DOCS"}
    assert cnipa | memo <= codes
    assert any("cnipa_dishonest" in m.list_types for m in Measure.objects.filter(bars_agency_filing=True))
    assert Indicator.objects.get(code="D_ABNORMAL_APPL").cap == 40
    assert Indicator.objects.get(code="D_LICENCE_REVOKED").points == 100


def test_a_published_record_runs_for_its_severitys_periods_from_the_decision(supervisor):
    subject = factories.subject(supervisor)
    decided = factories.days_ago(10)
    general = factories.record(supervisor, subject, decided_on=decided)
    serious = factories.record(supervisor, subject, behaviour="FALSE_MATERIAL", decided_on=decided)
    assert general.status == RecordStatus.PUBLISHED and general.severity == "general"
    assert (general.min_publicity_end, general.max_publicity_end) == (add_months(decided, 3), add_months(decided, 12))
    assert (serious.min_publicity_end, serious.max_publicity_end) == (add_months(decided, 12), add_months(decided, 36))


def test_a_catalogue_entry_may_set_its_own_publicity_periods(supervisor):
    Behaviour.objects.filter(code="MAL_TM").update(min_publicity_months=6, max_publicity_months=24)
    record = factories.record(supervisor, factories.subject(supervisor), behaviour="MAL_TM")
    today = timezone.localdate()
    assert (record.min_publicity_end, record.max_publicity_end) == (add_months(today, 6), add_months(today, 24))


def test_publishing_appends_a_statement_with_commitments_and_never_the_name_or_code(supervisor):
    subject = factories.subject(supervisor, name="深圳市不应公开名称有限公司")
    record = factories.record(supervisor, subject)
    statement = _statement(record.log_index)
    text = json.dumps(statement, ensure_ascii=False)
    assert statement["type"] == "artrights/credit-record@v1" and statement["number"] == record.number
    assert statement["record"]["behaviour"] == "ABN_PATENT"
    assert subject.name not in text and subject.code not in text and record.decision_no not in text
    # The opening kept on the record reproduces the commitment (anyone shown the record can check it).
    from artrights.proofs.canonical import Opening

    opening = Opening.from_json(record.openings["subject"])
    assert opening.commitment == statement["parties"][0]["commitment"] and opening.value["code"] == subject.code


def test_the_subjects_own_accounts_hear_of_a_published_record_with_their_rights(
    supervisor, people, django_capture_on_commit_callbacks
):
    agency = people["agency"]
    agency.email = "agency@example.test"
    agency.save(update_fields=["email"])
    subject = factories.subject(supervisor, code=agency.organisation.uscc, name=agency.organisation.name, agency=True)
    with django_capture_on_commit_callbacks(execute=True):
        record = factories.record(supervisor, subject)
    note = agency.notifications.get(kind="credit.record_published")
    assert record.number in note.title and "异议" in note.body and record.min_publicity_end.isoformat() in note.body
    assert any(record.number in m.subject for m in mail.outbox)


def test_a_record_saved_without_publishing_is_not_public_until_published(client, supervisor):
    record = factories.record(supervisor, factories.subject(supervisor), publish=False)
    assert record.status == RecordStatus.RECORDED and record.log_index is None
    assert client.get(f"/credit/records/{record.number}/").status_code == 404
    services.publish(user=supervisor, record=record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and record.log_index is not None
    assert client.get(f"/credit/records/{record.number}/").status_code == 200


def test_a_withdrawn_record_stops_publishing_and_takes_its_listing_with_it(supervisor, client):
    subject = factories.subject(supervisor)
    record = factories.record(supervisor, subject)
    entry = factories.listed(supervisor, subject, [record])
    services.withdraw(user=supervisor, record=record, note="认定决定已被行政复议撤销")
    record.refresh_from_db()
    entry.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN and record.ended_on == timezone.localdate()
    assert entry.status == EntryStatus.REMOVED and entry.exit_reason == "set_aside"
    removal = _statement(LogEntry.objects.filter(kind="artrights/credit-removal@v1").order_by("index").first().index)
    assert removal["refers_to"] == {"log_index": record.log_index} and removal["reason"] == "withdraw"
    assert client.get(f"/credit/records/{record.number}/").status_code == 404
    assert record.annotations.filter(kind="outcome", text__contains="行政复议").exists()


def test_the_sweep_stops_publishing_a_record_whose_longest_period_ran_out(supervisor):
    record = factories.record(supervisor, factories.subject(supervisor), decided_on=factories.days_ago(300))
    assert services.sweep(on=record.max_publicity_end - timezone.timedelta(days=1))["records"] == 0
    done = services.sweep(on=record.max_publicity_end)
    record.refresh_from_db()
    assert done["records"] == 1 and record.status == RecordStatus.EXPIRED
    assert LogEntry.objects.filter(kind="artrights/credit-removal@v1").count() == 1
    assert services.sweep(on=record.max_publicity_end)["records"] == 0  # once


def test_the_periodic_task_runs_the_sweep(supervisor):
    from artrights.credit.tasks import sweep_task

    factories.record(supervisor, factories.subject(supervisor))
    assert sweep_task.call_local() == {"records": 0, "listings": 0, "escalations": 0, "grades": 0}


def test_the_same_decision_is_not_recorded_twice_for_a_subject(supervisor):
    subject = factories.subject(supervisor)
    factories.record(supervisor, subject, decision_no="国知发〔2026〕7号")
    with pytest.raises(Exception, match="已经录入"):
        factories.record(supervisor, subject, decision_no="国知发〔2026〕7号")
    assert CreditRecord.objects.filter(subject=subject).count() == 1


def test_an_emptied_database_gets_the_default_catalogue_back_and_an_edited_one_is_left_alone():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert (
        Behaviour.objects.filter(code="ABN_PATENT").exists() and Measure.objects.exists() and Indicator.objects.exists()
    )
    Behaviour.objects.filter(code="MAL_TM").update(active=False)
    Behaviour.objects.filter(code="OTHER_CATALOG").delete()
    call_command("migrate", verbosity=0)
    assert (
        not Behaviour.objects.get(code="MAL_TM").active and not Behaviour.objects.filter(code="OTHER_CATALOG").exists()
    )
