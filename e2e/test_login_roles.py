import pytest

from artrights.accounts.models import Role
from artrights.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_role_logs_in_and_sees_its_dashboard_in_the_chosen_language(
    live_server, page, screenshot, make_user, language
):
    for role in Role:
        make_user(f"e2e-{role.value}", role.value)
    page.goto(f"{live_server.url}/")
    if language == "en":
        page.get_by_test_id("lang-switch").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    for role in Role:
        page.get_by_test_id("login-link").click()
        page.get_by_test_id("username").fill(f"e2e-{role.value}")
        page.get_by_test_id("password").fill(TEST_PASSWORD)
        page.get_by_test_id("login-submit").click()
        title = page.get_by_test_id("dashboard-title").inner_text()
        if language == "en":
            with_role = {"artist": "Artist / rights holder", "admin": "Administrator"}.get(role.value)
            assert title.endswith("dashboard")
            if with_role:
                assert title.startswith(with_role)
        else:
            assert title == f"{role.label}工作台"
        screenshot(f"dashboard-{role.value}-{language}")
        page.get_by_test_id("logout").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("login-link").is_visible()


def test_wrong_passwords_pause_logins_from_that_address_in_the_browser(live_server, page, screenshot, make_user):
    make_user("e2e-locked", "artist")
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(6):
        page.get_by_test_id("username").fill("e2e-locked")
        page.get_by_test_id("password").fill("wrong-password")
        page.get_by_test_id("login-submit").click()
        if page.get_by_test_id("locked-out").count():
            break
    assert "登录已暂停" in page.get_by_test_id("locked-out").inner_text()
    assert "从其他网络" in page.content()
    screenshot("locked-out-zh")
