"""The registry's documents and the owner's openings in the browser: the documents list on the work page, the
downloads, the warning before the file with the ID number, and the verification page that opens the owner."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from artrights.core.services import PartyInput
from artrights.registry.tests.factories import OWNER, samples, work_fields
from artrights.testing import LIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
BANK = PartyInput(
    name="示例银行股份有限公司深圳分行", id_type="uscc", id_number="91350100M000100Y43", kind="organisation"
)


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _download(page, locator, folder: Path) -> bytes:
    with page.expect_download() as info:
        locator.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(str(target))
    return target.read_bytes()


def test_an_applicant_downloads_the_receipt_and_the_correction_notice(
    live_server, page, screenshot, login, make_user, tmp_path
):
    from artrights.registry import services
    from artrights.registry.verification import platform_trust
    from artrights.verify import verify_bytes

    artist = make_user("docs-artist", "artist", identity=LIN)
    registrar = make_user("docs-registrar", "registrar")
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(93))
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    services.request_correction(work=work, registrar=registrar, notice="作品名称与样本题款不符，请更正名称。")
    base = live_server.url

    login("docs-artist")
    page.goto(f"{base}/registry/works/{work.pk}/")
    rows = page.get_by_test_id("documents")
    assert "受理通知书" in rows.inner_text() and "补正通知书" in rows.inner_text()
    assert "第 1 次补正" in page.get_by_test_id("document-correction_notice").inner_text()
    page.get_by_test_id("documents").scroll_into_view_if_needed()
    screenshot("documents-list-zh")
    notice = _download(page, page.get_by_test_id("document-correction_notice").get_by_role("link"), tmp_path)
    verdict = verify_bytes(notice, platform_trust())
    assert verdict.ok and verdict.document is not None and verdict.document.type == "correction_notice"

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{base}/registry/works/{work.pk}/")
    text = page.get_by_test_id("documents").inner_text()
    assert "Acceptance receipt" in text and "Correction notice" in text and "Correction round 1" in text
    screenshot("documents-list-en")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("documents-list-phone")

    # Anyone handed the notice can check it; the page says what it is and that it is not a registration.
    page.set_viewport_size(DESKTOP)
    (tmp_path / "notice.pdf").write_bytes(notice)
    page.goto(f"{base}/verify/")
    page.set_input_files("input[name=file]", str(tmp_path / "notice.pdf"))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    sentence = page.get_by_test_id("verdict-sentence").inner_text()
    assert sentence.startswith("Correction notice number") and "not a registration certificate" in sentence
    page.get_by_test_id("verdict").scroll_into_view_if_needed()
    screenshot("verify-notice-en")


def test_the_owner_is_warned_before_downloading_the_openings_and_a_court_can_open_the_owner_with_them(
    live_server, page, screenshot, login, make_user, tmp_path
):
    from artrights.registry import services

    artist = make_user("openings-artist", "artist", identity=LIN)
    registrar = make_user("openings-registrar", "registrar")
    work = services.file_digital_work(
        user=artist, fields=work_fields(title="前海晨雾"), owners=[OWNER], files=samples(94), issue_now=True
    )
    services.register_pledge(
        registrar=registrar,
        works=[work],
        pledgor=OWNER,
        pledgee=BANK,
        rights=["reproduction"],
        secured_amount=Decimal("100000"),
        debt_term_end=dt.date(2030, 1, 1),
    )
    base = live_server.url

    login("openings-artist")
    page.goto(f"{base}/registry/works/{work.pk}/")
    assert "著作权质权登记证书" in page.get_by_test_id("documents").inner_text()
    box = page.get_by_test_id("owner-openings")
    assert not page.get_by_test_id("openings-download").is_visible()  # behind the warning, closed by default
    box.locator("summary").click()
    warning = page.get_by_test_id("openings-warning").inner_text()
    assert "此文件含有您的证件号码" in warning and "例如法院" in warning
    box.scroll_into_view_if_needed()
    screenshot("owner-openings-warning-zh")
    certificate = _download(page, page.get_by_test_id("certificate-links").get_by_role("link").first, tmp_path)
    openings = _download(page, page.get_by_test_id("openings-download"), tmp_path)
    assert OWNER.id_number.encode() in openings and OWNER.id_number.encode() not in certificate

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{base}/registry/works/{work.pk}/")
    page.get_by_test_id("owner-openings").locator("summary").click()
    assert "This file contains your ID number" in page.get_by_test_id("openings-warning").inner_text()
    page.get_by_test_id("owner-openings").scroll_into_view_if_needed()
    screenshot("owner-openings-warning-en")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("owner-openings-warning-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()

    # A court gets the certificate and, from the owner, the openings file.
    (tmp_path / "certificate.pdf").write_bytes(certificate)
    (tmp_path / "owner-openings.json").write_bytes(openings)
    page.goto(f"{base}/verify/")
    page.set_input_files("input[name=file]", str(tmp_path / "certificate.pdf"))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    assert "owner-openings.json" in page.get_by_test_id("parties-unopened").inner_text()
    assert OWNER.id_number not in page.get_by_test_id("verdict").inner_text()
    page.set_input_files("input[name=file]", str(tmp_path / "certificate.pdf"))
    page.set_input_files("input[name=openings]", str(tmp_path / "owner-openings.json"))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    parties = page.get_by_test_id("opened-parties").inner_text()
    assert OWNER.name in parties and OWNER.id_number in parties and "居民身份证" in parties
    page.get_by_test_id("verdict").scroll_into_view_if_needed()
    screenshot("verify-opened-owner-zh")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("verify-opened-owner-phone")

    forged = json.loads(openings)
    forged["parties"][0]["value"]["id_number"] = "440304198801010015"
    (tmp_path / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    page.set_viewport_size(DESKTOP)
    page.set_input_files("input[name=file]", str(tmp_path / "certificate.pdf"))
    page.set_input_files("input[name=openings]", str(tmp_path / "forged.json"))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    assert "验证未通过" in page.get_by_test_id("verdict").inner_text()
    assert page.locator("li.bad[data-check=openings]").count() == 1
