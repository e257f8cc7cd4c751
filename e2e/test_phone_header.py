"""The header on a phone (375 px) and on a wide screen, in Chinese and in English: on a phone one line of brand,
menu button, inbox with its unread count and language switch, the other links behind the menu; on a wide screen
every link in view and no menu button."""

from pathlib import Path

import pytest

from artrights.accounts.services import issue_token
from artrights.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TITLES = {
    "zh-hans": ("著作权人/艺术家工作台", "办事指南", "菜单"),
    "en": ("Artist / rights holder dashboard", "Service guide", "Menu"),
}


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "e2e"


def _shot(page, name):
    """The top of the page as the reader sees it (a whole page would shrink the header to a few pixels)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def reader(artist):
    # Each token issued is a notification in the inbox: two unread messages for the header's count.
    issue_token(user=artist, name="批量登记脚本", scopes=["read"])
    issue_token(user=artist, name="信用查询对接", scopes=["read"])
    return artist


def _sign_in_in(page, login, username, language):
    login(username)
    if language == "en":
        page.get_by_test_id("lang-switch").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-CN")


def _header_controls(page):
    """What the header's navigation offers: every link and button, visible or not."""
    return page.locator("header nav").locator("a, button")


def _ax_nodes(page):
    """The browser's own accessibility tree (what a screen reader is given), not Playwright's reading of the DOM."""
    session = page.context.new_cdp_session(page)
    try:
        return session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()


def _menu_button_state(page, name):
    for node in _ax_nodes(page):
        if node.get("name", {}).get("value") == name and not node.get("ignored"):
            props = {p["name"]: p["value"]["value"] for p in node.get("properties", [])}
            if "expanded" in props:
                return props["expanded"]
    raise AssertionError(f"no expandable control named {name!r} in the accessibility tree")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_phone_the_header_is_one_line_and_every_other_link_opens_from_the_menu(
    live_server, page, login, reader, language
):
    dashboard_title, guide_title, menu_name = TITLES[language]
    page.set_viewport_size(PHONE)
    _sign_in_in(page, login, reader.username, language)
    page.goto(f"{live_server.url}/dashboard/")
    title = page.get_by_test_id("dashboard-title")
    assert title.inner_text() == dashboard_title
    # The page starts right under one line of header, not after five lines of links.
    assert title.bounding_box()["y"] < 120, title.bounding_box()
    assert page.locator("header").bounding_box()["height"] < 60
    # New messages show at a glance, and the language can be changed, without opening the menu.
    assert page.get_by_test_id("unread-count").is_visible()
    assert page.get_by_test_id("unread-count").inner_text() == "2"
    assert page.get_by_test_id("lang-switch").is_visible()
    hidden = [c for c in _header_controls(page).all() if not c.is_visible()]
    assert {c.get_attribute("data-testid") for c in hidden} >= {"nav-guide", "nav-catalogue", "logout"}
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _menu_button_state(page, menu_name) is False
    _shot(page, f"header-phone-closed-{language}")

    # The menu opens from the keyboard, and Tab goes from its button into its links.
    page.get_by_test_id("nav-menu-button").focus()
    page.keyboard.press("Enter")
    assert page.get_by_test_id("nav-guide").is_visible()
    assert _menu_button_state(page, menu_name) is True
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/registry/search/"

    controls = _header_controls(page).all()
    assert len(controls) == 11  # five public links, five of the artist's, the language
    for control in controls:
        assert control.is_visible(), control.inner_text()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (control.inner_text(), box)
        assert box["height"] >= 24, (control.inner_text(), box)  # a finger can hit it
    for href in _header_controls(page).evaluate_all("(cs) => cs.filter((c) => c.href).map((c) => c.href)"):
        assert page.request.get(href).ok, href
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, f"header-phone-open-{language}")

    page.get_by_test_id("nav-guide").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("guide-title").inner_text() == guide_title
    assert not page.get_by_test_id("nav-guide").is_visible()  # a new page starts with the menu closed

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if language == "en" else "en")
    assert page.get_by_test_id("guide-title").is_visible()

    page.get_by_test_id("nav-menu-button").click()
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("login-link").is_visible()  # a visitor signs in without opening the menu
    assert not page.get_by_test_id("nav-guide").is_visible()


