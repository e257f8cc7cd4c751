"""The registration desk in the browser: a correction answered and granted; a copy of another owner's work held."""

from __future__ import annotations

import pytest

from artrights.registry.tests.factories import OTHER_OWNER, OWNER, artwork_png, samples, work_fields
from artrights.testing import LIN, WU

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


def _logout(page):
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_application_goes_through_a_correction_and_is_registered(live_server, page, login, screenshot, make_user):
    from artrights.registry import services

    artist = make_user("desk-artist", "artist", identity=LIN)
    make_user("desk-registrar", "registrar")
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(91))
    base = live_server.url

    login("desk-artist")
    page.goto(f"{base}/registry/works/{work.pk}/")
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "已提交" and page.dialogs
    _logout(page)

    login("desk-registrar")
    page.goto(f"{base}/registry/works/{work.pk}/")
    page.get_by_test_id("action-accept").click()
    page.get_by_test_id("action-start_review").click()
    page.get_by_text("发出补正通知").first.click()
    page.fill("textarea[name=notice]", "作品名称与样本题款不符，请更正名称。")
    page.get_by_role("button", name="发出补正通知").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "待补正"
    _logout(page)

    login("desk-artist")
    page.goto(f"{base}/registry/works/{work.pk}/")
    assert "作品名称与样本题款不符" in page.get_by_test_id("correction-notice").inner_text()
    screenshot("correction-notice-zh")
    page.get_by_test_id("answer-correction").click()
    page.wait_for_load_state()
    page.fill("input[name=title]", "大芬村的清晨")
    page.fill("textarea[name=note]", "已按题款更正名称。")
    screenshot("correction-form-zh")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("correction-form-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_test_id("submit-correction").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "审核中"
    _logout(page)

    login("desk-registrar")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{base}/registry/works/{work.pk}/")
    changes = page.get_by_test_id("correction-changes").inner_text()
    assert "大芬村的早晨" in changes and "大芬村的清晨" in changes
    screenshot("correction-reviewed-en")
    page.get_by_test_id("action-register").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-number").inner_text().startswith("粤作登字-")


def test_a_digital_filing_of_another_owners_painting_is_held_for_a_registrar(
    live_server, page, login, screenshot, make_user, tmp_path
):
    from artrights.registry import services

    owner = make_user("held-owner", "artist", identity=LIN)
    make_user("held-copier", "artist", identity=WU)
    make_user("held-registrar", "registrar")
    services.file_digital_work(user=owner, fields=work_fields(), owners=[OWNER], files=samples(92))
    image = tmp_path / "same.png"
    image.write_bytes(artwork_png(92))
    base = live_server.url

    login("held-copier")
    page.goto(f"{base}/registry/digital/")
    page.fill("input[name=title]", "我的画")
    page.fill("textarea[name=authors]", OTHER_OWNER.name)
    page.fill("input[name=completed_on]", "2026-05-01")
    page.set_input_files("input[name=image]", str(image))
    page.get_by_test_id("digital-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "待人工审查"
    assert not page.get_by_test_id("work-number").count()
    notice = page.get_by_test_id("held-notice").inner_text()
    assert "人工审查" in notice and "粤数备字" not in notice  # the copier learns nothing about the other work
    screenshot("held-filing-applicant-zh")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("held-filing-applicant-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    _logout(page)

    login("held-registrar")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{base}/registry/review/")
    screenshot("review-queue-en")
    page.get_by_role("link", name="我的画").first.click()
    page.wait_for_load_state()
    assert "different rights holder" in page.get_by_test_id("duplicate-warning").inner_text()
    screenshot("held-filing-registrar-en")
