"""Objections and credit repair: annotated at once, decided on working-day clocks, each outcome doing what it says;
a repair asked for too early refused with the rule's name."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from artrights.core.workdays import add_working_days
from artrights.credit import services
from artrights.credit.models import EntryStatus, Objection, RecordStatus, Repair, add_months
from artrights.credit.tests import factories
from artrights.ledger.models import LogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(own_subject):
    return own_subject


def _object(own, record, ground="error"):
    return services.file_objection(
        user=own, record=record, ground=ground, text="该决定已被复议机关撤销，附复议决定书。"
    )


def test_an_objection_is_accepted_now_annotates_the_record_and_runs_on_working_days(supervisor, own, subject, client):
    record = factories.record(supervisor, subject)
    objection = _object(own, record)
    record.refresh_from_db()
    today = timezone.localdate()
    assert record.status == RecordStatus.UNDER_OBJECTION
    assert objection.check_due == add_working_days(today, 1)
    assert objection.decision_due == add_working_days(add_working_days(today, 1), 2)
    assert record.annotations.filter(kind="objection", text=objection.number).exists()
    assert supervisor.notifications.filter(kind="credit.objection_received").exists()
    page = client.get(f"/credit/records/{record.number}/").content.decode()
    assert "异议处理中" in page  # the public reads the annotation too
    change = json.loads(bytes(LogEntry.objects.filter(kind="artrights/credit-change@v1").get().data))
    assert change["change"] == "object" and change["refers_to"] == {"log_index": record.log_index}


def test_the_decision_may_be_extended_three_working_days_once(supervisor, own, subject):
    objection = _object(own, factories.record(supervisor, subject))
    due = objection.decision_due
    objection = services.extend_objection(user=supervisor, objection=objection, reason="需要认定部门复核")
    assert objection.decision_due == add_working_days(due, 3) and objection.extended
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.extend_objection(user=supervisor, objection=objection, reason="再延长")


def test_a_correction_changes_the_record_and_its_periods_and_logs_a_new_commitment(supervisor, own, subject):
    record = factories.record(supervisor, subject, decided_on=factories.days_ago(5))
    objection = _object(own, record)
    services.decide_objection(
        user=supervisor,
        objection=objection,
        outcome="correct",
        decision="严重程度认定有误，更正为轻微。",
        corrections={"severity": "minor"},
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.CORRECTED and record.severity == "minor"
    assert record.max_publicity_end == add_months(record.decided_on, 3)
    change = json.loads(bytes(LogEntry.objects.filter(kind="artrights/credit-change@v1").order_by("-index")[0].data))
    assert change["change"] == "correct" and change["severity"] == "minor" and change["fields"] == ["severity"]
    assert len(record.openings["content"]) == 2
    assert own.notifications.filter(kind="credit.objection_decided").exists()


def test_a_correction_that_changes_nothing_is_refused_and_the_objection_stays_open(supervisor, own, subject):
    objection = _object(own, factories.record(supervisor, subject))
    with pytest.raises(ValidationError, match="至少修改一项"):
        services.decide_objection(
            user=supervisor, objection=objection, outcome="correct", decision="更正", corrections={}
        )
    objection.refresh_from_db()
    assert objection.status == "under_review" and objection.record.status == RecordStatus.UNDER_OBJECTION


def test_an_upheld_objection_withdraws_the_record_and_the_listing_on_it(supervisor, own, subject):
    record = factories.record(supervisor, subject)
    entry = factories.listed(supervisor, subject, [record])
    services.decide_objection(
        user=supervisor, objection=_object(own, record), outcome="withdraw", decision="认定决定已撤销，撤回记录。"
    )
    record.refresh_from_db()
    entry.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN
    assert entry.status == EntryStatus.REMOVED and entry.exit_reason == "objection"


def test_a_de_listing_keeps_the_record_but_takes_the_subject_off_the_list(supervisor, own, subject):
    record = factories.record(supervisor, subject)
    entry = factories.listed(supervisor, subject, [record])
    services.decide_objection(
        user=supervisor,
        objection=_object(own, record, ground="wrongly_listed"),
        outcome="delist",
        decision="不符合列入条件，移出名单。",
    )
    record.refresh_from_db()
    entry.refresh_from_db()
    assert record.status == RecordStatus.DE_LISTED and record.is_public
    assert entry.status == EntryStatus.REMOVED


def test_a_rejected_objection_leaves_the_record_published_with_the_outcome_annotated(supervisor, own, subject):
    record = factories.record(supervisor, subject)
    objection = services.decide_objection(
        user=supervisor, objection=_object(own, record), outcome="reject", decision="决定有效，异议不成立。"
    )
    record.refresh_from_db()
    assert objection.status == "decided" and objection.outcome == "reject"
    assert record.status == RecordStatus.PUBLISHED
    assert record.annotations.filter(kind="outcome", text__contains="异议不成立").exists()


def test_a_repair_asked_before_the_shortest_period_ends_is_refused_with_the_rules_name(supervisor, own, subject):
    record = factories.record(supervisor, subject)
    with pytest.raises(ValidationError) as refused:
        services.ask_repair(user=own, record=record, measures_taken="已整改")
    with translation.override("zh-hans"):
        assert "《深圳经济特区社会信用条例》第七十九条" in refused.value.messages[0]
        assert record.min_publicity_end.isoformat() in refused.value.messages[0]
    with translation.override("en"):
        assert "Article 79 of the Shenzhen Special Economic Zone Social Credit Regulations" in refused.value.messages[0]
    assert not Repair.objects.exists()


def test_a_repair_after_the_shortest_period_stops_publication_when_approved(supervisor, own, subject, client):
    record = factories.record(supervisor, subject, decided_on=factories.days_ago(100))
    repair = services.ask_repair(user=own, record=record, measures_taken="已整改，提交信用承诺书和培训证明。")
    assert repair.decision_due == add_working_days(timezone.localdate(), 3)
    services.decide_repair(user=supervisor, repair=repair, approve=True, decision="整改到位，准予修复。")
    record.refresh_from_db()
    assert record.status == RecordStatus.REPAIRED and not record.is_public
    assert client.get(f"/credit/records/{record.number}/").status_code == 404
    assert (
        json.loads(bytes(LogEntry.objects.filter(kind="artrights/credit-removal@v1").get().data))["reason"] == "repair"
    )


def test_a_refused_repair_leaves_the_record_published(supervisor, own, subject):
    record = factories.record(supervisor, subject, decided_on=factories.days_ago(100))
    repair = services.ask_repair(user=own, record=record, measures_taken="已整改")
    services.decide_repair(user=supervisor, repair=repair, approve=False, decision="未提交整改材料。")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and Repair.objects.get().approved is False


def test_a_listing_may_be_repaired_six_months_after_it_began(supervisor, own, subject):
    entry = factories.listed(supervisor, subject)
    with pytest.raises(ValidationError, match="列入名单之日起满 6 个月后"):
        services.ask_repair(user=own, entry=entry, measures_taken="已整改")
    entry = factories.listed_since(entry, add_months(timezone.localdate(), -6))
    repair = services.ask_repair(user=own, entry=entry, measures_taken="已整改并培训")
    services.decide_repair(user=supervisor, repair=repair, approve=True, decision="准予修复，移出名单。")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REPAIRED_REMOVED and entry.exit_reason == "repaired"


def test_a_behaviour_the_catalogue_marks_unrepairable_cannot_be_repaired(supervisor, own, subject):
    record = factories.record(supervisor, subject, behaviour="GD_IP_CRIME", decided_on=factories.days_ago(400))
    with pytest.raises(ValidationError, match="不适用信用修复"):
        services.ask_repair(user=own, record=record, measures_taken="已服刑完毕")


def test_a_second_repair_of_the_same_record_waits_for_the_first(supervisor, own, subject):
    record = factories.record(supervisor, subject, decided_on=factories.days_ago(100))
    services.ask_repair(user=own, record=record, measures_taken="已整改")
    with pytest.raises(ValidationError, match="正在处理中"):
        services.ask_repair(user=own, record=record, measures_taken="再次申请")
    assert Repair.objects.count() == 1 and Objection.objects.count() == 0