def test_the_header_is_one_navigation_landmark_a_screen_reader_finds_on_a_phone(live_server, page, login, reader):
    page.set_viewport_size(PHONE)
    login(reader.username)
    landmarks = [n for n in _ax_nodes(page) if n.get("role", {}).get("value") == "navigation"]
    assert [n.get("name", {}).get("value") for n in landmarks] == ["网站导航"]
    inbox = page.get_by_test_id("inbox-link")
    assert inbox.evaluate("(a) => a.textContent.replace(/\\s+/g, '')") == "消息2条未读"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_wide_screen_every_link_is_in_the_header_without_a_menu(live_server, page, login, reader, language):
    page.set_viewport_size(DESKTOP)
    _sign_in_in(page, login, reader.username, language)
    page.goto(f"{live_server.url}/dashboard/")
    assert not page.get_by_test_id("nav-menu-button").is_visible()
    controls = _header_controls(page).all()
    assert len(controls) == 11  # five public links, five of the artist's, the language
    assert all(c.is_visible() for c in controls)
    assert page.get_by_test_id("current-user").is_visible()
    assert page.locator(".brand span").is_visible()
    assert all(c.bounding_box()["x"] + c.bounding_box()["width"] <= DESKTOP["width"] for c in controls)
    _shot(page, f"header-desktop-{language}")


def _nav_line_tops(page):
    """The top of each item of the header's navigation the reader sees, by its words."""
    return page.evaluate(
        """() => [...document.querySelector('header nav').children]
            .filter((item) => item.getClientRects().length)
            .map((item) => [item.textContent.trim(), Math.round(item.getBoundingClientRect().top)])"""
    )


