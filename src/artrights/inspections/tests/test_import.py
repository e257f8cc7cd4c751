"""`artrights inspections import`: directories from CSV, every rejected row named in both languages, with a report."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command

from artrights.accounts.services import create_user
from artrights.inspections.models import Inspector, Target
from artrights.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_targets_get_their_sector_region_and_type_and_bad_rows_are_reported(supervisor, world, tmp_path, capsys):
    good = world["subjects"][1].code
    path = tmp_path / "targets.csv"
    path.write_text(
        f"code,sector,region,type\n{good},publishing,440307,enterprise\n91440300XXXXXXXXXX,art,440307,enterprise\n"
        f"{world['subjects'][2].code},art,440307,spaceship\n",
        encoding="utf-8",
    )
    report = tmp_path / "rejected.csv"
    with pytest.raises(SystemExit) as exc:
        call_command(
            "inspections",
            "import",
            "targets",
            str(path),
            "--by",
            supervisor.username,
            "--no-progress",
            "--report",
            str(report),
        )
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "导入 / imported: 1; 拒绝 / rejected: 2" in out
    assert "第 3 行 / line 3: 名录中没有代码为 91440300XXXXXXXXXX 的主体" in out
    assert "No subject with code 91440300XXXXXXXXXX" in out
    assert "Invalid entity type: spaceship" in out and "对象类型无效：spaceship" in out
    target = Target.objects.get(subject__code=good)
    assert (target.sector, target.region) == ("publishing", "440307")
    assert Target.objects.get(subject=world["subjects"][2]).sector == "copyright"  # the bad row changed nothing
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [r["line"] for r in rows] == ["3", "4"] and rows[1]["reason_en"].startswith("Invalid entity type")


def test_inspectors_join_the_directory_by_username(supervisor, tmp_path, capsys):
    create_user(username="csv-inspector", role="inspector", password=TEST_PASSWORD, display_name="钱检查")
    create_user(username="csv-artist", role="artist", password=TEST_PASSWORD)
    path = tmp_path / "inspectors.csv"
    path.write_text(
        "username,dept,qualification,specialties,region\n"
        "csv-inspector,市场监管局,44030020269999,copyright;software,440300\n"
        "csv-artist,市场监管局,1,copyright,440300\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        call_command("inspections", "import", "inspectors", str(path), "--by", supervisor.username, "--no-progress")
    out = capsys.readouterr().out
    assert "Only inspector accounts can join the inspector directory." in out
    found = Inspector.objects.get()
    assert found.name == "钱检查" and found.specialties == ["copyright", "software"] and found.qualified


def test_a_file_without_the_columns_is_refused_at_once(supervisor, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.csv"
    path.write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="code"):
        call_command("inspections", "import", "targets", str(path), "--by", supervisor.username, "--no-progress")
