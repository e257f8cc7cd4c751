"""A notice sent by someone using the other language reads wholly in the reader's: the holder's "contract to sign"
names the kind of contract in Chinese on a Chinese page and in English on an English one, whichever language the
buyer who asked for each licence was using; in Chinese, in English and on a phone-sized screen."""

import datetime as dt

import pytest
from django.utils import translation

from artrights.licensing import services
from artrights.licensing.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def holder(artist, outsider, registrar):
    """The artist, told of two licences to sign (their numbers): one asked for by a buyer using English, one by a
    buyer using Chinese."""
    numbers = []
    for seed, language in ((31, "en"), (32, "zh-hans")):
        offer = factories.offer(artist, factories.registered(artist, registrar, seed=seed, title=f"梧桐山日出 {seed}"))
        with translation.override(language):
            contract = services.request_licence(
                user=outsider, offer=offer, valid_from=dt.date(2026, 12, 1), industry="出版"
            )
        numbers.append(contract.number)
    return artist, numbers


def _notices(page, numbers):
    """The texts of the two notices, among the registrations' in the same inbox."""
    items = [page.get_by_test_id("notification").filter(has_text=number) for number in numbers]
    assert [item.count() for item in items] == [1, 1]
    return [item.inner_text() for item in items]


def test_both_notices_read_in_chinese_then_in_english_and_open_the_contract(
    live_server, page, login, screenshot, holder
):
    holder, numbers = holder
    login(holder.username)
    page.goto(f"{live_server.url}/inbox/")
    for text in _notices(page, numbers):
        assert "的许可合同，请核对条款和合同哈希后签署" in text and "Licence" not in text
    screenshot("inbox-contract-to-sign-zh")

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/inbox/")
    for text in _notices(page, numbers):
        assert "Licence contract for “梧桐山日出" in text and "许可合同" not in text and "签署" not in text
    screenshot("inbox-contract-to-sign-en")

    page.get_by_test_id("notification").filter(has_text=numbers[0]).locator("a").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/licensing/contracts/{numbers[0]}/"


def test_the_notices_fit_a_phone_screen(live_server, page, login, screenshot, holder):
    holder, numbers = holder
    page.set_viewport_size({"width": 375, "height": 812})
    login(holder.username)
    page.goto(f"{live_server.url}/inbox/")
    for text in _notices(page, numbers):
        assert "的许可合同" in text and "Licence" not in text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("inbox-contract-to-sign-phone-zh")
