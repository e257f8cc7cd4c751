"""Mediation in the browser: a rights holder applies, the organisation accepts and appoints, the respondent agrees,
the mediator signs for the file, writes the agreement and everyone signs it; the mediator's desk with its conflict
declaration, the organisation's intake, roster, judicial confirmation and statistics. Every page in Chinese, in
English and at phone width."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _three_ways(page, screenshot, name):
    """The page as it is (Chinese), in English, and at phone width without sideways scrolling; back to Chinese."""
    screenshot(f"mediation-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"mediation-{name}-en")
    page.set_viewport_size(PHONE)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 3).map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, wide)
    screenshot(f"mediation-{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


@pytest.fixture
def as_user(page, login):
    """Sign in as ``username`` after clearing whoever was signed in."""

    def switch(username):
        page.context.clear_cookies()
        login(username)

    return switch


@pytest.fixture
def cast(make_user):
    from artrights.mediation.tests import factories
    from artrights.testing import LIN, WU

    org = factories.mediation_org("深圳市版权纠纷调解委员会")
    admin = factories.staff(org, name="张管理")
    return {
        "org": org,
        "applicant": make_user("med-applicant", "artist", display_name="林画家", identity=LIN),
        "respondent": make_user("med-respondent", "artist", display_name="吴路人", identity=WU),
        "admin": admin,
        "mediator": factories.mediator(admin, name="李调解"),
    }


def test_a_case_from_application_to_an_agreement_everyone_signed(live_server, page, screenshot, as_user, cast):
    from artrights.mediation import services
    from artrights.mediation.models import Case, CaseStatus
    from artrights.testing import WU

    base = live_server.url
    as_user("med-applicant")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="申请调解").first.click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "apply")
    page.select_option("select[name=dispute_type]", "infringement")
    page.fill("textarea[name=summary]", "被申请人在网店销售印有我的油画的装饰画。")
    page.fill("input[name=claim]", "停止销售并赔偿损失")
    page.fill("input[name=amount]", "20000")
    page.fill("input[name=respondent_name]", WU["name"])
    page.select_option("select[name=respondent_id_type]", WU["id_type"])
    page.fill("input[name=respondent_id_number]", WU["id_number"])
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    case = Case.objects.get()
    assert page.get_by_test_id("case-status").inner_text() == "已申请"

    as_user(cast["admin"].username)
    page.goto(f"{base}/mediation/intake/")
    assert case.number in page.get_by_test_id("dues").inner_text()
    _three_ways(page, screenshot, "intake")
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("action-accept").locator("summary").click()
    page.select_option("select[name=accept]", "1")
    page.get_by_test_id("do-accept").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "已受理，征询被申请人"

    as_user("med-respondent")
    page.goto(f"{base}/mediation/")
    assert "答复是否同意调解" in page.get_by_test_id("dues").inner_text()
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("action-answer").locator("summary").click()
    page.select_option("select[name=consent]", "1")
    page.get_by_test_id("do-answer").click()
    page.wait_for_load_state()

    case = services.appoint(user=cast["admin"], case=Case.objects.get(), mediator=cast["mediator"])
    as_user(cast["mediator"].user.username)
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="我的调解案件").click()
    page.wait_for_load_state()
    assert "确认接受指派并签收案件" in page.get_by_test_id("dues").inner_text()
    page.get_by_test_id("conflict-form").locator("input[name=name]").fill("陈某")
    page.get_by_test_id("conflict-form").locator("input[name=id_number]").fill("440304198801010015")
    page.get_by_test_id("declare").click()
    page.wait_for_load_state()
    assert "陈某" in page.get_by_test_id("conflicts").inner_text()
    _three_ways(page, screenshot, "desk")
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("action-confirm").locator("summary").click()
    page.select_option("select[name=accept]", "1")
    page.get_by_test_id("do-confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "调解中"
    page.get_by_test_id("action-agreement").locator("summary").click()
    page.fill("textarea[name=facts]", "被申请人销售复制品 30 件。")
    page.fill("textarea[name=terms]", "被申请人停止销售并赔偿 8000 元。")
    page.get_by_test_id("do-agreement").click()
    page.wait_for_load_state()
    assert page.dialogs and "签名都将失效" in page.dialogs[-1]
    case.refresh_from_db()
    digest = case.agreement.sha256
    assert digest in page.get_by_test_id("agreement-hash").inner_text()

    for username in ("med-applicant", "med-respondent"):
        as_user(username)
        page.goto(f"{base}/mediation/cases/{case.number}/")
        page.get_by_test_id("sign-party").click()
        page.wait_for_load_state()
    _three_ways(page, screenshot, "case-signing")
    as_user(cast["mediator"].user.username)
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("sign-mediator").click()
    page.wait_for_load_state()
    as_user(cast["admin"].username)
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("sign-organisation").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "调解协议已生效"
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREEMENT_EFFECTIVE
    _three_ways(page, screenshot, "case-effective")

    for url, name in (
        ("/mediation/mediators/", "roster"),
        ("/mediation/confirmations/", "confirmations"),
        ("/mediation/statistics/", "statistics"),
    ):
        page.goto(f"{base}{url}")
        _three_ways(page, screenshot, name)


def test_a_court_liaison_delegates_a_case_from_the_dashboard_and_follows_it(
    live_server, page, screenshot, as_user, cast
):
    from artrights.mediation.models import Case
    from artrights.mediation.tests import factories

    judge = factories.court_liaison("深圳市南山区人民法院")
    base = live_server.url
    as_user(judge.username)
    page.goto(f"{base}/dashboard/")
    _three_ways(page, screenshot, "court-dashboard")
    page.get_by_role("link", name="委派或委托调解").first.click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "delegate")
    page.select_option("select[name=source]", "court_delegated")
    page.select_option("select[name=organisation]", str(cast["org"].pk))
    page.fill("textarea[name=summary]", "被告在网店销售原告油画的复制品。")
    page.fill("input[name=claim]", "停止侵权并赔偿损失")
    page.fill("input[name=applicant_name]", "林画家")
    page.fill("input[name=applicant_id_number]", "11010519491231002X")
    page.fill("input[name=respondent_name]", "吴路人")
    page.fill("input[name=respondent_id_number]", "440304198801010015")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert page.dialogs and "确定提交吗" in page.dialogs[-1]
    case = Case.objects.get()
    assert case.court == "深圳市南山区人民法院" and case.number in page.content()
    page.goto(f"{base}/mediation/")
    assert case.number in page.content()
    _three_ways(page, screenshot, "court-cases")


def test_the_case_page_is_titled_for_one_case_and_a_partys_obligation_card_has_no_lone_dash(
    live_server, page, screenshot, as_user, cast
):
    from artrights.mediation import services
    from artrights.mediation.models import Capacity
    from artrights.mediation.tests import factories

    people = cast["applicant"], cast["respondent"], cast["admin"], cast["mediator"]
    case = factories.mediating(*people)
    agreement = services.draft(
        user=cast["mediator"].user,
        case=case,
        facts="被申请人销售复制品 30 件。",
        terms="被申请人停止销售并赔偿 8000 元，分两期支付。",
        obligations=[
            services.ObligationInput(payer_id=case.respondents()[0].pk, due=factories.days_from_now(10), amount="5000"),
            services.ObligationInput(payer_id=case.respondents()[0].pk, due=factories.days_from_now(40), amount="3000"),
        ],
    )
    for user, capacity in (
        (cast["applicant"], Capacity.PARTY),
        (cast["respondent"], Capacity.PARTY),
        (cast["mediator"].user, Capacity.MEDIATOR),
        (cast["admin"], Capacity.ORGANISATION),
    ):
        services.sign(user=user, agreement=agreement, sha256=agreement.sha256, capacity=capacity)
    base = live_server.url

    # The mediator records the first payment; the second still has its form.
    as_user(cast["mediator"].user.username)
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("performance").first.click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("obligation")
    assert "已履行" in rows.nth(0).inner_text() and rows.nth(1).get_by_test_id("performance").count() == 1
    page.set_viewport_size(PHONE)
    # The performed obligation's card: what it is and its state, no empty action line with a dash.
    done = rows.nth(0).locator("td")
    assert [cell.is_visible() for cell in done.all()] == [True, True, False]
    screenshot("mediation-case-obligations-mediator-phone")
    page.set_viewport_size(DESKTOP)

    as_user("med-respondent")
    page.goto(f"{base}/mediation/cases/{case.number}/")
    assert page.title().startswith(f"调解案件 {case.number}")
    assert page.get_by_test_id("case-title").inner_text() == f"调解案件 {case.number}"
    # A party has nothing to record: each card shows the obligation and its state, nothing else.
    assert page.get_by_test_id("obligations").locator("thead th").count() == 2
    for row in page.get_by_test_id("obligation").all():
        assert row.locator("td").count() == 2
    page.get_by_test_id("obligations").scroll_into_view_if_needed()
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-title").inner_text() == f"Mediation case {case.number}"
    assert page.title().startswith(f"Mediation case {case.number}")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "case-obligations-party")
    page.set_viewport_size(PHONE)
    cards = page.get_by_test_id("obligation")
    for row in cards.all():
        assert "—" not in row.inner_text()
    page.set_viewport_size(DESKTOP)


def test_a_respondent_who_refuses_in_english_ends_the_case_in_each_readers_own_language(
    live_server, page, screenshot, as_user, cast
):
    from artrights.mediation.models import Case
    from artrights.mediation.tests import factories

    case = factories.accepted(cast["applicant"], cast["admin"])
    base = live_server.url
    as_user("med-respondent")
    page.goto(f"{base}/mediation/cases/{case.number}/")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.get_by_test_id("action-answer").locator("summary").click()
    page.select_option("select[name=consent]", "0")
    page.get_by_test_id("do-answer").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("ending").inner_text() == "The respondent does not agree to mediate."
    assert Case.objects.get().end_note == ""

    as_user("med-applicant")
    page.goto(f"{base}/mediation/cases/{case.number}/")
    assert page.get_by_test_id("ending").inner_text() == "被申请人不同意调解。"
    _three_ways(page, screenshot, "ending")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("ending").inner_text() == "The respondent does not agree to mediate."
