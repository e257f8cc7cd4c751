"""Browser tests: Playwright drives the system chromium (Debian's package; `playwright install` is not used)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ARTRIGHTS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "e2e"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are still
# plain synchronous calls, so tell Django that is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if CHROMIUM.exists():
        return
    message = (
        f"没有找到 chromium（{CHROMIUM}）：apt-get install chromium / chromium not found: apt-get install chromium"
    )
    if os.environ.get("CI"):
        # CI must run the browser tests: fail loudly instead of skipping.
        for item in items:
            if item.get_closest_marker("browser"):
                item.fixturenames.insert(0, "_chromium_required")
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture
def _chromium_required():  # type: ignore[no-untyped-def]
    pytest.fail(f"CI needs chromium at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser tab. Confirmation dialogs are accepted, as a user who means it would, and their questions
    are kept in ``page.dialogs`` so a test can check that an irreversible act asked first."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []

    def answer(dialog):  # type: ignore[no-untyped-def]
        page.dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):  # type: ignore[no-untyped-def]
    """Sign in through the login page as ``username`` (every test user has the test password)."""
    from artrights.testing import TEST_PASSWORD

    def sign_in(username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_test_id("username").fill(username)
        page.get_by_test_id("password").fill(TEST_PASSWORD)
        page.get_by_test_id("login-submit").click()
        page.wait_for_load_state()

    return sign_in
