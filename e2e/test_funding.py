"""The IP special fund in the browser: an owner applies from their registrations, the fund's administrator grants
and records the payment, the budget shows it; a listed owner is refused with the list and measure named, and the
refusal shows in the listing's measure feedback. Every page in Chinese, in English and at phone width."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
FORM_FILE = {"name": "资助申请表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% form\n"}


def _switch(page, login, username):
    """Sign out, then in as ``username``."""
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()
    login(username)


def _three_ways(page, screenshot, name):
    """The page as it is (Chinese), in English, and at phone width without sideways scrolling; back to Chinese."""
    screenshot(f"funding-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"funding-{name}-en")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(f"funding-{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


@pytest.fixture
def cast(make_user):
    """The fund's administrator (a supervisor of the city's department), a registrar, and two Shenzhen owners
    with two registered works each; one of them is on the Guangdong serious-dishonesty list."""
    from artrights.accounts.models import OrganisationKind
    from artrights.accounts.tests.factories import organisation
    from artrights.credit.tests import factories as credit
    from artrights.funding.tests import factories

    department = organisation(OrganisationKind.DEPARTMENT, "深圳市市场监督管理局")
    admin = make_user("fund-admin", "supervisor", organisation=department, display_name="赵资金")
    registrar = make_user("fund-registrar", "registrar")
    owner = make_user("fund-owner", "artist", display_name="郑深圳", identity=factories.shenzhen_identity("郑深圳"))
    listed = make_user("fund-listed", "artist", display_name="冯失信", identity=factories.shenzhen_identity("冯失信"))
    works = [factories.registered_work(owner, registrar, seed=s, title=f"深圳湾的早晨{s}") for s in (501, 502)]
    factories.registered_work(listed, registrar, seed=503, title="仿作的油画")
    programme = factories.programme(admin, name="2026年度作品著作权登记资助", name_en="Work registration subsidy 2026")
    subject = credit.person(admin, name=listed.party.name, code=listed.party.id_number)
    entry = credit.listed(admin, subject, list_type="gd_serious", behaviour="GD_WILFUL_INFRINGE")
    return {"admin": admin, "owner": owner, "works": works, "programme": programme, "entry": entry}


def test_an_owner_applies_and_the_fund_grants_pays_and_shows_the_budget(live_server, page, screenshot, login, cast):
    from artrights.funding.models import Application

    base, programme, works = live_server.url, cast["programme"], cast["works"]
    login("fund-owner")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="申请资助").first.click()
    page.wait_for_load_state()
    assert programme.name in page.get_by_test_id("open-programmes").inner_text()
    _three_ways(page, screenshot, "index")
    page.get_by_test_id("apply-link").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("apply-form")
    assert works[0].number in form.inner_text() and works[1].number in form.inner_text()
    _three_ways(page, screenshot, "apply")
    page.check(f"input[name=items][value='registry.work:{works[0].pk}']")
    page.check(f"input[name=items][value='registry.work:{works[1].pk}']")
    page.set_input_files("input[name=doc_0]", FORM_FILE)
    page.get_by_test_id("apply-submit").click()
    page.wait_for_load_state()
    assert page.dialogs and "信用" in page.dialogs[-1]
    application = Application.objects.get()
    assert page.get_by_test_id("application-number").inner_text() == application.number
    assert page.get_by_test_id("application-status").inner_text() == "待审核"
    assert page.get_by_test_id("claimed").inner_text() == "2000.00"
    _three_ways(page, screenshot, "application-submitted")

    _switch(page, login, "fund-admin")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="资助申请审核").click()
    page.wait_for_load_state()
    assert application.number in page.get_by_test_id("queue").inner_text()
    _three_ways(page, screenshot, "queue")
    page.get_by_role("link", name=application.number).click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "review")
    second = application.items.order_by("pk")[1]
    page.fill(f"input[name=amount_{second.pk}]", "0")
    page.fill(f"input[name=note_{second.pk}]", "登记日期不在本批次范围内")
    page.get_by_test_id("approve").click()
    page.wait_for_load_state()
    # A partial grant needs the reviewer's opinion: refused on the page, nothing changed.
    assert "审核意见" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("application-status").inner_text() == "待审核"
    page.fill(f"input[name=amount_{second.pk}]", "0")
    page.fill("textarea[name=note]", "第二件作品下一批次再申请。")
    page.get_by_test_id("approve").click()
    page.wait_for_load_state()
    assert "不能再获得其他资助" in page.dialogs[-1]
    assert page.get_by_test_id("application-status").inner_text() == "部分资助"
    assert page.get_by_test_id("approved").inner_text() == "1000.00"
    page.fill("input[name=voucher_no]", "SZCZ-2026-0101")
    page.get_by_test_id("pay").click()
    page.wait_for_load_state()
    assert "不能修改" in page.dialogs[-1]
    assert page.get_by_test_id("application-status").inner_text() == "已拨付"
    assert page.get_by_test_id("voucher").inner_text() == "SZCZ-2026-0101"
    _three_ways(page, screenshot, "paid")

    page.goto(f"{base}/funding/admin/budget/")
    row = page.get_by_test_id("budget-row").first
    assert row.get_by_test_id("paid").inner_text() == "1000.00"
    assert row.get_by_test_id("remaining").inner_text() == "99000.00"
    _three_ways(page, screenshot, "budget")
    page.goto(f"{base}/funding/admin/programmes/")
    _three_ways(page, screenshot, "programmes")

    _switch(page, login, "fund-owner")
    page.goto(f"{base}/funding/")
    assert "已拨付" in page.get_by_test_id("applications").inner_text()
    page.goto(f"{base}/inbox/")
    assert application.number in page.locator("main").inner_text()


def test_a_listed_owner_is_refused_naming_the_list_and_the_refusal_reaches_the_feedback(
    live_server, page, screenshot, login, cast
):
    from artrights.funding.models import Application

    base, programme, entry = live_server.url, cast["programme"], cast["entry"]
    login("fund-listed")
    page.goto(f"{base}/funding/programmes/{programme.code}/apply/")
    page.locator("input[name=items]").first.check()
    page.set_input_files("input[name=doc_0]", FORM_FILE)
    page.get_by_test_id("apply-submit").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("form-errors").inner_text()
    assert "广东省知识产权严重失信名单" in errors and entry.number in errors and "GD_FUNDING_BAN" in errors
    assert not Application.objects.exists()
    screenshot("funding-refused-on-credit-zh")
    # In English, the list and the measure are named in English.
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.locator("input[name=items]").first.check()
    page.set_input_files("input[name=doc_0]", FORM_FILE)
    page.get_by_test_id("apply-submit").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("form-errors").inner_text()
    assert "restricts fiscal funding" in errors and "No applications for government fiscal-fund projects" in errors
    screenshot("funding-refused-on-credit-en")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot("funding-refused-on-credit-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert not Application.objects.exists()

    _switch(page, login, "fund-admin")
    page.goto(f"{base}/credit/lists/{entry.number}/")
    reports = page.get_by_test_id("reports").inner_text()
    assert "深圳市市场监督管理局" in reports and "已实施" in reports