# The administrator has the most links (the back office besides everyone's); the court liaison the longest role.
@pytest.mark.parametrize("role", ["admin", "court"])
def test_on_a_wide_screen_the_navigation_is_one_line_in_english_as_in_chinese(
    live_server, page, login, make_user, role
):
    user = make_user(f"wide-{role}", role)
    page.set_viewport_size(DESKTOP)
    heights = {}
    for language in ("zh-hans", "en"):
        if language == "zh-hans":
            login(user.username)
        else:
            page.get_by_test_id("lang-switch").click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-CN")
        tops = _nav_line_tops(page)
        assert len(tops) == (13 if role == "admin" else 12), tops  # every link, who is signed in, out, language
        assert max(top for _, top in tops) - min(top for _, top in tops) <= 4, tops
        heights[language] = page.locator("header").bounding_box()["height"]
        _shot(page, f"header-wide-{role}-{'zh' if language == 'zh-hans' else 'en'}")
    # The brand above one line of links, the same in both languages.
    assert abs(heights["en"] - heights["zh-hans"]) <= 2, heights
    assert heights["en"] < 100, heights
    # The short English words lead to the pages their full names title.
    page.get_by_role("link", name="Guide", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("guide-title").inner_text() == "Service guide"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_visitor_on_a_phone_signs_in_from_the_header_without_opening_the_menu(live_server, page, language):
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/")
    assert page.locator("header").bounding_box()["height"] < 60
    assert page.get_by_test_id("login-link").is_visible()
    assert page.get_by_test_id("lang-switch").is_visible()
    assert not page.get_by_test_id("nav-statistics").is_visible()
    _shot(page, f"header-phone-visitor-{language}")
    page.get_by_test_id("nav-menu-button").click()
    page.get_by_test_id("nav-statistics").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/statistics/"
    page.get_by_test_id("login-link").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("username").is_visible()


def test_the_header_fits_a_small_phone_in_english_with_many_unread_messages(live_server, page, login, reader):
    for n in range(98):
        issue_token(user=reader, name=f"脚本{n}", scopes=["read"])
    page.set_viewport_size({"width": 320, "height": 640})
    _sign_in_in(page, login, reader.username, "en")
    assert page.get_by_test_id("unread-count").inner_text() == "99+"
    assert page.locator("header").bounding_box()["height"] < 60
    for testid in ("nav-menu-button", "inbox-link", "lang-switch"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box["x"] + box["width"] <= 320, testid
    brand = page.locator(".brand")
    assert brand.evaluate("(b) => b.scrollWidth <= b.clientWidth"), "the brand is cut short"
    assert _menu_button_state(page, "Menu") is False  # the button shows only its icon, and is still named
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "header-phone-320-en")


def _focused(page):
    """What has the keyboard's focus: a link's address, else the control's test id."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.getAttribute('href') || e.dataset.testid || e.tagName; }"
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_phone_escape_closes_the_menu_and_gives_the_focus_back_to_its_button(
    live_server, page, login, reader, language
):
    menu_name = TITLES[language][2]
    page.set_viewport_size(PHONE)
    _sign_in_in(page, login, reader.username, language)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("nav-menu-button").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _focused(page) == "/licensing/catalogue/"  # deep in the menu
    page.keyboard.press("Escape")
    assert not page.get_by_test_id("nav-guide").is_visible()
    assert _menu_button_state(page, menu_name) is False
    assert _focused(page) == "nav-menu-button"
    _shot(page, f"header-phone-escaped-{language}")
    # Escape from the button itself closes it too, and the menu opens again from the keyboard.
    page.keyboard.press("Enter")
    assert page.get_by_test_id("nav-guide").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_test_id("nav-guide").is_visible()
    assert _focused(page) == "nav-menu-button"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_phone_a_tap_outside_the_open_menu_closes_it(live_server, page, login, reader, language):
    dashboard_title, _guide, menu_name = TITLES[language]
    page.set_viewport_size(PHONE)
    _sign_in_in(page, login, reader.username, language)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("nav-menu-button").click()
    assert page.get_by_test_id("nav-guide").is_visible()
    _shot(page, f"header-phone-open-before-tap-{language}")
    page.get_by_test_id("dashboard-title").click()  # the page below the opened menu
    assert not page.get_by_test_id("nav-guide").is_visible()
    assert _menu_button_state(page, menu_name) is False
    assert page.get_by_test_id("dashboard-title").inner_text() == dashboard_title  # still on the same page
    _shot(page, f"header-phone-tapped-outside-{language}")
    # A tap on the menu's own links still follows them, and one in the bar (the inbox) works while it is open.
    page.get_by_test_id("nav-menu-button").click()
    page.get_by_test_id("inbox-link").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/inbox/"


def test_on_a_phone_tab_goes_through_the_open_menu_before_the_inbox_and_language_in_the_bar(
    live_server, page, login, reader
):
    page.set_viewport_size(PHONE)
    login(reader.username)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("nav-menu-button").focus()
    page.keyboard.press("Enter")
    forward = []
    for _ in range(9):
        page.keyboard.press("Tab")
        forward.append(_focused(page))
    # The menu's links top to bottom, sign-out last, then up to the bar: inbox and language, never back down.
    assert forward == [
        "/registry/search/",
        "/licensing/catalogue/",
        "/statistics/",
        "/verify/",
        "/guide/",
        "/dashboard/",
        "/account/tokens/",
        "/accounts/password/",
        "logout",
    ], forward
    page.keyboard.press("Tab")
    assert _focused(page) == "/inbox/"
    page.keyboard.press("Tab")
    assert _focused(page) == "lang-switch"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert _focused(page) == "logout"  # Shift+Tab walks the same way back
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('header')")  # on into the page after the bar
    # With the menu closed the bar's own order is unchanged: button, inbox, language.
    page.get_by_test_id("nav-menu-button").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert _focused(page) == "/inbox/"


def test_without_javascript_the_phone_menu_still_opens_and_closes(browser, live_server, reader):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_test_id("username").fill(reader.username)
        page.get_by_test_id("password").fill(TEST_PASSWORD)
        page.get_by_test_id("login-submit").click()
        page.wait_for_load_state()
        assert not page.get_by_test_id("nav-guide").is_visible()
        page.get_by_test_id("nav-menu-button").click()
        assert page.get_by_test_id("nav-guide").is_visible()
        page.get_by_test_id("nav-menu-button").click()
        assert not page.get_by_test_id("nav-guide").is_visible()
    finally:
        context.close()
