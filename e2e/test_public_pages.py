"""The public service pages in a browser: API docs, the public log, the service guide, error pages and the
verification page, in Chinese, in English and on a phone-sized screen without sideways scrolling."""

import pytest

from artrights.ledger import services as ledger
from artrights.registry import services
from artrights.registry.tests.factories import OWNER, samples, work_fields
from artrights.testing import LIN, TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def console_errors(page):
    """Script and policy errors the page logs, and any request of ours that failed (a missing file, a refusal)."""
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
    )
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def _filed_work(make_user, username, title, seed, *, with_certificate):
    """A digital filing by a new artist, straight through the service (the browser only reads the result)."""
    artist = make_user(username, "artist", identity=LIN)
    return services.file_digital_work(
        user=artist, fields=work_fields(title=title), owners=[OWNER], files=samples(seed), issue_now=with_certificate
    )


def _to_english(page):
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def _on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"


def test_the_api_docs_list_the_operations_under_the_platforms_csp(live_server, page, screenshot, console_errors):
    response = page.goto(f"{live_server.url}/api/docs")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/accounts/me" in summaries and "/api/registry/digital-filings" in summaries
    assert not [e for e in console_errors if "Content Security Policy" in e]
    screenshot("api-docs")
    _on_a_phone(page)
    screenshot("api-docs-phone")


def test_anyone_reads_the_public_log_and_how_to_audit_it(live_server, page, screenshot, make_user, console_errors):
    work = _filed_work(make_user, "e2e-log-artist", "大鹏湾的风", 96, with_certificate=False)
    ledger.publish_checkpoint()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="公开日志").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("log-title").inner_text() == "公开日志"
    assert page.get_by_test_id("checkpoint-size").inner_text() == "1"
    entry = page.get_by_test_id("log-entry").first
    assert "数字作品备案" in entry.inner_text() and str(work.number) in entry.inner_text()
    entry.locator("summary").click()
    assert '"type": "artrights/digital-filing@v1"' in entry.locator("pre").inner_text()
    assert "大鹏湾的风" not in page.content() and OWNER.name not in page.content()
    assert f"{live_server.url}/log/checkpoint" in page.get_by_test_id("log-audit").inner_text()
    screenshot("public-log-zh")
    _to_english(page)
    assert "Digital work filing" in page.get_by_test_id("log-entry").first.inner_text()
    assert "How to audit this log" in page.get_by_test_id("log-audit").inner_text()
    screenshot("public-log-en")
    _on_a_phone(page)
    screenshot("public-log-phone")
    assert not console_errors


def test_the_service_guide_is_one_click_from_every_page(live_server, page, screenshot, settings, console_errors):
    settings.ARTRIGHTS_CONTACT_PHONE = "0755-00000000"
    settings.ARTRIGHTS_CONTACT_EMAIL = "copyright@example.cn"
    page.goto(f"{live_server.url}/verify/")
    page.get_by_test_id("nav-guide").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("guide-title").inner_text() == "办事指南"
    assert "15 个工作日" in page.get_by_test_id("guide-review-days").inner_text()
    assert "60 日" in page.get_by_test_id("guide-correction-days").inner_text()
    assert "均不收取费用" in page.get_by_test_id("guide-fees").inner_text()
    contact = page.get_by_test_id("guide-contact").inner_text()
    assert "深圳市版权登记服务中心" in contact and "0755-00000000" in contact
    page.get_by_test_id("guide-faq").locator("summary").first.click()
    screenshot("guide-zh")
    _to_english(page)
    assert page.get_by_test_id("guide-title").inner_text() == "Service guide"
    assert "15 working days" in page.get_by_test_id("guide-review-days").inner_text()
    screenshot("guide-en")
    _on_a_phone(page)
    screenshot("guide-phone")
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("home-guide").click()
    page.wait_for_load_state()
    assert page.url.endswith("/guide/")
    assert not console_errors


def test_a_missing_or_forbidden_page_keeps_the_site_and_offers_a_way_back(
    live_server, page, screenshot, make_user, settings
):
    search = f"{live_server.url}/registry/search/"
    page.goto(f"{live_server.url}/registry/record/粤作登字-2026-F-99999999/", referer=search)
    assert page.get_by_test_id("error-page").is_visible()
    assert "页面不存在" in page.get_by_test_id("error-page").inner_text()
    screenshot("error-404-zh")
    page.get_by_test_id("error-back").click()
    page.wait_for_load_state()
    assert page.url.endswith("/registry/search/")
    page.goto(f"{live_server.url}/no-such-page/")
    _to_english(page)
    assert "Page not found" in page.get_by_test_id("error-page").inner_text()
    screenshot("error-404-en")
    _on_a_phone(page)
    screenshot("error-404-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    artist = make_user("e2e-forbidden", "artist")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_test_id("username").fill(artist.username)
    page.get_by_test_id("password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/registry/review/")
    assert "Not allowed" in page.get_by_test_id("error-page").inner_text()
    screenshot("error-403-en")
    page.get_by_test_id("lang-switch").click()  # back to Chinese
    page.wait_for_load_state()
    assert "没有权限" in page.get_by_test_id("error-page").inner_text()
    screenshot("error-403-zh")
    _on_a_phone(page)
    screenshot("error-403-phone")


def test_the_verification_page_speaks_the_readers_language(live_server, page, screenshot, make_user, tmp_path):
    work = _filed_work(make_user, "e2e-verify-artist", "莲花山的黄昏", 97, with_certificate=True)
    pdf = tmp_path / "certificate.pdf"
    with work.certificates.get().pdf.open("rb") as fh:
        pdf.write_bytes(fh.read())
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    sentence = page.get_by_test_id("verdict-sentence").inner_text()
    assert sentence.startswith(f"数字作品备案 {work.number} 已记入公开日志") and sentence.endswith("（北京时间）。")
    verdict = page.get_by_test_id("verdict").inner_text()
    assert "日志包含证明" in verdict and "inclusion_proof" not in verdict and "VALID" not in verdict
    screenshot("verify-verdict-zh")
    _on_a_phone(page)
    screenshot("verify-verdict-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    _to_english(page)
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    sentence = page.get_by_test_id("verdict-sentence").inner_text()
    assert sentence.startswith(f"Digital work filing {work.number} is entry") and sentence.endswith("(Beijing time).")
    screenshot("verify-verdict-en")


# Width of a quotation mark drawn in the page's own font, as a share of the font size.
_QUOTE_WIDTH = """() => {
  const probe = document.createElement('span');
  probe.textContent = '“';
  document.querySelector('main, body').appendChild(probe);
  const share = probe.getBoundingClientRect().width / parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  return share;
}"""


def test_quotation_marks_are_full_width_in_chinese_and_narrow_in_english(live_server, page):
    page.goto(f"{live_server.url}/statistics/")
    assert page.evaluate(_QUOTE_WIDTH) > 0.9  # “未开通” in Chinese: a full-width mark
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate(_QUOTE_WIDTH) < 0.6  # “not open” in English, without a gap on each side
