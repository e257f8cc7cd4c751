"""Lists: notice first, the listing after the statement period, extension on repeat conduct up to the cap, expiry,
removal, and the departments told to stop their measures."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artrights.credit import services
from artrights.credit.models import EntryStatus, ListEntry, MeasureReport, add_months
from artrights.credit.tests import factories
from artrights.ledger.models import LogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(own_subject):
    """The agency's organisation as a credit subject; its member is ``people["agency"]``."""
    return own_subject


def test_a_proposed_listing_tells_the_subject_the_ground_and_its_right_to_state_its_case(supervisor, people, agency):
    record = factories.record(supervisor, agency)
    entry = factories.proposed(supervisor, agency, [record])
    assert entry.status == EntryStatus.PROPOSED and entry.log_index is None
    note = people["agency"].notifications.get(kind="credit.listing_proposed")
    assert entry.basis in note.body and entry.statement_due.isoformat() in note.body and "陈述和申辩" in note.body
    with pytest.raises(ValidationError, match="陈述申辩期至"):
        services.decide_listing(user=supervisor, entry=entry, list_it=True)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PROPOSED


def test_a_listing_runs_a_year_is_logged_and_tells_the_subject_its_rights(supervisor, people, agency):
    entry = factories.listed(supervisor, agency)
    today = timezone.localdate()
    assert entry.status == EntryStatus.LISTED and entry.listed_on == today
    assert entry.planned_exit_on == add_months(today, 12)
    assert entry.log_index is not None
    statement = json.loads(bytes(LogEntry.objects.get(index=entry.log_index).data))
    assert statement["type"] == "artrights/credit-listing@v1" and statement["listing"]["list_type"] == "cnipa_dishonest"
    assert agency.name not in json.dumps(statement, ensure_ascii=False)
    note = people["agency"].notifications.get(kind="credit.listed")
    assert entry.basis in note.body and "异议" in note.body and "6 个月后" in note.body


def test_the_subject_can_decide_not_to_be_listed_after_stating_its_case(supervisor, agency):
    entry = factories.proposed(supervisor, agency, [factories.record(supervisor, agency)])
    with pytest.raises(ValidationError, match="理由"):
        services.decide_listing(user=supervisor, entry=entry, list_it=False)
    entry = services.decide_listing(user=supervisor, entry=entry, list_it=False, note="当事人已说明情况，不予列入")
    assert entry.status == EntryStatus.DROPPED and entry.log_index is None


def test_a_subject_already_on_a_list_is_extended_not_listed_twice(supervisor, agency):
    factories.listed(supervisor, agency)
    with pytest.raises(ValidationError, match="延长"):
        factories.proposed(supervisor, agency, [factories.record(supervisor, agency)])


def test_a_record_of_other_conduct_does_not_ground_a_listing(supervisor, agency):
    record = factories.record(supervisor, agency, behaviour="CR_REPEAT_INFRINGE")
    with pytest.raises(ValidationError, match="不能作为列入"):
        factories.proposed(supervisor, agency, [record], list_type="cnipa_dishonest")


def test_repeat_conduct_extends_a_listing_a_year_at_a_time_never_past_three_years(supervisor, agency):
    entry = factories.listed(supervisor, agency)
    first = factories.record(supervisor, agency)
    entry = services.extend_listing(user=supervisor, entry=entry, record=first)
    assert entry.planned_exit_on == add_months(entry.listed_on, 24) and entry.extensions == 1
    change = LogEntry.objects.filter(kind="artrights/credit-change@v1").order_by("-index").first()
    assert json.loads(bytes(change.data))["planned_exit_on"] == entry.planned_exit_on.isoformat()
    entry = services.extend_listing(user=supervisor, entry=entry, record=factories.record(supervisor, agency))
    assert entry.planned_exit_on == add_months(entry.listed_on, 36)
    with pytest.raises(ValidationError, match="已达上限"):
        services.extend_listing(user=supervisor, entry=entry, record=factories.record(supervisor, agency))
    entry.refresh_from_db()
    assert entry.planned_exit_on == add_months(entry.listed_on, 36) and entry.extensions == 2


def test_conduct_before_the_listing_does_not_extend_it(supervisor, agency):
    old = factories.record(supervisor, agency, decided_on=factories.days_ago(30))
    entry = factories.listed(supervisor, agency)
    with pytest.raises(ValidationError, match="名单期内"):
        services.extend_listing(user=supervisor, entry=entry, record=old)


def test_a_listing_whose_period_ran_out_is_removed_by_the_sweep_and_the_subject_told(supervisor, people, agency):
    entry = factories.listed(supervisor, agency)
    done = services.sweep(on=entry.planned_exit_on)
    entry.refresh_from_db()
    assert done["listings"] == 1 and entry.status == EntryStatus.EXPIRED_REMOVED
    assert entry.exit_reason == "expired" and entry.ended_on == timezone.localdate()
    assert people["agency"].notifications.filter(kind="credit.delisted").exists()
    removals = [json.loads(bytes(e.data)) for e in LogEntry.objects.filter(kind="artrights/credit-removal@v1")]
    assert {"number": entry.number, "reason": "expired", "refers_to": {"log_index": entry.log_index}}.items() <= next(
        s for s in removals if s["number"] == entry.number
    ).items()


def test_the_abnormal_operation_list_has_no_end_date_and_ends_when_the_obligation_is_met(supervisor, people, agency):
    entry = factories.listed(supervisor, agency, list_type="abnormal_operation", behaviour="AGENCY_ABNORMAL")
    assert entry.planned_exit_on is None
    assert people["agency"].notifications.filter(kind="credit.listed_until_met").exists()
    assert services.sweep(on=add_months(timezone.localdate(), 60))["listings"] == 0
    entry = services.remove_listing(user=supervisor, entry=entry, reason="obligation_met", note="已补报年度报告")
    assert entry.status == EntryStatus.REMOVED and entry.exit_reason == "obligation_met"


