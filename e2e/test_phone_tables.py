"""Tables without a heading row, on a phone (375 px), in Chinese and in English, on the demo a visitor gets from
`make run`: facts keep each heading beside its value with room to read it, lists become labelled cards, figures
(statistics) stay tables in a box of their own that scrolls sideways if it must, never the page. And no page of the
demo, for any role, scrolls sideways on a phone.

The demo (`artrights demo`) is loaded once for the module into a platform of its own (its own data directory and
SQLite database), served by `runserver` in a child process: loading it takes a minute, and the live server of the
other browser tests empties its database after every test.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

# One worker runs the whole module (make test: --dist loadgroup), so the demo is loaded once, not once per worker.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("phone-demo")]
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
ROLES = [
    "artist",
    "agency",
    "registrar",
    "mediator",
    "mediation_admin",
    "supervisor",
    "inspector",
    "partner",
    "court",
    "admin",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, migrated_data_dir):
    """The demo platform: its address and each demo account's password (``{"artist": "..."}``). Its data folder
    starts as a copy of the run's migrated one (migrating a new database takes a dozen CPU seconds)."""
    data = tmp_path_factory.mktemp("demo")
    shutil.copytree(migrated_data_dir, data, dirs_exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ARTRIGHTS_DATA_DIR": str(data), "HUEY_IMMEDIATE": "1", "DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    cli = [sys.executable, "-m", "artrights.cli"]
    subprocess.run([*cli, "demo", "--url", url], env=env, check=True, capture_output=True, timeout=900)
    log = (data / "server.log").open("w")
    server = subprocess.Popen([*cli, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=5)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (data / "server.log").read_text()
                time.sleep(0.5)
        lines = (data / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()[1:]
        passwords = {line.split()[-2].removeprefix("demo-"): line.split()[-1] for line in lines}
        yield {"url": url, "passwords": passwords}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _sign_in(page, demo, role):
    page.goto(f"{demo['url']}/accounts/login/")
    page.get_by_test_id("username").fill(f"demo-{role}")
    page.get_by_test_id("password").fill(demo["passwords"][role])
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def _facts(layout, table):
    """A facts table (a heading in each row) on a phone: each heading beside its value, on the same line, wide
    enough to read (a heading of four characters on one line, not one character a line), every value inside the
    screen. Returns {heading: value cell}."""
    assert table.evaluate("(t) => getComputedStyle(t).display") == "table"
    found = {}
    for heading, value in layout.cells(table):
        assert heading["tag"] == "TH" and value["tag"] == "TD"
        assert abs(heading["top"] - value["top"]) < 1 and heading["right"] <= value["left"] + 1
        assert heading["width"] >= 100, heading
        assert value["right"] <= PHONE["width"], value
        if len(heading["text"]) <= 4:
            assert heading["lines"] == 1, heading
        found[heading["text"]] = value
    return found


def _cards(layout, table, labels):
    """A list on a phone: each row a card, its cells one under another, each after its column's label."""
    assert table.evaluate("(t) => getComputedStyle(t).display") == "block"
    assert not table.locator("thead").is_visible()
    rows = layout.cells(table)
    assert rows
    for cells in rows:
        assert [cell["label"] for cell in cells] == [f'"{label}"' for label in labels]
        for above, below in itertools.pairwise(cells):
            assert below["top"] > above["top"] and abs(below["left"] - above["left"]) < 1
        assert all(cell["right"] <= PHONE["width"] for cell in cells)
    return rows


def test_a_works_facts_keep_each_heading_beside_its_value_and_its_contracts_become_cards_on_a_phone(
    demo, page, layout, screenshot
):
    _sign_in(page, demo, "artist")
    page.goto(f"{demo['url']}/registry/works/2/")  # 莲花山的黄昏: registered, three contracts filed and a pledge
    encumbrances = page.get_by_test_id("encumbrances")
    assert encumbrances.locator("thead").is_visible()  # on a desktop: the same table, now with its headings
    cells = layout.cells(encumbrances)[0]
    assert len({round(cell["top"]) for cell in cells}) == 1
    screenshot("desktop-phone-tables-work-detail")

    page.set_viewport_size(PHONE)
    layout.no_sideways_scrolling()
    facts = _facts(layout, page.get_by_test_id("dossier"))
    assert facts["业务类型"]["text"] == "作品登记" and facts["登记日期"]["lines"] == 1
    rows = _cards(layout, encumbrances, ["编号", "类型", "被许可方/受让方/质权人", "有效期间/担保金额"])
    assert len(rows) == encumbrances.locator("tbody tr").count() >= 4  # every filing a card of its own
    for cells in rows:
        assert cells[0]["lines"] == 1  # 粤合备字-2026-00000002 whole, not cut at a hyphen
    screenshot("phone-tables-work-detail-zh")

    layout.switch_language()
    layout.no_sideways_scrolling()
    facts = _facts(layout, page.get_by_test_id("dossier"))
    assert facts["Application type"]["text"] == "Work registration"
    _cards(layout, encumbrances, ["Number", "Type", "Licensee / transferee / pledgee", "Term / amount secured"])
    screenshot("phone-tables-work-detail-en")


def test_a_match_report_an_evidence_record_and_a_draw_keep_their_hashes_inside_the_screen_on_a_phone(
    demo, page, layout, screenshot
):
    _sign_in(page, demo, "artist")
    page.set_viewport_size(PHONE)
    for language in ("zh", "en"):
        page.goto(f"{demo['url']}/matching/reports/1/")
        layout.no_sideways_scrolling()
        for table in page.locator("table.facts").all():
            _facts(layout, table)
        sha = page.get_by_test_id("query-sha256")
        assert sha.bounding_box()["x"] + sha.bounding_box()["width"] <= PHONE["width"]
        screenshot(f"phone-tables-match-report-{language}")

        page.goto(f"{demo['url']}/evidence/EV-2026-000001/")
        layout.no_sideways_scrolling()
        facts = _facts(layout, page.get_by_test_id("facts"))
        assert max(cell["lines"] for cell in facts.values()) >= 2  # the SHA-256 and SM3 of the manifest wrap
        _facts(layout, page.get_by_test_id("environment"))
        screenshot(f"phone-tables-evidence-record-{language}")

        page.goto(f"{demo['url']}/inspections/draws/1/")
        layout.no_sideways_scrolling()
        _facts(layout, page.locator("table.facts"))
        labels = ["标识", "检查对象"] if language == "zh" else ["Identifier", "Target"]
        for identifier, _name in _cards(layout, page.get_by_test_id("drawn-list"), labels):
            assert identifier["lines"] == 1  # 91440300MA5D7K019E on one line
        screenshot(f"phone-tables-inspections-draw-{language}")
        if language == "zh":
            layout.switch_language()


def test_a_contract_and_a_mediation_case_read_on_a_phone(demo, page, layout, screenshot):
    _sign_in(page, demo, "artist")
    page.set_viewport_size(PHONE)
    page.goto(f"{demo['url']}/licensing/contracts/LC-2026-000001/")
    layout.no_sideways_scrolling()
    terms = _facts(layout, page.get_by_test_id("terms"))
    assert terms["有效期间"]["lines"] == 1  # 2026-01-01 — 2027-12-31
    payments = _cards(layout, page.get_by_test_id("payments"), ["付款日期", "金额（元）", "付款凭证号"])
    for paid_on, amount, _reference in payments:
        assert paid_on["lines"] == 1 and amount["lines"] == 1
    screenshot("phone-tables-contract-zh")
    layout.switch_language()
    layout.no_sideways_scrolling()
    _facts(layout, page.get_by_test_id("terms"))
    _cards(layout, page.get_by_test_id("payments"), ["Payment date", "Amount (CNY)", "Payment reference"])
    screenshot("phone-tables-contract-en")

    page.goto(f"{demo['url']}/licensing/")
    layout.no_sideways_scrolling()
    _cards(layout, page.get_by_test_id("trades"), ["Trade no.", "Listing", "Trade price (CNY)", "Status"])

    page.context.clear_cookies()
    _sign_in(page, demo, "mediator")
    page.goto(f"{demo['url']}/mediation/cases/TJ-2026-000002/")
    for language in ("zh", "en"):
        layout.no_sideways_scrolling()
        _facts(layout, page.locator("table.facts"))
        assert page.get_by_test_id("clocks").evaluate("(t) => getComputedStyle(t).display") == "block"
        screenshot(f"phone-tables-mediation-case-{language}")
        if language == "zh":
            layout.switch_language()


def test_the_demo_artist_finds_the_agencys_open_proposal_on_the_dashboard_and_opens_the_contract(
    demo, page, layout, screenshot
):
    _sign_in(page, demo, "artist")
    page.set_viewport_size(PHONE)
    page.goto(f"{demo['url']}/dashboard/")
    layout.no_sideways_scrolling()
    waiting = page.get_by_test_id("proposals-to-answer")
    rows = _cards(layout, waiting, ["合同编号", "作品", "提议方", "提议的终止日", "提出时间"])
    assert len(rows) == 1 and all(cell["lines"] == 1 for cell in rows[0][:1] + rows[0][3:])
    screenshot("phone-tables-dashboard-proposal-zh")
    layout.switch_language()
    layout.no_sideways_scrolling()
    labels = ["Contract no.", "Work", "Proposed by", "Proposed termination date", "Proposed at"]
    _cards(layout, page.get_by_test_id("proposals-to-answer"), labels)
    screenshot("phone-tables-dashboard-proposal-en")
    page.get_by_test_id("proposals-to-answer").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("agree-termination").is_visible()
    page.context.clear_cookies()
    _sign_in(page, demo, "agency")
    page.goto(f"{demo['url']}/dashboard/")
    assert page.get_by_test_id("proposals-made").get_by_test_id("proposal-row").count() == 1
    assert page.get_by_test_id("proposals-to-answer").count() == 0


def test_statistics_stay_tables_on_a_phone_and_a_wide_one_scrolls_in_its_own_box_not_the_page(
    demo, page, layout, screenshot
):
    page.set_viewport_size(PHONE)
    page.goto(f"{demo['url']}/statistics/")
    panel = page.locator("section.panel").first
    panel.locator("details > summary").click()
    figures = panel.get_by_test_id("figures")
    assert figures.locator("thead").is_visible()  # 月份 | 件数, a table: cards would put one number on each
    rows = layout.cells(figures)
    assert len(rows) == 12
    for month, count in rows:
        assert abs(month["top"] - count["top"]) < 1 and month["right"] <= count["left"] + 1
        assert month["label"] in ("none", "normal")
    layout.no_sideways_scrolling()
    screenshot("phone-tables-statistics-zh")

    # The same table with twelve more columns of numbers, as a month-by-series table would be: the box around it
    # scrolls sideways, the page does not, and the months stay in view while the numbers scroll.
    figures.evaluate(
        """(t) => { for (const row of t.rows) for (let i = 0; i < 12; i++)
                      row.insertAdjacentHTML("beforeend", row.parentElement.tagName === "THEAD"
                          ? "<th>Series " + i + "</th>" : "<td>123456</td>"); }"""
    )
    box = panel.locator(".figures-scroll")
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")
    layout.no_sideways_scrolling()
    month = figures.locator("tbody tr").first.locator("th")
    left = month.bounding_box()["x"]
    box.evaluate("(b) => { b.scrollLeft = 400; }")
    assert box.evaluate("(b) => b.scrollLeft") > 0
    assert abs(month.bounding_box()["x"] - left) < 1
    assert figures.locator("tbody tr").first.locator("td").first.bounding_box()["x"] < left  # scrolled under it
    screenshot("phone-tables-statistics-wide-zh")

    page.goto(f"{demo['url']}/statistics/")
    layout.switch_language()
    panel = page.locator("section.panel").first
    panel.locator("details > summary").click()
    assert panel.get_by_test_id("figures").locator("thead th").all_inner_texts() == ["Month", "Count"]
    layout.no_sideways_scrolling()
    screenshot("phone-tables-statistics-en")

    page.goto(f"{demo['url']}/statistics/report/2026/")
    _facts(layout, page.get_by_test_id("headline"))
    layout.no_sideways_scrolling()


_SKIP = re.compile(r"logout|/static/|/media/|/api/|/admin/|setlang|\.(csv|pdf|json|zip|wacz|png|txt)$|/csv|/download")


@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_page_of_the_demo_scrolls_sideways_on_a_phone(demo, page, layout, role):
    """Every page a role reaches from its home page in one click (one of each kind: one work, one case), in
    Chinese and in English, fits a phone's width (the pages behind them have tests of their own above)."""
    page.set_viewport_size(PHONE)
    if role:
        _sign_in(page, demo, role)
    base = demo["url"]
    wide = []
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        seen, kinds, queue = set(), {}, [(f"{base}/", 0)]
        while queue:
            url, depth = queue.pop(0)
            kind = re.sub(r"\d+", "N", urlparse(url).path)
            if url in seen or kinds.get(kind, 0) >= 1:
                continue
            seen.add(url)
            kinds[kind] = kinds.get(kind, 0) + 1
            response = page.goto(url)
            if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
                continue
            if not layout.fits_width():
                wide.append((language, url))
            if depth < 1:
                for href in page.eval_on_selector_all("main a[href], nav a[href]", "(as) => as.map((a) => a.href)"):
                    href = href.split("#")[0]
                    if href.startswith(base) and not _SKIP.search(urlparse(href).path):
                        queue.append((href, depth + 1))
        assert len(seen) > 3, seen
    assert wide == []
