"""Browser tests: Playwright drives the system chromium (Debian's package; `playwright install` is not used)."""

from __future__ import annotations

import os
import threading
import time
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


class _Connections:
    """Counts the connections the live server is handling, from accepting one to the end of its thread. A page
    that polls (a certificate being issued, a capture running) may send one more request as its test ends; its
    thread then uses the test's database connection while the teardown flushes the tables, and the flush fails
    (seen in CI: "couldn't be flushed", beside a "Database access not allowed" from that request's session save)."""

    def __init__(self, httpd):  # type: ignore[no-untyped-def]
        self.open = 0
        self.lock = threading.Lock()
        accept, serve = httpd.process_request, httpd.process_request_thread

        def process_request(request, client_address):  # type: ignore[no-untyped-def]
            self._add(1)
            try:
                accept(request, client_address)
            except BaseException:
                self._add(-1)
                raise

        def process_request_thread(request, client_address):  # type: ignore[no-untyped-def]
            try:
                serve(request, client_address)
            finally:
                self._add(-1)

        httpd.process_request, httpd.process_request_thread = process_request, process_request_thread

    def _add(self, step: int) -> None:
        with self.lock:
            self.open += step

    def wait_until_idle(self, timeout: float = 15.0) -> None:
        time.sleep(0.05)  # a connection the closed tab made just before is accepted at once; let that happen
        deadline = time.monotonic() + timeout
        while self.open and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture(scope="session")
def live_server(live_server):  # type: ignore[no-untyped-def]
    live_server.connections = _Connections(live_server.thread.httpd)
    return live_server


@pytest.fixture(autouse=True)
def _live_server_idle_at_teardown(request):  # type: ignore[no-untyped-def]
    """Set up after the test's database and before its ``page``, so it is torn down after the tab is closed (no new
    request) and before the tables are flushed: it waits for the requests still running."""
    yield
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server").connections.wait_until_idle()


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


# Each body row of a table as the browser lays it out: for each cell its tag, text and box, the label its ::before
# shows (without its alternative text for screen readers, after " / "), whether that label is shown, and on how
# many lines the cell's own text runs (text nodes only, so a badge's border or the label does not count as a line).
_TABLE_CELLS = """(table) => {
  const lines = (cell) => {
    const rects = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) rects.push(r);
    }
    rects.sort((a, b) => a.top - b.top);
    let count = 0, bottom = -Infinity;
    for (const r of rects) { if (r.top > bottom - 1) count += 1; bottom = Math.max(bottom, r.bottom); }
    return count;
  };
  return [...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => {
    const box = cell.getBoundingClientRect();
    const before = getComputedStyle(cell, "::before");
    return {
      tag: cell.tagName, text: cell.innerText.trim(),
      label: before.content.replace(/ \\/ ""$/, ""), labelShown: before.display !== "none",
      top: box.top, bottom: box.bottom, left: box.left, right: box.right, width: box.width, lines: lines(cell),
    };
  }));
}"""

# Up to five elements of the main column that reach past the right edge of the window: what to fix when a page
# scrolls sideways.
_TOO_WIDE = """[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
  .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40)).slice(0, 5)"""


class Layout:
    """How ``page`` lays out what it shows, for the tests of narrow (phone) and wide screens."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page

    def cells(self, table):  # type: ignore[no-untyped-def]
        """The body rows of ``table`` (a locator), each a list of its cells as ``_TABLE_CELLS`` measures them."""
        return table.evaluate(_TABLE_CELLS)

    def fits_width(self) -> bool:
        return bool(self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))

    def no_sideways_scrolling(self) -> None:
        """The page is no wider than the window; if it is, the message names the page and what sticks out."""
        if not self.fits_width():
            raise AssertionError((self.page.url, self.page.evaluate(_TOO_WIDE)))

    def switch_language(self) -> None:
        """Click the header's language switch (Chinese <-> English) and wait for the page in the other language."""
        self.page.get_by_test_id("lang-switch").click()
        self.page.wait_for_load_state()


@pytest.fixture
def layout(page):  # type: ignore[no-untyped-def]
    return Layout(page)
