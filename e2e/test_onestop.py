"""The one-stop service in the browser: anyone reads the list of workstations; a painter brings a consultation to
the Dafen workstation from the dashboard, the workstation's staff member accepts it on the desk, writes a note and
closes it (asked to confirm), and the painter rates it. Every page in Chinese, in English and at phone width."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _three_ways(page, screenshot, name):
    """The page as it is (Chinese), in English, and at phone width without sideways scrolling; back to Chinese."""
    screenshot(f"onestop-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"onestop-{name}-en")
    page.set_viewport_size(PHONE)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 3).map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, wide)
    screenshot(f"onestop-{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


@pytest.fixture
def as_user(page, login):
    def switch(username):
        page.context.clear_cookies()
        login(username)

    return switch


@pytest.fixture
def station(make_user):
    from artrights.onestop.tests import factories

    clerk = make_user("station-clerk", "mediation_admin", display_name="黄站员")
    make_user("dafen-painter", "artist", display_name="刘画家")
    return factories.workstation(clerk)


def test_a_consultation_from_the_request_to_the_rating(live_server, page, screenshot, as_user, station):
    from artrights.onestop.models import ServiceRequest

    base = live_server.url
    page.goto(f"{base}/onestop/")
    assert station.name in page.get_by_test_id("workstations").inner_text()
    _three_ways(page, screenshot, "public")

    as_user("dafen-painter")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="一站式服务").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("new-request-link").click()
    page.wait_for_load_state()
    page.select_option("select[name=type]", "infringement_report")
    page.fill("textarea[name=description]", "网店在卖我的油画的复制品。")
    page.get_by_test_id("submit-request").click()
    page.wait_for_load_state()
    assert "须填写侵权图片或网页的网址" in page.content()  # refused with the reason, nothing saved
    assert not ServiceRequest.objects.exists()
    _three_ways(page, screenshot, "new")
    page.select_option("select[name=type]", "consult")
    page.fill("textarea[name=description]", "想了解油画作品如何登记。")
    page.get_by_test_id("submit-request").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("request-status").inner_text() == "待受理"
    made = ServiceRequest.objects.get()
    assert made.deadline.isoformat() in page.get_by_test_id("deadline").inner_text()

    as_user("station-clerk")
    page.goto(f"{base}/onestop/desk/")
    assert page.get_by_test_id("queue-row").count() == 1
    _three_ways(page, screenshot, "desk")
    page.get_by_test_id("queue-row").get_by_role("link").click()
    page.wait_for_load_state()
    page.get_by_test_id("triage").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("request-status").inner_text() == "已分派"
    page.fill("form[data-testid=note-form] textarea[name=text]", "已电话联系，介绍了登记流程。")
    page.get_by_test_id("add-note").click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "handling")
    page.get_by_test_id("close-form").locator("xpath=..").locator("summary").click()
    page.fill("textarea[name=outcome]", "已解答登记流程和所需材料。")
    page.get_by_test_id("close").click()
    page.wait_for_load_state()
    assert page.dialogs and "确定办结吗" in page.dialogs[-1]
    assert page.get_by_test_id("request-status").inner_text() == "已办结"

    as_user("dafen-painter")
    page.goto(f"{base}/onestop/requests/")
    assert page.get_by_test_id("request-status").inner_text() == "已办结"
    _three_ways(page, screenshot, "mine")
    page.goto(f"{base}/onestop/requests/{made.pk}/")
    assert "已电话联系" in page.get_by_test_id("notes").inner_text()
    page.select_option("select[name=rating]", "5")
    page.fill("form[data-testid=rate-form] textarea[name=comment]", "很耐心。")
    page.get_by_test_id("rate").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("rating").inner_text().startswith("5 / 5")
    _three_ways(page, screenshot, "rated")


def test_the_staff_announce_a_training_and_a_painter_takes_a_place(live_server, page, screenshot, as_user, station):
    import datetime as dt

    from django.utils import timezone

    from artrights.onestop.models import Signup

    base = live_server.url
    as_user("station-clerk")
    page.goto(f"{base}/onestop/desk/")
    page.get_by_test_id("training-form").locator("xpath=..").locator("summary").click()
    page.fill("input[name=topic]", "油画作品登记实务")
    page.fill("input[name=starts_at]", (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "大芬美术馆报告厅")
    page.fill("input[name=capacity]", "30")
    page.get_by_test_id("schedule").click()
    page.wait_for_load_state()
    as_user("dafen-painter")
    page.goto(f"{base}/onestop/")
    page.get_by_test_id("sign-up").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("places").inner_text() == "1 / 30"
    _three_ways(page, screenshot, "training")
    page.goto(f"{base}/onestop/requests/")
    page.get_by_test_id("cancel-signup").click()
    page.wait_for_load_state()
    assert page.dialogs and "确定取消报名吗" in page.dialogs[-1]
    assert Signup.objects.get().cancelled_at is not None


def test_the_staff_forward_a_mediation_referral_and_fill_in_a_registration_draft_for_the_painter(
    live_server, page, screenshot, as_user, make_user
):
    from artrights.mediation.tests import factories as mediation_factories
    from artrights.onestop import services
    from artrights.onestop.tests import factories
    from artrights.registry.tests import factories as registry_factories
    from artrights.testing import LIN

    clerk = make_user("station-clerk", "mediation_admin", display_name="黄站员")
    painter = make_user("dafen-painter", "artist", display_name="林画家", identity=LIN)
    station = factories.workstation(clerk)
    committee = mediation_factories.mediation_org("深圳市版权纠纷调解委员会")
    referral = factories.service_request(
        painter, station, type="mediation_referral", description="画廊出售我的油画复制品，协商未果。"
    )
    helped = factories.service_request(painter, station, type="registration_assist", description="请协助登记。")
    for request in (referral, helped):
        services.triage(user=clerk, request=request)
    base = live_server.url

    as_user("station-clerk")
    page.goto(f"{base}/onestop/requests/{referral.pk}/")
    page.get_by_test_id("refer").click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "refer")
    page.select_option("select[name=organisation]", str(committee.pk))
    page.fill("input[name=claim]", "停止销售复制品并赔偿损失")
    page.fill("input[name=amount]", "8000")
    page.fill("input[name=respondent_name]", "吴路人")
    page.fill("input[name=respondent_id_number]", "440304198801010015")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert page.dialogs and "确定转送吗" in page.dialogs[-1]
    assert page.get_by_test_id("request-status").inner_text() == "已转办"
    case_number = page.get_by_test_id("case").inner_text()
    assert case_number.startswith("TJ")

    page.goto(f"{base}/onestop/requests/{helped.pk}/")
    page.get_by_test_id("prepare-draft").click()
    page.wait_for_load_state()
    _three_ways(page, screenshot, "draft")
    form = registry_factories.application_form(seed=83)
    page.fill("input[name=title]", "大芬村的黄昏")
    page.select_option("select[name=work_type]", form["work_type"])
    page.fill("textarea[name=authors]", form["authors"])
    page.fill("input[name=completed_on]", form["completed_on"])
    page.fill("textarea[name=description]", "布面油画，描绘大芬村黄昏时的巷口。")
    page.set_input_files(
        "input[name=samples]",
        files=[{"name": "黄昏.png", "mimeType": "image/png", "buffer": registry_factories.artwork_png(83)}],
    )
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("request-status").inner_text() == "已转办", page.content()[:3000]

    as_user("dafen-painter")
    page.goto(f"{base}/onestop/requests/{helped.pk}/")
    assert "大芬村的黄昏" in page.get_by_test_id("draft").inner_text()
    _three_ways(page, screenshot, "draft-for-requester")
    page.get_by_test_id("draft").get_by_role("link").click()
    page.wait_for_load_state()
    assert "大芬村的黄昏" in page.content()
    page.goto(f"{base}/onestop/requests/{referral.pk}/")
    page.get_by_test_id("case").get_by_role("link").click()
    page.wait_for_load_state()
    assert case_number.split(" ")[0] in page.content()
