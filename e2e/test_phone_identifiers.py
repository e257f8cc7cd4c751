"""Identifiers and dates on a phone (375 px), in Chinese and in English: a registration number, a contract or filing
number and a date never break inside themselves (no "粤作登字-2026-F-" on one line and "00000001" on the next),
wherever they are printed (a heading, a table, a sentence, an inbox line), and the page still never scrolls sideways
(long hashes keep breaking)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}

# Each identifier the script marked: its text, how many lines it takes and whether it is wider than its box (then,
# and only then, it may break).
_IDENTS = """() => [...document.querySelectorAll('.ident')].map((el) => {
  const box = el.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.6;
  const room = el.parentElement.getBoundingClientRect().width;
  return {text: el.textContent, lines: Math.round(box.height / line), tooWide: box.width >= room - 1};
})"""


def _check(page, *expected):
    idents = page.evaluate(_IDENTS)
    marked = {i["text"] for i in idents}
    for text in expected:
        assert any(text in m for m in marked), (text, sorted(marked))
    broken = [i for i in idents if i["lines"] > 1 and not i["tooWide"]]
    assert broken == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_numbers_and_dates_stay_whole_on_a_phone_in_both_languages(
    live_server, page, screenshot, login, artist, outsider, registrar
):
    from django.utils import timezone

    from artrights.licensing.tests import factories

    work = factories.registered(artist, registrar, title="大芬村的早晨，油画系列之一（修订稿）")
    start = timezone.localdate() - dt.timedelta(days=30)
    licence = factories.signed(
        factories.contract(artist, outsider, work, start=start, rights=["reproduction"], licensee_industry="出版"),
        outsider,
        artist,
    )
    licence.refresh_from_db()
    filing = licence.filing.number
    page.set_viewport_size(PHONE)
    login("artist-lin")
    pages = [
        (f"/licensing/contracts/{licence.number}/", "contract", [licence.number, filing, start.isoformat()]),
        (f"/registry/works/{work.pk}/", "work", [work.number]),
        ("/inbox/", "inbox", [licence.number]),
    ]
    for path, name, expected in pages:
        page.goto(f"{live_server.url}{path}")
        _check(page, *expected)
        screenshot(f"phone-identifiers-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    for path, name, expected in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "en"
        _check(page, *expected)
        screenshot(f"phone-identifiers-{name}-en")
    # A link keeps its underline across the number it shows; a form field's value is left as it is.
    page.goto(f"{live_server.url}/licensing/")
    link = page.locator("a .ident").first
    assert "underline" in link.evaluate("(el) => getComputedStyle(el).textDecorationLine")
    assert page.locator("input .ident, option .ident, textarea .ident").count() == 0
