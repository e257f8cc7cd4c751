"""Computer software registration in the browser: the applicant files the R11 form with a source tree, reviews the
deposit the platform built and submits; a copy of that code is held and its registrar compares the passages side
by side (Chinese, English and phone width)."""

import pytest

from artrights.registry.tests.factories import manual, program_source, zip_tree
from artrights.testing import LIN, WU

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _fill_form(page, tmp_path, *, title: str, seed: int) -> None:
    archive = tmp_path / f"src-{seed}.zip"
    archive.write_bytes(zip_tree({f"pos/module_{seed}.py": program_source(seed)}))
    docs = tmp_path / "用户手册.md"
    docs.write_bytes(manual().read())
    page.fill("input[name=title]", title)
    page.fill("input[name=short_name]", "收银系统")
    page.fill("input[name=version]", "V1.0")
    page.fill("input[name=completed_on]", "2026-06-01")
    page.fill("textarea[name=hardware_environment]", "x86-64 台式机")
    page.fill("textarea[name=software_environment]", "Linux，Python 3.11")
    page.fill("input[name=languages]", "Python")
    page.fill("textarea[name=main_functions]", "画作定价、库存和收银。")
    page.fill("textarea[name=technical_features]", "按画幅面积自动定价。")
    page.set_input_files("input[name=source_archive]", str(archive))
    page.set_input_files("input[name=documentation]", str(docs))


def test_an_owner_files_software_reviews_the_deposit_and_a_copy_is_held_for_the_registrar(
    live_server, page, screenshot, make_user, tmp_path, login
):
    make_user("e2e-coder", "artist", identity=LIN)
    make_user("e2e-copier", "artist", identity=WU)
    registrar = make_user("e2e-registrar", "registrar")

    login("e2e-coder")
    page.goto(f"{live_server.url}/registry/software/")
    _fill_form(page, tmp_path, title="大芬画廊收银系统", seed=41)
    screenshot("software-form-zh")
    page.get_by_test_id("software-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "草稿"
    assert "请核对鉴别材料" in page.get_by_test_id("review-deposit").inner_text()
    assert "源程序鉴别材料" in page.get_by_test_id("materials").inner_text()
    screenshot("software-draft-deposit-zh")
    page.set_viewport_size(PHONE)
    screenshot("software-draft-deposit-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state()
    assert page.dialogs, "submitting is irreversible: the page must ask first"
    assert page.get_by_test_id("work-status").inner_text() == "已提交"
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()

    login("e2e-copier")
    page.goto(f"{live_server.url}/registry/software/")
    _fill_form(page, tmp_path, title="另一个收银系统", seed=41)
    page.get_by_test_id("software-submit").click()
    page.wait_for_load_state()
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "待人工审查"
    assert "passages" not in page.content()
    held_url = page.url
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()

    login(registrar.username)
    page.goto(held_url)
    assert "step_41_0" in page.get_by_test_id("passages").inner_text()
    screenshot("software-held-passages-zh")
    page.set_viewport_size(PHONE)
    screenshot("software-held-passages-phone")
    # The code stays inside a phone's width (it scrolls within its own box).
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(held_url)
    assert "Held for review" in page.get_by_test_id("held-notice").inner_text()
    assert "largely matches" in page.get_by_test_id("held-notice").inner_text()
    screenshot("software-held-passages-en")
    page.get_by_label("Screening note", exact=False).fill("The two firms share the code under a written licence.")
    page.get_by_test_id("action-clear_hold").click()
    page.wait_for_load_state()
    assert page.dialogs
    page.get_by_test_id("action-accept").click()
    page.wait_for_load_state()
    screenshot("software-accepted-en")
    page.goto(f"{live_server.url}/registry/software/")
    screenshot("software-form-en")
