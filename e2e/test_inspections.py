"""“Double random, one public” in the browser: the supervisor plans, commits and draws; an inspector enters a result
and withdraws from another target; the public page lists the draw with its record; every page in Chinese, in
English and at phone width."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _three_ways(page, screenshot, name):
    """The page as it is (Chinese), in English, and at phone width without sideways scrolling; back to Chinese."""
    screenshot(f"inspections-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"inspections-{name}-en")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(f"inspections-{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


@pytest.fixture
def cast(make_user):
    from artrights.inspections.tests import factories

    supervisor = make_user("inspections-supervisor", "supervisor", display_name="赵监管")
    factories.directory(supervisor, companies=8, listed=2)
    team = factories.inspectors(supervisor, 3)
    factories.item()
    return {"supervisor": supervisor, "inspectors": team}


def test_the_supervisor_plans_commits_and_draws_and_the_public_downloads_the_record(
    live_server, page, screenshot, login, cast
):
    from artrights.inspections.models import Draw
    from artrights.proofs import draw as drawing

    base = live_server.url
    login("inspections-supervisor")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="双随机抽查").first.click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "desk")
    page.get_by_test_id("new-plan").click()
    page.fill("input[name=name]", "2026 年度著作权保护双随机抽查")
    page.fill("input[name=dept]", "深圳市市场监督管理局")
    page.locator("input[name=items]").first.check()
    page.fill("textarea[name=ratio_lines]", "general/B/2 = 0.5")
    page.get_by_test_id("create-plan").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("plan-status").inner_text() == "待抽取"
    page.get_by_test_id("commit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("plan-status").inner_text() == "名录已冻结"
    page.get_by_test_id("draw").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("plan-status").inner_text() == "已抽取"
    assert any("不能撤回" in question for question in page.dialogs)  # the irreversible acts asked first
    drawn = Draw.objects.get()
    assert page.get_by_test_id("drawn").locator("tbody tr").count() == drawn.drawn_count >= 2
    _three_ways(page, screenshot, "plan")
    page.goto(f"{base}/inspections/")
    assert drawn.number in page.get_by_test_id("public-draws").inner_text()
    _three_ways(page, screenshot, "public")
    with page.expect_download() as download:
        page.get_by_test_id("public-record").first.click()
    record = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert record["format"] == "artrights-draw/v1" and drawing.verify_draw(record) == []


def test_an_inspector_enters_a_result_and_withdraws_from_another_target(live_server, page, screenshot, login, cast):
    from artrights.inspections.models import Assignment, Result
    from artrights.inspections.tests import factories

    found = factories.drawn(cast["supervisor"])
    counts = {}
    for a in Assignment.objects.filter(draw=found).select_related("inspector__user"):
        counts.setdefault(a.inspector.user.username, []).append(a)
    username, mine = max(counts.items(), key=lambda kv: len(kv[1]))
    assert len(mine) >= 2
    base = live_server.url
    login(username)
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="我的检查任务").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("task").count() == len(mine)
    _three_ways(page, screenshot, "tasks")
    first = page.get_by_test_id("task").first
    # the day of the draw where the platform stands (Asia/Shanghai): its UTC date is the day before after 16:00 UTC
    first.locator("input[name=check_date]").fill(timezone.localtime(found.drawn_at).date().isoformat())
    first.locator("select[name=outcome]").select_option("rectify")
    first.locator("textarea[name=findings]").fill("店内 2 幅复制品未取得许可，已责令下架。")
    first.get_by_test_id("enter-result").click()
    page.wait_for_load_state()
    assert Result.objects.get().status == "pending_audit"
    second = page.get_by_test_id("task").nth(1)
    second.locator("summary", has_text="回避申报").click()
    second.locator("input[name=reason]").fill("近亲属在该企业任职")
    second.get_by_test_id("recuse").click()
    page.wait_for_load_state()
    assert "已回避" in page.content()
    assert Assignment.objects.filter(draw=found, active=False, recusal_reason="近亲属在该企业任职").count() == 1
    screenshot("inspections-tasks-after-zh")