def test_departments_that_applied_measures_are_told_to_stop_them_on_removal(supervisor, people, agency):
    partner = people["partner"]
    entry = factories.listed(supervisor, agency)
    services.report_measure(
        user=partner, entry=entry, measure_code="CNIPA_FUND_REVIEW", action="applied", applied_on=timezone.localdate()
    )
    services.remove_listing(user=supervisor, entry=entry, reason="set_aside", note="认定决定被撤销")
    assert partner.notifications.filter(kind="credit.measures_stop").count() == 1
    with pytest.raises(ValidationError, match="不能再实施"):
        services.report_measure(
            user=partner,
            entry=entry,
            measure_code="CNIPA_FUND_REVIEW",
            action="applied",
            applied_on=timezone.localdate(),
        )
    stopped = services.report_measure(
        user=partner, entry=entry, measure_code="CNIPA_FUND_REVIEW", action="stopped", applied_on=timezone.localdate()
    )
    assert stopped.action == "stopped" and MeasureReport.objects.filter(entry=entry).count() == 2


def test_a_measure_of_another_list_is_not_reported_against_an_entry(supervisor, people, agency):
    entry = factories.listed(supervisor, agency)
    with pytest.raises(ValidationError, match="不适用"):
        services.report_measure(
            user=people["partner"],
            entry=entry,
            measure_code="JOINT_BONDS",
            action="applied",
            applied_on=timezone.localdate(),
        )
    assert not MeasureReport.objects.exists()


def test_measure_reports_are_append_only(supervisor, people, agency):
    entry = factories.listed(supervisor, agency)
    report = services.report_measure(
        user=people["partner"],
        entry=entry,
        measure_code="CNIPA_AWARDS",
        action="applied",
        applied_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        report.delete()
    with pytest.raises(ValidationError):
        MeasureReport.objects.filter(pk=report.pk).update(note="改过")
    assert ListEntry.objects.get(pk=entry.pk).reports.count() == 1


def test_an_agency_three_years_on_the_abnormal_operation_list_is_put_to_the_supervisors_once(
    supervisor, people, agency
):
    entry = factories.listed(supervisor, agency, list_type="abnormal_operation", behaviour="AGENCY_ABNORMAL")
    today = timezone.localdate()
    factories.listed_since(entry, add_months(today, -35))
    assert services.sweep()["escalations"] == 0
    factories.listed_since(entry, add_months(today, -36))
    assert services.sweep()["escalations"] == 1 and services.sweep()["escalations"] == 0
    note = supervisor.notifications.get(kind="credit.escalation_due")
    assert entry.number in note.title and "经营异常名录" in note.body


def test_a_supervisor_escalates_a_lasting_abnormal_listing_to_a_proposed_serious_listing(supervisor, people, agency):
    entry = factories.listed(supervisor, agency, list_type="abnormal_operation", behaviour="AGENCY_ABNORMAL")
    with pytest.raises(ValidationError, match="满三年"):
        services.escalate(
            user=supervisor, entry=entry, source_dept="深圳市市场监督管理局", decision_no="深市监异〔2029〕1号"
        )
    assert not agency.records.filter(behaviour__code="AGENCY_SERIOUS").exists()
    entry = factories.listed_since(entry, add_months(timezone.localdate(), -37))
    proposed = services.escalate(
        user=supervisor, entry=entry, source_dept="深圳市市场监督管理局", decision_no="深市监异〔2029〕1号"
    )
    assert proposed.status == EntryStatus.PROPOSED and proposed.list_type == "national_joint_ip"
    assert proposed.records.get().behaviour.code == "AGENCY_SERIOUS"
    assert people["agency"].notifications.filter(kind="credit.listing_proposed").exists()
    with pytest.raises(ValidationError):  # already proposed: not twice
        services.escalate(
            user=supervisor, entry=entry, source_dept="深圳市市场监督管理局", decision_no="深市监异〔2029〕2号"
        )
    assert agency.records.filter(behaviour__code="AGENCY_SERIOUS").count() == 1


def test_an_escalation_proposed_from_the_english_interface_records_its_facts_and_basis_in_chinese(supervisor, agency):
    from django.utils import translation

    entry = factories.listed(supervisor, agency, list_type="abnormal_operation", behaviour="AGENCY_ABNORMAL")
    entry = factories.listed_since(entry, add_months(timezone.localdate(), -37))
    with translation.override("en"):
        proposed = services.escalate(
            user=supervisor, entry=entry, source_dept="深圳市市场监督管理局", decision_no="深市监异〔2029〕3号"
        )
    wording = f"列入经营异常名录（{entry.number}），满三年仍未履行义务。"
    assert wording in proposed.basis and wording in proposed.records.get().facts


def test_the_desk_and_the_entry_page_offer_the_escalation_when_it_is_due(client, supervisor, agency):
    entry = factories.listed(supervisor, agency, list_type="abnormal_operation", behaviour="AGENCY_ABNORMAL")
    entry = factories.listed_since(entry, add_months(timezone.localdate(), -36))
    client.force_login(supervisor)
    assert entry.number in client.get("/credit/desk/").content.decode().split('data-testid="escalations-due"')[1]
    response = client.post(
        f"/credit/lists/{entry.number}/escalate/",
        {"source_dept": "深圳市市场监督管理局", "decision_no": "深市监异〔2029〕3号"},
    )
    assert response.status_code == 302
    assert ListEntry.objects.get(subject=agency, list_type="national_joint_ip").status == EntryStatus.PROPOSED
    assert 'data-testid="escalations-due"' not in client.get("/credit/desk/").content.decode()
