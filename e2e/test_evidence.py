"""Fixing evidence as a rights holder does it: files they already have, a match found by the engine, and the
sealed record with its package, in Chinese, in English and at a phone's width."""

from __future__ import annotations

import pytest

from artrights.matching.tests import factories as matching_factories
from artrights.registry.tests.factories import artwork_png
from artrights.registry.verification import platform_trust
from artrights.testing import LIN
from artrights.verify import verify_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def _settled(page):
    """Reload until the record is sealed or void (the worker runs in the request in tests, but a loaded machine
    may still be sealing when the page first shows)."""
    for _ in range(30):
        page.reload()
        if page.get_by_test_id("evidence-sealed").count() or page.get_by_test_id("evidence-void").count():
            return
        page.wait_for_timeout(1000)


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_rights_holder_fixes_files_and_downloads_a_package_that_verifies(
    live_server, page, screenshot, make_user, tmp_path, login
):
    owner = make_user("e2e-evidence", "artist", identity=LIN)
    shot = tmp_path / "网店截图.png"
    shot.write_bytes(artwork_png(311, (800, 600)))
    chat = tmp_path / "chat.txt"
    chat.write_text("店主：图是网上找的。", encoding="utf-8")

    login(owner.username)
    page.goto(f"{live_server.url}/evidence/")
    screenshot("evidence-index-empty-zh")
    form = page.get_by_test_id("files-form")
    form.locator("input[name=uploads]").set_input_files([str(shot), str(chat)])
    form.locator("textarea[name=description]").fill("网店商品页截图和与店主的聊天记录")
    form.locator("input[name=source_url]").fill("https://shop.example.com/item/1")
    page.get_by_test_id("files-submit").click()
    page.wait_for_load_state()
    assert page.dialogs and "不能撤回" in page.dialogs[-1]  # a public act asks first

    number = page.get_by_test_id("evidence-number").inner_text()
    assert number.startswith("EV-")
    page.reload()  # the worker sealed it right after the commit
    assert page.get_by_test_id("evidence-sealed").is_visible()
    assert page.get_by_test_id("artifact").count() == 3  # two files and the web archive made of them
    screenshot("evidence-record-sealed-zh")

    with page.expect_download() as download:
        page.get_by_test_id("download-package").click()
    package = download.value.path().read_bytes()
    verdict = verify_bytes(package, platform_trust())
    assert verdict.ok and verdict.number == number, verdict.summary()
    page.reload()
    assert "下载证据包" in page.get_by_test_id("custody").inner_text()

    page.get_by_test_id("verify-now").click()
    page.wait_for_load_state()
    assert "核验通过" in page.content()

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("evidence-sealed").is_visible()
    assert "Download the package" in page.content()
    screenshot("evidence-record-sealed-en")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("evidence-record-sealed-phone")
    _no_sideways_scrolling(page)
    page.goto(f"{live_server.url}/evidence/")
    screenshot("evidence-index-phone")
    _no_sideways_scrolling(page)


def test_a_match_becomes_evidence_in_one_click_and_the_public_page_verifies_its_package(
    live_server, page, screenshot, make_user, tmp_path, login
):
    owner = make_user("e2e-evidence-match", "artist", identity=LIN)
    report = matching_factories.report(owner, seed=312)
    login(owner.username)
    page.goto(f"{live_server.url}/matching/reports/{report.pk}/")
    page.get_by_test_id("fix-evidence").click()
    page.wait_for_load_state()
    number = page.get_by_test_id("evidence-number").inner_text()
    page.reload()
    assert page.get_by_test_id("evidence-sealed").is_visible()
    with page.expect_download() as download:
        page.get_by_test_id("download-package").click()
    package = tmp_path / f"{number}.wacz"
    package.write_bytes(download.value.path().read_bytes())

    # Anyone may check it on the public verification page, signed in or not.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("input[name=file]", str(package))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    assert "验证通过" in page.get_by_test_id("verdict").inner_text()
    assert page.locator("li[data-check=artifacts].ok").count() == 1
    screenshot("evidence-verify-package-zh")


def test_a_web_page_is_captured_from_its_address_and_a_dead_one_says_why(
    live_server, page, screenshot, make_user, login, settings
):
    import threading
    from http.server import ThreadingHTTPServer

    from artrights.evidence.tests.test_web_capture import _Shop
    from artrights.testing import allow_fetching

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_address[1])
    shop = f"http://127.0.0.1:{server.server_address[1]}"
    owner = make_user("e2e-evidence-web", "artist", identity=LIN)
    login(owner.username)
    try:
        page.goto(f"{live_server.url}/evidence/")
        page.get_by_test_id("capture-form").locator("input[name=url]").fill(f"{shop}/")
        page.get_by_test_id("capture-submit").click()
        page.wait_for_load_state()
        _settled(page)
        assert page.get_by_test_id("evidence-sealed").is_visible(), page.get_by_test_id(
            "evidence-status"
        ).all_inner_texts()
        assert page.get_by_test_id("screenshot").is_visible()
        assert "示例网店" in page.get_by_test_id("facts").inner_text()
        assert page.get_by_test_id("requests").locator("tr").count() >= 3
        screenshot("evidence-web-sealed-zh")

        page.goto(f"{live_server.url}/evidence/")
        page.get_by_test_id("capture-form").locator("input[name=url]").fill(f"{shop}/gone")
        page.get_by_test_id("capture-submit").click()
        page.wait_for_load_state()
        _settled(page)
        assert "404" in page.get_by_test_id("evidence-failure").inner_text()
        screenshot("evidence-web-void-zh")
        page.get_by_test_id("lang-switch").click()
        page.wait_for_load_state()
        assert "404" in page.get_by_test_id("evidence-failure").inner_text()
        assert "Not captured" in page.content()
        screenshot("evidence-web-void-en")
    finally:
        server.shutdown()
