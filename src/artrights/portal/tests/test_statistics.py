"""The public statistics: counts by month from every app, SVG charts drawn here, CSV exports, capabilities that do
not exist yet shown as absent (not 0), the yearly report page and `artrights report YEAR`."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone

from artrights.licensing.tests import factories
from artrights.portal import statistics
from artrights.portal.charts import bar_chart

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Each test counts its own rows, not a year another test left in the cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year():
    return timezone.localdate().year


def test_a_registration_and_a_filed_licence_are_counted_in_their_month(artist, outsider, registrar, year):
    work = factories.registered(artist, registrar)
    factories.signed(factories.contract(artist, outsider, work), outsider, artist)
    found = {s.key: s for s in statistics.yearly(year)}
    month = timezone.localdate().month
    assert found["registrations"].months[month - 1] == 1 and found["registrations"].total == 1
    assert found["licences"].total == 1 and found["contract_filings"].total == 1
    assert found["mediation_cases"].available is True and found["mediation_cases"].total == 0


def without(monkeypatch, *absent):
    """A platform where the named apps are not installed."""
    real = statistics._installed
    monkeypatch.setattr(statistics, "_installed", lambda app: app not in absent and real(app))


def test_a_capability_a_platform_does_not_run_is_absent_not_zero(monkeypatch, year):
    without(monkeypatch, "mediation", "inspections")
    found = {s.key: s for s in [*statistics.yearly(year), *statistics.categorical(year)]}
    assert found["mediation_cases"].available is False and found["mediation_cases"].total is None
    assert found["mediation_outcomes"].available is False and found["inspections"].available is False
    assert found["registrations"].available is True


def test_an_ended_mediation_case_is_counted_by_its_outcome_and_duration(artist, outsider, year):
    from artrights.mediation import services as mediation
    from artrights.mediation.tests import factories as mediation_factories

    admin = mediation_factories.staff(mediation_factories.mediation_org(), name="张管理")
    mediation.answer(user=outsider, case=mediation_factories.accepted(artist, admin), consent=False)
    found = {s.key: s for s in statistics.categorical(year)}
    assert found["mediation_outcomes"].total == 1 and "终止" in found["mediation_outcomes"].categories[0][0]
    assert dict(found["mediation_durations"].categories)["15 日以内"] == 1
    assert {s.key: s for s in statistics.yearly(year)}["mediation_cases"].total == 1


def test_the_dashboard_draws_svg_and_shows_absent_capabilities_as_absent(client, artist, registrar, year, monkeypatch):
    factories.registered(artist, registrar)
    without(monkeypatch, "mediation")
    text = client.get("/statistics/").content.decode()
    assert "<svg" in text and "<script" not in text.split("<main>")[1]
    mediation = text.split('data-testid="series-mediation_cases"')[1].split("</section>")[0]
    assert 'data-testid="absent"' in mediation and "<svg" not in mediation


def test_a_series_exports_to_csv_and_an_absent_one_says_absent(client, artist, registrar, year, monkeypatch):
    factories.registered(artist, registrar)
    rows = list(
        csv.reader(io.StringIO(client.get(f"/statistics/registrations.csv?year={year}").content.decode("utf-8-sig")))
    )
    assert rows[0] == ["series", "year", "month", "count"] and sum(int(r[3]) for r in rows[1:]) == 1
    without(monkeypatch, "inspections")
    absent = list(csv.reader(io.StringIO(client.get("/statistics/inspections.csv").content.decode("utf-8-sig"))))
    assert absent[1][2] == "absent"
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_the_yearly_report_lists_the_founding_documents_figures_first(client, year):
    text = client.get(f"/statistics/report/{year}/").content.decode()
    headline = text.split('data-testid="headline"')[1].split("</table>")[0]
    assert [label in headline for label in ("作品登记", "计算机软件登记", "电子证据固化", "数字作品备案")] == [True] * 4
    assert client.get(f"/statistics/report/{year + 1}/").status_code == 404


def test_artrights_report_writes_a_pdf_with_the_years_figures(tmp_path, artist, registrar, year):
    factories.registered(artist, registrar)
    out = tmp_path / "report.pdf"
    call_command("report", str(year), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "作品登记" in text and "调解案件" in text and "资助拨付" in text


def test_a_bar_chart_escapes_its_labels_and_scales_to_a_round_top():
    svg = bar_chart(["<b>", "2"], [3, 7], title="a & b")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a &amp; b" in svg
    assert ">10</text>" in svg  # the axis ends on 10 for a largest value of 7


def test_a_years_counts_are_reused_until_the_cache_period_ends(artist, outsider, registrar, year, settings):
    from django.core.cache import cache

    assert {s.key: s.total for s in statistics.yearly(year)}["registrations"] == 0
    factories.registered(artist, registrar)
    assert {s.key: s.total for s in statistics.yearly(year)}["registrations"] == 0  # reused
    cache.clear()
    assert {s.key: s.total for s in statistics.yearly(year)}["registrations"] == 1


def test_the_phone_chart_draws_at_the_phones_width_with_long_labels_wrapped_above_their_bars():
    from artrights.portal.charts import NARROW_WIDTH, _text_width, bar_chart_narrow

    long = "Infringement confirmed and agreement reached after the court's referral <b>"
    svg = bar_chart_narrow([long, "15 日以内"], [3, 0], title="a & b")
    assert f'viewBox="0 0 {NARROW_WIDTH} ' in svg and "chart-narrow" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a &amp; b" in svg
    lines = re.findall(r'<text x="0" y="[\d.]+" font-size="13" fill="#333">([^<]*)</text>', svg)
    assert len(lines) >= 3  # the long label wrapped over lines of its own, the short one too (labels above bars)
    assert all(_text_width(line, 13) <= NARROW_WIDTH for line in lines)
    assert " ".join(lines).startswith("Infringement confirmed")
    months = bar_chart_narrow([str(m) for m in range(1, 13)], [0] * 11 + [2], title="m")
    assert 'text-anchor="end" font-size="13"' in months  # short labels sit beside their bars
    assert months.count("<rect") == 12
