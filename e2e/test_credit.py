"""IP credit in the browser: the supervisor's desk and forms, the listed agency's own page and its objection, the
partner's status query, the public query and the agency grades; every page in Chinese, in English and at phone
width."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _three_ways(page, screenshot, name):
    """The page as it is (Chinese), in English, and at phone width without sideways scrolling; back to Chinese."""
    screenshot(f"credit-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"credit-{name}-en")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(f"credit-{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


def _filler(page, *, fields=None, selects=None, checks=()):
    """Fill a form again after the language switch reloaded it: ``selects`` by value (a behaviour by its code)."""

    def fill():
        for name, value in (selects or {}).items():
            select = page.locator(f"select[name={name}]")
            option = select.locator("option", has_text=value) if name == "behaviour" else None
            select.select_option(option.first.get_attribute("value") if option else value)
        for selector in checks:
            page.check(selector)
        for selector, value in (fields or {}).items():
            page.fill(selector, value)

    return fill


@pytest.fixture
def cast(make_user):
    """A supervisor, a partner department's officer, and an agency with its member, already a credit subject with
    an old record (repairable) and a fresh one."""
    from artrights.accounts.models import OrganisationKind
    from artrights.accounts.tests.factories import organisation
    from artrights.credit.tests import factories

    department = organisation(OrganisationKind.DEPARTMENT, "深圳市市场监督管理局")
    agency = organisation(OrganisationKind.AGENCY, "深圳市浏览器代理有限公司")
    people = {
        "supervisor": make_user("credit-supervisor", "supervisor", organisation=department),
        "partner": make_user("credit-partner", "partner", organisation=department),
        "agent": make_user("credit-agent", "agency", organisation=agency),
    }
    subject = factories.subject(people["supervisor"], code=agency.uscc, name=agency.name, agency=True)
    old = factories.record(people["supervisor"], subject, behaviour="MAL_TM", decided_on=factories.days_ago(120))
    fresh = factories.record(people["supervisor"], subject)
    return {**people, "subject": subject, "old": old, "fresh": fresh}


def test_the_supervisor_records_lists_and_decides_on_the_desk(live_server, page, screenshot, login, cast):
    from artrights.credit import services
    from artrights.credit.models import ListEntry

    base = live_server.url
    objection = services.file_objection(user=cast["agent"], record=cast["fresh"], ground="error", text="文书号有误")
    repair = services.ask_repair(user=cast["agent"], record=cast["old"], measures_taken="已撤回申请并作出信用承诺")
    login("credit-supervisor")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="信用记录").click()
    page.wait_for_load_state()
    assert objection.number in page.get_by_test_id("due-objection").inner_text()
    assert repair.number in page.get_by_test_id("due-repair").inner_text()
    _three_ways(page, screenshot, "desk")

    page.get_by_test_id("subjects-link").click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "subjects")
    page.get_by_role("link", name=cast["subject"].name).click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "subject")

    page.get_by_test_id("new-record").click()
    page.wait_for_load_state()
    fill_record = _filler(
        page,
        selects={"behaviour": "ABN_PATENT"},
        fields={
            "input[name=source_dept]": "国家知识产权局",
            "input[name=decision_no]": "国知发〔2026〕808号",
            "input[name=decided_on]": cast["fresh"].decided_on.isoformat(),
        },
    )
    fill_record()
    _three_ways(page, screenshot, "record-form")
    fill_record()
    page.get_by_test_id("save-record").click()
    page.wait_for_load_state()
    assert page.dialogs and "公开日志" in page.dialogs[-1]
    assert page.get_by_test_id("record-status").inner_text() == "公示中"
    _three_ways(page, screenshot, "record")

    page.goto(f"{base}/credit/subjects/{cast['subject'].pk}/lists/new/")
    fill_proposal = _filler(
        page,
        checks=[f"input[name=records][value='{cast['old'].pk}']"],
        fields={"textarea[name=basis]": "一年内多次代理非正常申请", "input[name=decision_no]": "国知失信〔2026〕21号"},
    )
    fill_proposal()
    _three_ways(page, screenshot, "propose")
    fill_proposal()
    page.get_by_test_id("propose").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("entry-status").inner_text() == "拟列入"
    page.check("input[name=waived]")
    page.fill("textarea[name=note]", "当事人当日书面放弃陈述申辩")
    page.get_by_test_id("decide-listing").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("entry-status").inner_text() == "已列入"
    assert ListEntry.objects.get().status == "listed"
    _three_ways(page, screenshot, "entry")

    page.goto(f"{base}/credit/objections/{objection.number}/")
    _three_ways(page, screenshot, "objection")
    page.select_option("select[name=outcome]", "reject")
    page.fill("textarea[name=decision]", "决定有效，异议不成立。")
    page.get_by_test_id("decide").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("outcome").inner_text() == "异议不成立"

    page.goto(f"{base}/credit/repairs/{repair.number}/")
    _three_ways(page, screenshot, "repair")
    page.select_option("select[name=approve]", "1")
    page.fill("textarea[name=decision]", "整改到位，准予修复。")
    page.get_by_test_id("decide").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("outcome").inner_text() == "准予修复"


def test_the_agency_reads_its_credit_and_objects_to_a_record(live_server, page, screenshot, login, cast):
    base = live_server.url
    login("credit-agent")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="本机构信用").click()
    page.wait_for_load_state()
    assert "B" in page.get_by_test_id("subject-grade").inner_text()  # two abnormal applications: 100 - 10 - 10
    assert cast["fresh"].number in page.get_by_test_id("my-subject").inner_text()
    _three_ways(page, screenshot, "mine")

    page.goto(f"{base}/credit/records/{cast['old'].number}/repair/")
    page.fill("textarea[name=measures_taken]", "已撤回全部申请，完成合规培训。")
    _three_ways(page, screenshot, "repair-form")

    page.goto(f"{base}/credit/records/{cast['fresh'].number}/")
    page.get_by_test_id("object-link").click()
    page.wait_for_load_state()
    fill_objection = _filler(
        page, selects={"ground": "error"}, fields={"textarea[name=text]": "决定文书号有误，附更正通知。"}
    )
    fill_objection()
    _three_ways(page, screenshot, "object")
    fill_objection()
    page.get_by_test_id("submit-objection").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "处理中"
    page.goto(f"{base}/credit/records/{cast['fresh'].number}/")
    assert page.get_by_test_id("objection-annotation").count() == 1


def test_a_partner_queries_a_listed_agency_and_sees_the_measures_of_its_purpose(
    live_server, page, screenshot, login, cast
):
    from artrights.credit.tests import factories

    factories.listed(cast["supervisor"], cast["subject"], [cast["old"]], behaviour="MAL_TM")
    base = live_server.url
    login("credit-partner")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="信用查询").click()
    page.wait_for_load_state()
    page.fill("input[name=code]", cast["subject"].code)
    page.select_option("select[name=purpose]", "procurement")
    page.fill("input[name=authority]", "《政府采购法》第二十二条")
    page.fill("input[name=authorisation_ref]", "深采审〔2026〕5号")
    page.get_by_test_id("query-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("listed").count() == 1
    assert "依法限制参加政府采购活动" not in page.get_by_test_id("status").inner_text()  # a joint-list measure
    screenshot("credit-partner-result-zh")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot("credit-partner-result-phone")
    page.set_viewport_size(DESKTOP)
    _three_ways(page, screenshot, "partner")


def test_anyone_queries_published_credit_and_agency_grades_without_signing_in(live_server, page, screenshot, cast):
    base = live_server.url
    page.goto(f"{base}/credit/")
    page.get_by_test_id("credit-query").locator("input[name=q]").fill("浏览器代理")
    page.get_by_test_id("credit-query-submit").click()
    page.wait_for_load_state()
    assert cast["fresh"].number in page.get_by_test_id("records").inner_text()
    _three_ways(page, screenshot, "query")
    page.get_by_test_id("all-agencies").click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "agencies")
    page.get_by_role("link", name=cast["subject"].name).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("current-grade").count() == 1
    _three_ways(page, screenshot, "agency")
