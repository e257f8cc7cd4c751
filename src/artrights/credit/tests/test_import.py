"""`artrights credit import FILE.csv`: good rows written and published, every rejected row reported with its line
and the reason in both languages, nothing written for it."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from artrights.core.models import AuditEvent
from artrights.credit.models import CreditRecord, CreditSubject, RecordStatus
from artrights.credit.services.imports import import_rows
from artrights.credit.tests import factories
from artrights.ledger.models import LogEntry

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "subject_type", "is_agency", "behaviour_code", "source_dept", "decision_no", "decided_on"]


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _rows(today: dt.date) -> list[list[str]]:
    agency = factories.uscc()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    penalty = [
        agency,
        "深圳市导入代理有限公司",
        "legal_person",
        "1",
        "AGENCY_PENALTY",
        "国家知识产权局",
        "国知罚〔2026〕1号",
        yesterday,
    ]
    in_three_days = (today + dt.timedelta(days=3)).isoformat()
    return [
        penalty,
        [
            agency,
            "深圳市导入代理有限公司",
            "legal_person",
            "1",
            "ABN_PATENT",
            "国家知识产权局",
            "国知罚〔2026〕2号",
            yesterday,
        ],
        [factories.resident_id(), "李个人", "natural", "", "", "", "", ""],
        [
            "91350100M000100Y4Z",
            "校验码错误有限公司",
            "legal_person",
            "",
            "ABN_PATENT",
            "国家知识产权局",
            "x",
            yesterday,
        ],
        [factories.uscc(), "未知行为有限公司", "legal_person", "", "NO_SUCH_CODE", "国家知识产权局", "y", yesterday],
        [factories.uscc(), "未来日期有限公司", "legal_person", "", "MAL_TM", "国家知识产权局", "z", in_three_days],
        [agency, "另一个名称", "legal_person", "1", "", "", "", ""],
        penalty,  # the same decision again
        [factories.uscc(), "日期格式有限公司", "legal_person", "", "MAL_TM", "国家知识产权局", "w", "2026/01/01"],
    ]


def test_an_import_publishes_the_good_rows_and_reports_every_rejected_one_with_its_reason(tmp_path, capsys):
    today = timezone.localdate()
    path = _write(tmp_path / "credit.csv", _rows(today))
    report_path = tmp_path / "rejected.csv"
    with pytest.raises(SystemExit) as exit_status:
        call_command("credit", "import", str(path), "--report", str(report_path), "--no-progress", "--batch", "2")
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert CreditSubject.objects.count() == 2 and CreditRecord.objects.count() == 2
    assert set(CreditRecord.objects.values_list("status", flat=True)) == {RecordStatus.PUBLISHED}
    assert LogEntry.objects.filter(kind="artrights/credit-record@v1").count() == 2
    agency = CreditSubject.objects.get(is_agency=True)
    assert agency.evaluations.latest().score == 100 - 20 - 10
    with report_path.open(encoding="utf-8") as handle:
        rejected = {int(row["line"]): row for row in csv.DictReader(handle)}
    assert sorted(rejected) == [5, 6, 7, 8, 9, 10]
    assert "第18位校验码错误" in rejected[5]["reason_zh"] and "Check character 18" in rejected[5]["reason_en"]
    assert "NO_SUCH_CODE" in rejected[6]["reason_zh"]
    assert "晚于今天" in rejected[7]["reason_zh"]
    assert "另一个名称" in rejected[8]["reason_zh"]
    assert "已经录入" in rejected[9]["reason_zh"]
    assert "YYYY-MM-DD" in rejected[10]["reason_zh"]
    assert "第 5 行 / line 5" in out and "rejected: 6" in out


def test_each_batch_is_one_audited_action_naming_the_file_and_the_numbers(tmp_path, capsys):
    today = timezone.localdate()
    path = _write(tmp_path / "good.csv", _rows(today)[:3])
    call_command("credit", "import", str(path), "--no-progress")
    event = AuditEvent.objects.filter(action="credit.import").get()
    numbers = sorted(CreditRecord.objects.values_list("number", flat=True))
    assert event.changes["records"] == [numbers[0], numbers[-1]] and "good.csv sha256:" in event.changes["source"]
    assert event.via == "cli"


def test_a_file_without_the_required_columns_is_refused_before_anything_is_read(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("名称,代码\nx,y\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="code, name, subject_type"):
        call_command("credit", "import", str(path), "--no-progress")
    assert not CreditSubject.objects.exists()


def test_rows_are_reported_in_chinese_and_english_from_the_service_too():
    report = import_rows([(2, {"code": "123", "name": "短代码", "subject_type": "legal_person"})])
    assert report.rows == 1 and report.subjects == 0
    assert "18" in report.rejected[0].zh and "18 characters" in report.rejected[0].en


def test_the_export_writes_the_documented_feed(tmp_path, people, capsys):
    supervisor = people["supervisor"]
    record = factories.record(supervisor, factories.subject(supervisor))
    out = tmp_path / "records.json"
    call_command("credit", "export", "records", "--format", "json", "--out", str(out))
    feed = json.loads(out.read_text())
    assert feed["format"] == "artrights-credit-feed/v1" and feed["items"][0]["number"] == record.number
    assert feed["items"][0]["catalogue_code"] == "ABN_PATENT" and feed["items"][0]["retention_months"] == 12
