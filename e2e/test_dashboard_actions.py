import pytest

from artrights.registry import services
from artrights.registry.tests.factories import OWNER, samples, work_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_recent_actions_read_as_words_in_chinese_in_english_and_on_a_phone(
    live_server, page, screenshot, login, artist
):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(seed=9))
    services.submit(work=work, user=artist)
    login(artist.username)
    page.goto(f"{live_server.url}/dashboard/")
    recent = page.get_by_test_id("recent-actions")
    text = recent.inner_text()
    assert "提交登记申请" in text
    assert "登录" in text and "127.0.0.1" in text  # the sign-in just now, from this browser's address
    assert "registry." not in text and "accounts.user" not in text
    screenshot("dashboard-recent-actions-zh")

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    text = page.get_by_test_id("recent-actions").inner_text()
    assert "Submitted a registration application" in text
    assert "Signed in" in text
    assert "registry." not in text
    screenshot("dashboard-recent-actions-en")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert "Submitted a registration application" in page.get_by_test_id("recent-actions").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("dashboard-recent-actions-phone-en")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "提交登记申请" in page.get_by_test_id("recent-actions").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("dashboard-recent-actions-phone-zh")
