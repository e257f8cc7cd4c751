"""The inbox and account settings in the browser: the unread count in the header, opening a notification, marking
all read, choosing the language; in Chinese, in English and on a phone-sized screen."""

import pytest

from artrights.accounts.services import issue_token, revoke_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "梧桐山日出系列作品批量登记同步脚本（每日凌晨两点运行，勿删）"


@pytest.fixture
def reader(make_user):
    user = make_user("e2e-reader", "artist", display_name="何读者", email="he@example.cn")
    first, _raw = issue_token(user=user, name=LONG_NAME, scopes=["read", "write"])
    revoke_token(user=user, token=first)
    issue_token(user=user, name="信用查询对接", scopes=["read"])
    return user


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_user_opens_a_notification_from_the_header_and_marks_the_rest_read(
    live_server, page, login, screenshot, reader
):
    login(reader.username)
    assert page.get_by_test_id("unread-count").inner_text() == "3"
    page.get_by_test_id("inbox-link").click()
    page.wait_for_load_state()
    items = page.get_by_test_id("notification")
    assert items.count() == 3
    assert items.first.inner_text().startswith("您的账户创建了API令牌“信用查询对接”")
    assert page.get_by_test_id("unread-tag").count() == 3
    screenshot("inbox-zh")

    items.first.locator("a").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/account/tokens/"
    assert page.get_by_test_id("unread-count").inner_text() == "2"

    page.get_by_test_id("inbox-link").click()
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").count() == 0
    assert page.get_by_test_id("unread-tag").count() == 0
    assert "已将 2 条消息标为已读。" in page.locator(".messages").inner_text()
    screenshot("inbox-all-read-zh")

    page.get_by_test_id("settings-link").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("settings-title").inner_text() == "账户设置"
    screenshot("account-settings-zh")


def test_the_inbox_and_settings_read_in_english_and_the_choice_is_kept_for_e_mail(
    live_server, page, login, screenshot, reader
):
    login(reader.username)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.get_by_test_id("inbox-link").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("inbox-title").inner_text() == "Inbox"
    assert (
        page.get_by_test_id("notification")
        .first.inner_text()
        .startswith('An API token "信用查询对接" was created for your account')
    )
    screenshot("inbox-en")
    page.get_by_test_id("settings-link").click()
    page.wait_for_load_state()
    assert page.locator("select[name=language]").input_value() == "en"
    screenshot("account-settings-en")
    reader.refresh_from_db()
    assert reader.language == "en"

    page.select_option("select[name=language]", "zh-hans")
    page.get_by_test_id("settings-save").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("settings-title").inner_text() == "账户设置"
    assert "设置已保存。" in page.locator(".messages").inner_text()


def test_the_inbox_and_settings_fit_a_phone_screen(live_server, page, login, screenshot, reader):
    page.set_viewport_size({"width": 375, "height": 812})
    login(reader.username)
    page.goto(f"{live_server.url}/inbox/")
    assert page.get_by_test_id("notification").count() == 3
    _no_sideways_scrolling(page)
    screenshot("inbox-phone-zh")
    page.goto(f"{live_server.url}/account/settings/")
    _no_sideways_scrolling(page)
    screenshot("account-settings-phone-zh")
