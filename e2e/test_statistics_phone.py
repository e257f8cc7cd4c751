"""The public statistics' charts on a phone (375 px), in Chinese and in English: horizontal bars drawn at the phone's
width, each label readable (at least 12 px) and clear of the others, while a wide screen keeps its columns."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# The drawn texts of each visible chart: their box and their size on the screen.
_TEXTS = """(section) => [...section.querySelectorAll('svg.chart')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => [...svg.querySelectorAll('text')].map((t) => {
    const box = t.getBoundingClientRect();
    return {text: t.textContent, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
            size: box.height};
  }))"""


def _overlap(a, b):
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


def _readable_on_a_phone(page, key, labels):
    section = page.get_by_test_id(f"series-{key}")
    charts = section.evaluate(_TEXTS)
    assert len(charts) == 1, key  # one chart shown: the bars drawn for a phone
    texts = charts[0]
    assert all(t["size"] >= 12 for t in texts), (key, min(t["size"] for t in texts))
    assert all(t["right"] <= 375 for t in texts), key
    drawn = " ".join(t["text"] for t in texts)
    for label in labels:
        assert label.replace(" ", "") in drawn.replace(" ", ""), (label, drawn)
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _overlap(a, b)]
    assert clashes == []


def test_the_statistics_charts_are_bars_a_phone_can_read_and_columns_on_a_wide_screen(
    live_server, page, screenshot, artist, registrar
):
    from artrights.licensing.tests import factories

    factories.registered(artist, registrar)
    factories.registered(artist, registrar, seed=47, title="另一幅作品")
    page.goto(f"{live_server.url}/statistics/")
    registrations = page.get_by_test_id("series-registrations")
    assert registrations.locator("svg.chart-wide").is_visible()
    assert not registrations.locator("svg.chart-narrow").is_visible()
    screenshot("statistics-chart-zh")
    page.set_viewport_size(PHONE)
    assert not registrations.locator("svg.chart-wide").is_visible()
    assert registrations.locator("svg.chart-narrow rect").count() == 12
    _readable_on_a_phone(page, "registrations", ["一月", "二月", "六月", "十一月", "十二月"])
    _readable_on_a_phone(page, "by_type", ["美术"])
    _readable_on_a_phone(page, "mediation_durations", ["15 日以内", "60 日以上"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot("statistics-chart-phone-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    _readable_on_a_phone(page, "registrations", ["Jan.", "Feb.", "June", "Nov.", "Dec."])
    _readable_on_a_phone(page, "by_type", ["Fine art"])
    _readable_on_a_phone(page, "mediation_durations", ["Up to 15 days", "Over 60 days"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot("statistics-chart-phone-en")
    page.set_viewport_size(DESKTOP)
    assert page.get_by_test_id("series-registrations").locator("svg.chart-wide").is_visible()
    screenshot("statistics-chart-en")
