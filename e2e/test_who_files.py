"""Who may file for whom, in the browser: signing up in one's real name, and an agency with a power of attorney."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from artrights.accounts.tests.factories import organisation
from artrights.registry.tests.factories import OWNER, artwork_png
from artrights.testing import LIN, TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_painter_signs_up_verifies_the_mailed_link_and_files_in_their_own_name(
    live_server, page, screenshot, tmp_path
):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_test_id("sign-up-link").click()
    page.wait_for_load_state()
    page.fill("input[name=username]", "lin-huajia")
    page.fill("input[name=real_name]", LIN["name"])
    page.fill("input[name=id_number]", "110105194912310021")  # a wrong check digit first
    page.fill("input[name=email]", "lin@example.test")
    page.fill("input[name=password1]", TEST_PASSWORD)
    page.fill("input[name=password2]", TEST_PASSWORD)
    page.check("input[name=truthful]")
    page.get_by_test_id("sign-up-submit").click()
    page.wait_for_load_state()
    assert "校验码错误" in page.content()
    screenshot("sign-up-bad-id-zh")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("sign-up-phone")
    page.set_viewport_size(DESKTOP)
    page.fill("input[name=id_number]", LIN["id_number"])
    page.fill("input[name=password1]", TEST_PASSWORD)
    page.fill("input[name=password2]", TEST_PASSWORD)
    page.get_by_test_id("sign-up-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("needs-contact").is_visible()
    assert LIN["id_number"] in page.get_by_test_id("identity").inner_text()
    screenshot("identity-unverified-zh")

    link = re.search(r"https?://\S+/accounts/verify-email/\S+/", mail.outbox[-1].body)
    assert link
    page.goto(base + "/" + link.group(0).split("://", 1)[1].split("/", 1)[1])
    page.wait_for_load_state()
    assert page.get_by_test_id("email-verified").is_visible()
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "You can apply" in page.get_by_test_id("can-file").inner_text()
    screenshot("identity-verified-en")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("identity-verified-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()

    image = tmp_path / "painting.png"
    image.write_bytes(artwork_png(121))
    page.goto(f"{base}/registry/digital/")
    assert "林画家" in page.get_by_test_id("filing-as-self").inner_text()
    assert not page.locator("input[name=owner_id_number]").count()
    page.fill("input[name=title]", "梧桐山的雾")
    page.fill("textarea[name=authors]", LIN["name"])
    page.fill("input[name=completed_on]", "2026-06-01")
    page.set_input_files("input[name=image]", str(image))
    page.get_by_test_id("digital-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "已备案"
    assert "林画家" in page.get_by_test_id("party-owner").inner_text()
    assert page.get_by_test_id("filed-by-owner").is_visible()


def test_an_agency_files_for_a_painter_with_the_power_of_attorney_named_on_the_record(
    live_server, page, screenshot, make_user, tmp_path, login
):
    make_user("e2e-agent", "agency", organisation=organisation(name="深圳示例版权代理有限公司"))
    make_user("e2e-registrar", "registrar")
    image = tmp_path / "painting.png"
    image.write_bytes(artwork_png(122))
    letter = tmp_path / "林画家授权委托书.pdf"
    letter.write_bytes(b"%PDF-1.4\n% signed by the owner\n%%EOF\n")
    login("e2e-agent")
    page.goto(f"{live_server.url}/registry/apply/")
    assert page.get_by_test_id("filing-as-agent").is_visible()
    page.fill("input[name=title]", "大芬村的早晨")
    page.fill("textarea[name=authors]", "林画家/林")
    page.fill("input[name=completed_on]", "2026-03-01")
    page.fill("textarea[name=description]", "油画，描绘大芬村清晨的街景。")
    page.select_option("select[name=owner_kind]", "natural")
    page.fill("input[name=owner_name]", OWNER.name)
    page.select_option("select[name=owner_id_type]", "resident_id")
    page.fill("input[name=owner_id_number]", OWNER.id_number)
    page.set_input_files("input[name=samples]", str(image))
    page.set_input_files("input[name=power_of_attorney]", str(letter))
    screenshot("agency-application-zh")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("agency-application-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("apply-submit").click()
    page.wait_for_load_state()
    agent = page.get_by_test_id("agent").inner_text()
    assert "深圳示例版权代理有限公司" in agent and "林画家授权委托书.pdf" in agent
    assert "林画家" in page.get_by_test_id("party-owner").inner_text()
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "已提交"
    page.goto(f"{live_server.url}/registry/clients/")
    clients = page.get_by_test_id("clients").inner_text()
    assert "林画家" in clients and "林画家授权委托书.pdf" in clients and "大芬村的早晨" in clients
    screenshot("agency-clients-zh")
    page.set_viewport_size(PHONE)
    _no_sideways_scrolling(page)
    screenshot("agency-clients-phone")
    page.set_viewport_size(DESKTOP)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    assert "Power of attorney" in page.get_by_test_id("clients").inner_text()
    screenshot("agency-clients-en")
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()

    login("e2e-registrar")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/registry/review/")
    page.get_by_role("link", name="大芬村的早晨").first.click()
    page.wait_for_load_state()
    assert "Power of attorney" in page.get_by_test_id("agent").inner_text()
    screenshot("agency-dossier-en")
    href = page.get_by_test_id("power-of-attorney").get_attribute("href")
    opened = page.request.get(f"{live_server.url}{href}")
    assert opened.ok and opened.body().startswith(b"%PDF-")
