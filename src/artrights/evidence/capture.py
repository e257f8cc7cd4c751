"""Capturing a web page as court evidence: what the page looked like, what it was made of, and how it was got.

A worker calls :func:`capture_page` with a URL a person gave. The system Chromium, driven by Playwright in a new
throwaway profile, opens the page, scrolls it to the bottom step by step (so lazy images load) and back, waits
for the network to go quiet (within a bound), and the capture keeps, all in memory and all bounded by
:class:`CaptureLimits`:

- ``screenshot.png`` (the full page, clipped at ``max_page_height``), ``page.pdf`` (Chromium's print),
  ``dom.html`` (the rendered DOM), ``data.warc.gz`` (every request and reply as WARC records, with the address
  connected to), ``images/NNN.ext`` (each image the page loaded);
- the list of requests the browser made, each with what became of it (fetched, refused, failed, too large, timed
  out, over the capture's budget) and why;
- the environment (browser, Playwright, Python and system versions, user agent, viewport, locale and time zone,
  the target's addresses and TLS certificate, proxy settings, the machine's UTC clock at start and end);
- a log of timestamped steps, saying plainly when the page had not finished loading within the bound and was
  recorded as it had rendered.

**The browser connects nowhere itself** (a page must not reach the server's own network: SSRF):

1. Every request the page makes (document, frame, image, script, style, font, XHR/fetch, beacon, worker) is
   intercepted (``context.route``) and answered by this module with :func:`artrights.core.fetch.exchange`: the
   host resolved and each address checked against the :class:`AddressPolicy` (public addresses only on a running
   platform), the connection made to the checked address itself, one deadline. A refused or failed request is
   aborted and recorded.
2. Redirects: the fetcher never follows one, and the browser cannot be handed one either, because Playwright
   lets Chromium follow a redirect without routing the next hop (it would meet the dead proxy, below). So each
   hop is a new request checked like the first: for the page itself the 3xx is recorded, the browser's request
   aborted and the capture navigates to the new URL (so the page ends at its real address and relative links
   resolve as they would); for a resource (image, script, frame) the hop is followed here, one exchange and one
   record per hop, and the browser gets the last reply under the first URL.
3. WebSockets are routed too (``context.route_web_socket``) and closed without ever connecting. A request that
   fails without passing through the handler (Playwright does not route a few kinds) is recorded as well.
4. Chromium is started with a proxy that does not exist (``127.0.0.1:9``, loopback included) and a host resolver
   that resolves nothing, so anything that escaped interception fails instead of leaving the machine; WebRTC may
   use no UDP outside that proxy, and its constructors (and WebTransport's) are removed from every page.
5. Service workers are blocked (they fetch outside the page's routes), downloads refused, and each capture gets a
   new browser context: no cookie, cache or storage from an earlier one. Only http(s) is fetched; ``data:`` and
   ``blob:`` stay inside the page, any other scheme is refused.

**Time.** One deadline (``total_seconds``) covers resolving, starting the browser, loading, scrolling, rendering
and closing. The waiting steps stop early enough to leave the rendering steps time; a request that is still
loading then is recorded as ``timeout`` and the page is recorded as it rendered (the log says so). If the main
document itself never arrives the capture fails with ``timeout``. A page whose script never yields would block
calls that have no timeout of their own (``evaluate``, ``pdf``, ``content``), so a watchdog kills the browser's
processes a few seconds past the deadline.

**Failures** are a :class:`CaptureFailed` with a stable ``code`` and the message in Chinese and English. The main
document's failures use ``core.fetch``'s neutral wording: an address that is not public reads exactly like one
that does not answer (``unreachable``), and a name that resolves only inside the server's network like one that
does not exist (``dns``), so the capture cannot be used to map the internal network. In the request list, an IP
address literal the policy refuses is marked ``refused_address`` (it tells nothing the URL did not), a name that
resolves to one is a ``failed`` request with the ``dns`` wording.

No Django here, except through ``core.fetch`` (its failure wording comes from Django's translations).
"""

from __future__ import annotations

import io
import os
import platform
import shutil
import signal
import ssl
import threading
import time
import urllib.parse
import uuid
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any

from artrights.core.addresses import AddressPolicy, AddressRefused, NameNotResolved, literal_address, resolve
from artrights.core.errors import BilingualError
from artrights.core.fetch import MAX_REDIRECTS, Exchange, FetchError, exchange

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, FloatRect, Page, Playwright, Request, Route, WebSocketRoute

CAPTURE_VERSION = "1"
TOOL_NAME = "ArtRights evidence capture"
LOCALE = "zh-CN"
TIMEZONE = "Asia/Shanghai"
DEVICE_SCALE_FACTOR = 1
MiB = 1024 * 1024

OUTCOMES = ("fetched", "refused_address", "failed", "too_large", "timeout", "over_budget")

# A port nothing listens on (discard): a request that escaped interception fails at once.
_DEAD_PROXY = "127.0.0.1:9"
_CHROMIUM_ARGS = (
    f"--proxy-server=http://{_DEAD_PROXY}",
    "--proxy-bypass-list=<-loopback>",  # Chromium sends loopback past a proxy unless told not to
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # a container's small /dev/shm crashes the renderer on tall pages
    "--mute-audio",
)
# Removed before any script of the page runs: WebRTC and WebTransport can send UDP without a request to route.
_NO_UDP_JS = """(() => {
  for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "WebTransport"]) {
    try { delete window[name]; } catch (e) {}
  }
})();"""
_SIZE_JS = """() => {
  const d = document.documentElement, b = document.body;
  return [Math.max(d ? d.scrollWidth : 0, b ? b.scrollWidth : 0),
          Math.max(d ? d.scrollHeight : 0, b ? b.scrollHeight : 0)];
}"""

_POLL_MS = (10, 20, 40, 80, 100)  # how often a waiting route handler lets the browser's events run
_QUIET_SECONDS = 0.5  # no request in flight for this long: the network is idle
_SCROLL_PAUSE_MS = 150
_KILL_GRACE_SECONDS = 2.0
_FETCH_THREADS = 6
_RESOLVE_SECONDS = 10.0

# Headers of a reply that describe the connection or the encoding of the bytes, not the resource: the browser is
# handed the body already complete and decoded.
_NOT_FOR_BROWSER = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "trailer", "upgrade"})
_IMAGE_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/pjpeg": "jpg",
    "image/png": "png",
    "image/apng": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/svg+xml": "svg",
    "image/bmp": "bmp",
    "image/x-icon": "ico",
    "image/vnd.microsoft.icon": "ico",
    "image/tiff": "tif",
    "image/heic": "heic",
    "image/jxl": "jxl",
}
_ABORT_ERRORS = {"refused_address": "addressunreachable", "over_budget": "blockedbyclient", "timeout": "timedout"}
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")

# Why a request was not fetched, where core.fetch has no words for it (Chinese / English).
_REFUSED_ADDRESS = "该地址不是公网地址，取证时不连接。 / Not a public address: the capture does not connect to it."
_OVER_BUDGET = "超出本次取证的请求数或数据量上限，未获取。 / Over the capture's limit on requests or data: not fetched."
_NOT_HTTP = "只获取 http/https 网址。 / Only http and https addresses are fetched."
_NO_WEBSOCKET = "取证时不建立 WebSocket 连接。 / WebSocket connections are not made during a capture."
_TIME_UP = "取证时间已到，未获取。 / The capture's time was up: not fetched."
_UNFINISHED = "取证结束时仍未加载完。 / Still loading when the capture ended."
_NOT_ROUTED = (
    "浏览器未经取证程序直接发出的请求，已被拦截，未获取。 / "
    "A request the browser made around the capture's fetcher: blocked, not fetched."
)
_INTERNAL_ERROR = "取证程序出错，未获取（见日志）。 / The capture program failed on this request (see the log)."


# The interface ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureLimits:
    """What one capture may take: time, bytes, requests, images, and the size of what it renders."""

    total_seconds: float = 60.0  # one deadline for the whole capture
    load_wait_seconds: float = 15.0  # how long to wait for the page (and each resource) to finish loading
    max_response_bytes: int = 10 * MiB
    max_total_bytes: int = 50 * MiB
    max_requests: int = 500
    max_images: int = 200
    viewport_width: int = 1280
    viewport_height: int = 800
    max_page_height: int = 20_000  # the screenshot is clipped here


@dataclass(frozen=True)
class CapturedFile:
    name: str  # "screenshot.png", "images/001.jpg"
    data: bytes
    mime: str


@dataclass
class CaptureResult:
    url: str  # as asked
    final_url: str  # the page shown, after redirects
    status: int  # of the page shown
    title: str
    files: list[CapturedFile]  # screenshot.png, page.pdf, dom.html, data.warc.gz, images/... in this order
    requests: list[dict[str, Any]]
    environment: dict[str, Any]
    log: list[dict[str, Any]]
    started_at: datetime
    finished_at: datetime

    def file(self, name: str) -> CapturedFile:
        """The captured file called ``name``."""
        return next(captured for captured in self.files if captured.name == name)


class CaptureFailed(BilingualError):
    """The page could not be captured; ``code`` says why (``bad_url``, ``dns``, ``unreachable``, ``tls``,
    ``timeout``, ``http_status``, ``too_large``, ``redirects``, ``browser_missing``, ``browser_failed``).
    ``detail`` is for the operator (what the browser said); ``log`` the steps taken before it failed."""

    def __init__(self, code: str, message_zh: str, message_en: str, *, detail: str = "") -> None:
        super().__init__(code, message_zh, message_en)
        self.detail = detail
        self.log: list[dict[str, Any]] = []

    @classmethod
    def from_fetch(cls, error: FetchError) -> CaptureFailed:
        """The main document could not be fetched: the same code and words as ``core.fetch``."""
        message_zh, message_en = error.messages()
        return cls(error.reason, message_zh, message_en)

    @classmethod
    def browser_missing(cls, detail: str = "") -> CaptureFailed:
        return cls(
            "browser_missing",
            "网页取证需要在服务器上安装 Chromium 浏览器（例如 apt install chromium），"
            "或在 ARTRIGHTS_CHROMIUM 设置中写明它的路径。",
            "Web capture needs Chromium installed on the server (for example: apt install chromium), "
            "or its path in the ARTRIGHTS_CHROMIUM setting.",
            detail=detail,
        )

    @classmethod
    def browser_failed(cls, detail: str = "") -> CaptureFailed:
        return cls(
            "browser_failed",
            "浏览器未能显示该网页，取证没有完成。",
            "The browser could not display the page; the capture did not finish.",
            detail=detail,
        )

    @classmethod
    def render_timeout(cls, seconds: float, detail: str = "") -> CaptureFailed:
        return cls(
            "timeout",
            f"网页没有在规定的 {seconds:g} 秒内显示完成，取证没有完成。",
            f"The page did not finish displaying within the {seconds:g} seconds allowed; the capture did not finish.",
            detail=detail,
        )


def find_chromium(configured: str = "") -> str | None:
    """The system Chromium: ``configured`` (the ARTRIGHTS_CHROMIUM setting) when set (None when it names no file,
    so a wrong setting is reported rather than quietly replaced), else ``chromium``, ``chromium-browser`` or
    ``google-chrome`` on the PATH, else ``/usr/bin/chromium``."""
    if configured:
        return shutil.which(configured)  # a path, or a name on the PATH; None when it is not an executable
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def capture_page(
    url: str, *, policy: AddressPolicy, limits: CaptureLimits = CaptureLimits(), chromium: str | None
) -> CaptureResult:
    """Open ``url`` in the system Chromium (``chromium``, see :func:`find_chromium`) and record it as evidence,
    every request answered through the address ``policy``, within ``limits``; raise :class:`CaptureFailed`."""
    capture = _Capture(url, policy, limits, chromium)
    # Playwright's sync API refuses to start in a thread whose asyncio loop is running (another sync Playwright
    # session, an async caller): the capture gets a thread of its own, so it works wherever it is called from.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-capture") as pool:
        try:
            return pool.submit(capture.run).result()
        except CaptureFailed as failure:
            capture.step("failed", {"code": failure.code, "detail": failure.detail})
            failure.log = capture.log
            raise


# One capture --------------------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


class _Clock:
    """The capture's one deadline; the waiting steps stop ``reserve`` seconds early to leave time to render."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.end = time.monotonic() + total
        self.reserve = min(10.0, total / 4)

    def left(self) -> float:
        return self.end - time.monotonic()

    def for_waiting(self) -> float:
        return self.left() - self.reserve

    def waiting_until(self) -> float:
        return self.end - self.reserve


@dataclass(frozen=True)
class _Target:
    url: str
    host: str  # as DNS takes it (IDNA)
    port: int
    addresses: tuple[str, ...]


@dataclass
class _Record:
    """One request the browser made and what became of it."""

    number: int
    url: str
    method: str
    resource_type: str
    at: datetime
    request_body: bytes | None = None
    outcome: str | None = None
    reason: str = ""
    reason_code: str = ""
    exchange: Exchange | None = None
    answered_at: datetime | None = None
    content: bytes = b""  # the body as the browser got it (content coding undone)

    @property
    def host(self) -> str:
        try:
            return urllib.parse.urlsplit(self.url).hostname or ""
        except ValueError:
            return ""

    def as_dict(self, on_target_hosts: set[str]) -> dict[str, Any]:
        return {
            "url": self.url,
            "method": self.method,
            "resource_type": self.resource_type,
            "host": self.host,
            "on_target": self.host in on_target_hosts,
            "status": self.exchange.status if self.exchange else None,
            "bytes": len(self.exchange.body) if self.exchange else 0,
            "address": self.exchange.address if self.exchange else None,
            "outcome": self.outcome,
            "reason": self.reason,
            "reason_code": self.reason_code,
            "requested_at": self.at.isoformat(),
        }


@dataclass
class _MainDocument:
    """The navigation to the page: its hops until a reply that is not a redirect, and why it failed if it did."""

    hops: int = 0
    settled: bool = False
    next_url: str | None = None  # where the last hop redirected to
    exchange: Exchange | None = None
    failure: CaptureFailed | None = None


@dataclass
class _Rendered:
    screenshot: bytes = b""
    pdf: bytes = b""
    dom: str = ""
    title: str = ""
    final_url: str = ""
    user_agent: str = ""
    browser_version: str = ""


class _Capture:
    def __init__(self, url: str, policy: AddressPolicy, limits: CaptureLimits, chromium: str | None) -> None:
        self.url = url.strip()
        self.policy = policy
        self.limits = limits
        self.chromium = chromium
        self.clock = _Clock(limits.total_seconds)
        self.started_at = _now()
        self.log: list[dict[str, Any]] = []
        self.records: list[_Record] = []
        self.main = _MainDocument()
        self.spent = 0  # bytes received, against max_total_bytes
        self.in_flight = 0
        self.page: Page | None = None
        self.routed: set[Request] = set()  # the requests the route handler saw
        self.api: ModuleType | None = None
        self.marker = f"--artrights-capture={uuid.uuid4().hex}"  # finds this capture's browser processes
        self.pool = ThreadPoolExecutor(max_workers=_FETCH_THREADS, thread_name_prefix="artrights-capture")

    def step(self, name: str, detail: Any = None) -> None:
        self.log.append({"at": _now().isoformat(), "step": name, "detail": detail})

    def run(self) -> CaptureResult:
        self.step("started", {"url": self.url, "limits": asdict(self.limits), "tool_version": CAPTURE_VERSION})
        if not self.chromium or not os.access(self.chromium, os.X_OK):
            raise CaptureFailed.browser_missing(f"no executable at {self.chromium!r}")
        api = _load_playwright()
        self.api = api
        target = self._resolve_target()
        self.step("resolved", {"host": target.host, "port": target.port, "addresses": list(target.addresses)})
        try:
            rendered = self._in_browser(api)
        finally:
            # A fetch still running ends at its own deadline; nobody waits for it.
            self.pool.shutdown(wait=False, cancel_futures=True)
        return self._result(target, rendered)

    # Before the browser --------------------------------------------------------------------------------------

    def _resolve_target(self) -> _Target:
        """Check the URL and its host before starting a browser: a typo or an internal address fails at once."""
        try:
            parts = urllib.parse.urlsplit(self.url)
            host = parts.hostname or ""
            ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except (ValueError, UnicodeError) as exc:
            raise CaptureFailed.from_fetch(FetchError("bad_url")) from exc
        if parts.scheme not in ("http", "https") or not host:
            raise CaptureFailed.from_fetch(FetchError("bad_url"))
        try:
            addresses = resolve(ascii_host, port, self.policy, timeout=min(_RESOLVE_SECONDS, self.clock.left()))
        except NameNotResolved:
            raise CaptureFailed.from_fetch(FetchError("dns", host=host)) from None
        except AddressRefused:
            raise CaptureFailed.from_fetch(FetchError("unreachable", host=host)) from None
        return _Target(self.url, ascii_host, port, tuple(str(address) for address in addresses))

    # In the browser ------------------------------------------------------------------------------------------

    def _in_browser(self, api: ModuleType) -> _Rendered:
        try:
            manager = api.sync_playwright().start()
        except Exception as exc:  # the driver did not start: an installation problem, like a missing browser
            raise CaptureFailed.browser_missing(str(exc)[:500]) from exc
        playwright: Playwright = manager
        watchdog = _Watchdog(self.marker, self.clock.left() + _KILL_GRACE_SECONDS, self._stopped)
        try:
            browser = self._launch(playwright)
            try:
                return self._with_browser(browser)
            finally:
                self._close(browser)
        finally:
            watchdog.cancel()
            with suppress(Exception):  # the driver went with a killed browser: nothing left to stop
                playwright.stop()

    def _stopped(self, processes: int) -> None:
        # Runs in the watchdog's thread; appending to the log is safe there (one list append).
        self.step("browser_stopped", {"processes": processes, "why": "the capture ran past its deadline"})

    def _launch(self, playwright: Playwright) -> Browser:
        assert self.api is not None
        try:
            return playwright.chromium.launch(
                executable_path=self.chromium,
                headless=True,
                args=[*_CHROMIUM_ARGS, self.marker],
                timeout=_ms(max(self.clock.for_waiting(), 1.0)),
            )
        except self.api.Error as exc:
            raise CaptureFailed.browser_missing(str(exc)[:500]) from exc

    def _with_browser(self, browser: Browser) -> _Rendered:
        rendered = _Rendered(browser_version=browser.version)
        self.step("browser_started", {"browser": f"Chromium {browser.version}", "arguments": list(_CHROMIUM_ARGS)})
        with self._browser_step():
            context = self._new_context(browser)
            page = context.new_page()
            self.page = page
            rendered.user_agent = str(page.evaluate("navigator.userAgent"))
            self._visit(page)
            self._render(page, rendered)
            rendered.title = page.title()
            rendered.final_url = page.url
        return rendered

    def _new_context(self, browser: Browser) -> BrowserContext:
        context = browser.new_context(
            viewport={"width": self.limits.viewport_width, "height": self.limits.viewport_height},
            device_scale_factor=DEVICE_SCALE_FACTOR,
            locale=LOCALE,
            timezone_id=TIMEZONE,
            service_workers="block",
            accept_downloads=False,
        )
        context.add_init_script(_NO_UDP_JS)
        context.route(_every_url, self._on_route)
        context.route_web_socket(_every_url, self._on_web_socket)
        context.on("requestfailed", self._on_request_failed)
        return context

    def _close(self, browser: Browser) -> None:
        assert self.api is not None
        for context in browser.contexts:
            try:
                # Handlers still waiting for a fetch are let go: nothing is left to answer.
                context.unroute_all(behavior="ignoreErrors")
                context.close()
            except self.api.Error:
                pass
        try:
            browser.close()
        except self.api.Error:
            pass
        self.step("closed", None)

    @contextmanager
    def _browser_step(self) -> Iterator[None]:
        """A browser error means: the main document's failure if it had one; running out of time (the watchdog
        ends the browser past the deadline); else the browser failed."""
        assert self.api is not None
        try:
            yield
        except self.api.Error as exc:
            if self.main.failure is not None:
                raise self.main.failure from exc
            if not self.main.settled:
                if self.clock.left() <= self.clock.reserve:
                    raise CaptureFailed.from_fetch(FetchError("timeout", host=_host(self.url))) from exc
                raise CaptureFailed.browser_failed(str(exc)[:500]) from exc
            if self.clock.left() <= 0:
                raise CaptureFailed.render_timeout(self.clock.total, str(exc)[:500]) from exc
            raise CaptureFailed.browser_failed(str(exc)[:500]) from exc

    # Loading the page ----------------------------------------------------------------------------------------

    def _visit(self, page: Page) -> None:
        self._navigate(page)
        assert self.main.exchange is not None
        self.step("navigated", {"status": self.main.exchange.status, "url": page.url, "hops": self.main.hops})
        self._wait_loaded(page)
        self._scroll(page)

    def _navigate(self, page: Page) -> None:
        """Open the page, one hop at a time: the route handler stops at a redirect and leaves its target in
        ``main.next_url``, which is opened next (and its request checked like any other)."""
        assert self.api is not None
        url = self.url
        for _hop in range(MAX_REDIRECTS + 1):
            self.main.hops += 1
            self.main.next_url = None
            try:
                # The handler fetches within the waiting time; goto waits a little longer, so that the
                # handler's own verdict (timeout, refused, too large) is what ends it.
                page.goto(url, wait_until="commit", timeout=_ms(self.clock.for_waiting() + 2))
            except self.api.Error:
                if self.main.failure is not None or self.main.next_url is None:
                    raise
            if self.main.failure is not None:
                raise self.main.failure
            if self.main.next_url is None:
                if self.main.exchange is None:
                    raise CaptureFailed.browser_failed("the navigation ended without a response")
                return
            url = self.main.next_url
        raise CaptureFailed.from_fetch(FetchError("redirects", host=_host(url)))

    def _wait_loaded(self, page: Page) -> None:
        assert self.api is not None
        bound = max(min(self.limits.load_wait_seconds, self.clock.for_waiting()), 0.0)
        try:
            page.wait_for_load_state("load", timeout=_ms(bound))
            loaded = True
        except self.api.TimeoutError:
            loaded = False
        detail: dict[str, Any] = {"reached": loaded, "bound_seconds": round(bound, 3)}
        if not loaded:
            detail["note"] = "the page had not finished loading within the bound; it is recorded as it rendered"
        self.step("load", detail)
        self._wait_quiet(page, "network_idle")

    def _wait_quiet(self, page: Page, step: str) -> None:
        """Wait until no request has been in flight for a moment, within the load bound and the deadline."""
        bound = max(min(self.limits.load_wait_seconds, self.clock.for_waiting()), 0.0)
        until = time.monotonic() + bound
        quiet_since: float | None = None
        while time.monotonic() < until:
            now = time.monotonic()
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= _QUIET_SECONDS:
                self.step(step, {"reached": True})
                return
            page.wait_for_timeout(50)
        self.step(step, {"reached": False, "in_flight": self.in_flight, "bound_seconds": round(bound, 3)})

    def _scroll(self, page: Page) -> None:
        """Scroll down a window at a time, pausing so lazy images start loading, then back to the top. The loop and
        its pauses run here, not in the page, where a script could stall them (by replacing ``setTimeout``)."""
        budget = min(self.limits.load_wait_seconds, self.clock.for_waiting())
        until = time.monotonic() + budget
        step, limit = self.limits.viewport_height, self.limits.max_page_height
        height = _page_size(page)[1]
        y = steps = 0
        while y + step < min(height, limit) and time.monotonic() < until:
            y, steps = y + step, steps + 1
            page.evaluate("(y) => window.scrollTo(0, y)", y)
            page.wait_for_timeout(_SCROLL_PAUSE_MS)
            height = _page_size(page)[1]
        page.evaluate("() => window.scrollTo(0, 0)")
        complete = y + step >= min(height, limit)
        detail: dict[str, Any] = {"steps": steps, "reached": y, "page_height": height, "complete": complete}
        if not complete:
            detail["note"] = "stopped at the time bound" if height <= limit else f"stopped at {limit} px"
        self.step("scrolled", detail)
        self._wait_quiet(page, "network_idle_after_scroll")

    # Rendering -----------------------------------------------------------------------------------------------

    def _render(self, page: Page, rendered: _Rendered) -> None:
        width, height = _page_size(page)
        clip: FloatRect | None = None
        if height > self.limits.max_page_height:
            clip = {"x": 0, "y": 0, "width": max(width, 1), "height": self.limits.max_page_height}
        rendered.screenshot = page.screenshot(
            full_page=True, type="png", clip=clip, timeout=_ms(max(self.clock.left(), 1.0))
        )
        self.step(
            "screenshot",
            {
                "bytes": len(rendered.screenshot),
                "page_height": height,
                "clipped_at": self.limits.max_page_height if clip else None,
            },
        )
        rendered.pdf = page.pdf(print_background=True)
        self.step("pdf", {"bytes": len(rendered.pdf)})
        rendered.dom = page.content()
        self.step("dom", {"characters": len(rendered.dom)})

    # Answering the browser's requests ------------------------------------------------------------------------

    def _on_route(self, route: Route, request: Request) -> None:
        assert self.api is not None
        try:
            self._answer(route, request)
        except self.api.Error:
            pass  # the page or the browser closed while this request waited: nothing is left to answer
        except Exception as exc:  # a fault of this module: that request fails, the log says why, the capture goes on
            self.step("error", {"url": request.url, "error": repr(exc)[:500]})
            for record in self.records:
                if record.url == request.url and record.outcome is None:
                    record.outcome, record.reason_code, record.reason = "failed", "error", _INTERNAL_ERROR
            with suppress(self.api.Error):
                route.abort("failed")

    def _on_request_failed(self, request: Request) -> None:
        """A request that failed without passing through the route handler (Playwright does not route some, and
        then Chromium meets the dead proxy): recorded too, so that nothing the page asked for goes unlisted."""
        if request not in self.routed:
            record = self._new_record(request.url, request.method, request.resource_type)
            record.outcome, record.reason_code, record.reason = "failed", "not_routed", _NOT_ROUTED
            if not request.url.startswith(("http:", "https:")):  # file: and the like, refused by Chromium itself
                record.reason_code, record.reason = "bad_url", _NOT_HTTP

    def _answer(self, route: Route, request: Request) -> None:
        self.routed.add(request)
        main = self._is_main(request)
        record = self._new_record(request.url, request.method, request.resource_type)
        record.request_body = request.post_data_buffer
        until = self.clock.waiting_until()
        if not main:  # a resource may hold the page up for the load bound at most, redirects included
            until = min(until, time.monotonic() + self.limits.load_wait_seconds)
        headers: list[tuple[str, str]] | None = None
        for _hop in range(MAX_REDIRECTS + 1):
            refusal = self._refusal(record)
            if refusal is not None:
                self._refuse(route, record, *refusal, main=main)
                return
            if headers is None:
                # What the browser would send (its user agent, cookies); HTTP/2 pseudo-headers are not headers
                # of an HTTP/1.1 request.
                headers = [(k, v) for k, v in request.all_headers().items() if not k.startswith(":")]
            result = self._fetch(record, headers, until, main=main)
            if isinstance(result, FetchError):
                self._failed(route, record, result, main=main)
                return
            location = _redirect(result)
            if location is None:
                self._deliver(route, record, result, main=main)
                return
            if main:
                # Playwright lets Chromium follow a redirect without routing the next hop (it would meet the
                # dead proxy), so the capture navigates to it itself (_navigate): a new request, checked again.
                self.main.next_url = location
                route.abort("aborted")
                return
            # A resource's redirect is followed here, each hop a request of its own, checked and recorded.
            record, headers = self._next_hop(record, result, location, headers)
        record.outcome, record.reason_code = "failed", "redirects"
        record.reason = FetchError("redirects").bilingual()
        route.abort("failed")

    def _fetch(
        self, record: _Record, headers: list[tuple[str, str]], until: float, *, main: bool
    ) -> Exchange | FetchError:
        """Fetch one hop in a pool thread and note what came back (bytes count against the capture's budget)."""
        max_bytes = self.limits.max_response_bytes
        if not main:  # other handlers may have spent the rest while this one waited for the headers
            max_bytes = max(min(max_bytes, self.limits.max_total_bytes - self.spent), 0)
        self.in_flight += 1
        try:
            future = self.pool.submit(
                _exchange_in_thread,
                record.url,
                record.method,
                headers,
                record.request_body,
                max_bytes,
                until,
                self.policy,
            )
            result = self._wait_for(future)
        finally:
            self.in_flight -= 1
        record.answered_at = _now()
        if isinstance(result, FetchError):
            if result.reason == "too_large" and max_bytes < self.limits.max_response_bytes:
                record.outcome = "over_budget"  # too large only for what was left of the budget
            return result
        record.exchange = result
        record.outcome = "fetched"
        self.spent += len(result.body)
        return result

    def _wait_for(self, future: Future[Exchange | FetchError]) -> Exchange | FetchError:
        """Wait for a fetch running in another thread, letting the browser's events (and so the other requests'
        handlers) run meanwhile: under Playwright's sync API each handler runs in a greenlet of its own, which
        hands control back to the event loop in every Playwright call."""
        assert self.page is not None
        polls = 0
        while not future.done():
            self.page.wait_for_timeout(_POLL_MS[min(polls, len(_POLL_MS) - 1)])
            polls += 1
        return future.result()

    def _new_record(self, url: str, method: str, resource_type: str) -> _Record:
        record = _Record(number=len(self.records) + 1, url=url, method=method, resource_type=resource_type, at=_now())
        self.records.append(record)
        return record

    def _next_hop(
        self, record: _Record, reply: Exchange, location: str, headers: list[tuple[str, str]]
    ) -> tuple[_Record, list[tuple[str, str]]]:
        """The request a browser makes after a redirect: 303 (and 301/302 after a POST) turn into a GET without
        a body; cookies and credentials go only to the host they were meant for."""
        method, body = record.method, record.request_body
        if (reply.status == 303 and method != "HEAD") or (reply.status in (301, 302) and method == "POST"):
            method, body = "GET", None
        same_host = _host(location) == record.host
        dropped = {"content-type", "content-encoding"} if body is None else set()
        if not same_host:
            dropped |= {"cookie", "authorization"}
        hop = self._new_record(location, method, record.resource_type)
        hop.request_body = body
        return hop, [(name, value) for name, value in headers if name.lower() not in dropped]

    def _is_main(self, request: Request) -> bool:
        """A hop of the navigation to the page: until it settles on a reply that is not a redirect."""
        assert self.api is not None
        if self.main.settled or self.page is None or not request.is_navigation_request():
            return False
        try:
            return request.frame == self.page.main_frame
        except self.api.Error:  # a service worker's request has no frame (they are blocked anyway)
            return False

    def _refusal(self, record: _Record) -> tuple[str, str, str] | None:
        """(outcome, reason code, reason) when the request is not to be fetched at all, else None."""
        try:
            parts = urllib.parse.urlsplit(record.url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return "failed", "bad_url", FetchError("bad_url").bilingual()
        if parts.scheme not in ("http", "https"):
            return "failed", "bad_url", _NOT_HTTP
        if len(self.records) > self.limits.max_requests or self.spent >= self.limits.max_total_bytes:
            return "over_budget", "over_budget", _OVER_BUDGET
        literal = literal_address(parts.hostname or "")
        if literal is not None and not self.policy.permits(literal, port):
            return "refused_address", "unreachable", _REFUSED_ADDRESS
        if time.monotonic() >= self.clock.waiting_until():
            return "timeout", "timeout", _TIME_UP
        return None

    def _refuse(self, route: Route, record: _Record, outcome: str, code: str, reason: str, *, main: bool) -> None:
        record.outcome, record.reason_code, record.reason = outcome, code, reason
        if main:
            # The same words as core.fetch: a refused address reads like one that does not answer.
            error = FetchError(code, host=record.host)
            if outcome == "over_budget":
                error = FetchError("too_large", host=record.host, limit=f"{self.limits.max_total_bytes / MiB:.0f}")
            self.main.failure = CaptureFailed.from_fetch(error)
        route.abort(_ABORT_ERRORS.get(outcome, "failed"))

    def _failed(self, route: Route, record: _Record, error: FetchError, *, main: bool) -> None:
        if record.outcome == "over_budget":
            record.reason_code, record.reason = "over_budget", _OVER_BUDGET
        else:
            record.outcome = {"timeout": "timeout", "too_large": "too_large"}.get(error.reason, "failed")
            record.reason_code, record.reason = error.reason, error.bilingual()
        if main:
            self.main.failure = CaptureFailed.from_fetch(error)
        route.abort(_ABORT_ERRORS.get(record.outcome, "failed"))

    def _deliver(self, route: Route, record: _Record, reply: Exchange, *, main: bool) -> None:
        """Hand the reply to the browser, its body decoded (the record and the WARC keep it as it came)."""
        limit = self.limits.max_response_bytes
        if not main:
            limit = min(limit, max(self.limits.max_total_bytes - self.spent, 0))
        content, decoded = _decoded(reply, limit)
        if content is None:  # it unpacks to more than the limit: a decompression bomb, or just too big
            record.outcome = "too_large" if limit == self.limits.max_response_bytes else "over_budget"
            error = FetchError("too_large", host=record.host, limit=f"{limit / MiB:.0f}")
            self._failed(route, record, error, main=main)
            return
        if decoded:
            self.spent += len(content)  # both forms are kept in memory
        record.content = content
        if main:
            self.main.settled = True
            self.main.exchange = reply
            if reply.status >= 300:  # an error page, or a redirect that leads nowhere
                error = FetchError("http_status", host=record.host, status=reply.status)
                self.main.failure = CaptureFailed.from_fetch(error)
        route.fulfill(status=reply.status, headers=_browser_headers(reply, decoded), body=content)

    def _on_web_socket(self, socket: WebSocketRoute) -> None:
        assert self.api is not None
        record = self._new_record(socket.url, "GET", "websocket")
        record.outcome, record.reason_code, record.reason = "failed", "websocket", _NO_WEBSOCKET
        try:
            socket.close(code=1008, reason="not captured")  # 1008: policy violation
        except self.api.Error:
            pass

    # The result ----------------------------------------------------------------------------------------------

    def _result(self, target: _Target, rendered: _Rendered) -> CaptureResult:
        for record in self.records:
            if record.outcome is None:  # its handler was still waiting when the browser closed
                record.outcome, record.reason_code, record.reason = "timeout", "timeout", _UNFINISHED
        final_url = rendered.final_url or self.url
        on_target = {target.host, _host(self.url), _host(final_url)}
        images, seen = self._images()
        self.step("images", {"loaded": seen, "saved": len(images), "limit": self.limits.max_images})
        finished_at = _now()
        environment = self._environment(target, rendered, finished_at)
        files = [
            CapturedFile("screenshot.png", rendered.screenshot, "image/png"),
            CapturedFile("page.pdf", rendered.pdf, "application/pdf"),
            # The DOM is written as UTF-8 whatever charset its <meta> names (a GBK page keeps saying GBK); the
            # byte order mark comes first in a browser's choice of encoding, so the file still opens correctly.
            CapturedFile("dom.html", b"\xef\xbb\xbf" + rendered.dom.encode("utf-8"), "text/html; charset=utf-8"),
            CapturedFile("data.warc.gz", _warc(self.records, environment), "application/warc"),
            *images,
        ]
        assert self.main.exchange is not None
        return CaptureResult(
            url=self.url,
            final_url=final_url,
            status=self.main.exchange.status,
            title=rendered.title,
            files=files,
            requests=[record.as_dict(on_target) for record in self.records],
            environment=environment,
            log=self.log,
            started_at=self.started_at,
            finished_at=finished_at,
        )

    def _images(self) -> tuple[list[CapturedFile], int]:
        """Each image the page loaded, in the order it asked for them, up to the limit; and how many it loaded."""
        images: list[CapturedFile] = []
        seen = 0
        for record in self.records:
            reply = record.exchange
            if reply is None or not 200 <= reply.status < 300 or not record.content:
                continue
            mime = _content_type(reply)
            if not mime.startswith("image/"):
                continue
            seen += 1
            if len(images) < self.limits.max_images:
                name = f"images/{len(images) + 1:03d}.{_image_extension(mime)}"
                images.append(CapturedFile(name, record.content, mime))
        return images, seen

    def _environment(self, target: _Target, rendered: _Rendered, finished_at: datetime) -> dict[str, Any]:
        # Flat keys, so that a report can print each on one line.
        return {
            "tool": TOOL_NAME,
            "tool_version": CAPTURE_VERSION,
            "browser": f"Chromium {rendered.browser_version}".strip(),
            "browser_executable": self.chromium,
            "playwright": _version("playwright"),
            "warcio": _version("warcio"),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "platform": platform.platform(),
            "machine": platform.machine(),
            "user_agent": rendered.user_agent,
            "viewport": {"width": self.limits.viewport_width, "height": self.limits.viewport_height},
            "device_scale_factor": DEVICE_SCALE_FACTOR,
            "locale": LOCALE,
            "timezone": TIMEZONE,
            "target_url": self.url,
            "target_host": target.host,
            "target_port": target.port,
            "target_addresses": list(target.addresses),
            "tls": _tls(self.main.exchange),
            "proxy": _proxy_environment(),
            "network": (
                "The browser made no network connection itself: every request was answered by the capture's own "
                "fetcher, which connected directly to the address it had checked. Chromium ran with a dead proxy "
                f"({_DEAD_PROXY}) and no name resolution, so a request that escaped interception would have failed."
            ),
            "started_at": self.started_at.isoformat(),
            "finished_at": finished_at.isoformat(),
        }


# Helpers ------------------------------------------------------------------------------------------------------


def _every_url(url: str) -> bool:
    return True


def _page_size(page: Page) -> tuple[int, int]:
    """The document's width and height in CSS pixels."""
    width, height = page.evaluate(_SIZE_JS)
    return int(width), int(height)


def _ms(seconds: float) -> float:
    """A Playwright timeout: at least a millisecond, since 0 means "no timeout" to Playwright."""
    return max(seconds * 1000, 1.0)


def _host(url: str) -> str:
    try:
        return urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _load_playwright() -> ModuleType:
    try:
        import playwright.sync_api as api
    except ImportError as exc:  # not installed, or a broken native part (greenlet)
        raise CaptureFailed.browser_missing(f"playwright: {exc}") from exc
    return api


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _exchange_in_thread(
    url: str,
    method: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    max_bytes: int,
    until: float,
    policy: AddressPolicy,
) -> Exchange | FetchError:
    """One exchange, in a pool thread; its deadline counts from when it starts (it may have queued)."""
    seconds = until - time.monotonic()
    if seconds <= 0:
        return FetchError("timeout", host=_host(url))
    try:
        return exchange(
            url, method=method, headers=headers, body=body, max_bytes=max_bytes, deadline_seconds=seconds, policy=policy
        )
    except FetchError as error:
        return error


def _redirect(reply: Exchange) -> str | None:
    """Where a redirect leads (absolute), or None for any other reply (a 3xx without a Location included)."""
    location = reply.header("Location")
    if reply.status not in (301, 302, 303, 307, 308) or not location:
        return None
    return urllib.parse.urljoin(reply.url, location.strip()).split("#", 1)[0]


def _content_type(reply: Exchange) -> str:
    return (reply.header("Content-Type") or "").split(";", 1)[0].strip().lower()


def _image_extension(mime: str) -> str:
    known = _IMAGE_EXTENSIONS.get(mime)
    if known:
        return known
    subtype = "".join(c for c in mime.partition("/")[2] if c.isalnum())[:8]
    return subtype or "img"


def _decoded(reply: Exchange, limit: int) -> tuple[bytes | None, bool]:
    """The body as the browser takes it, and whether a content coding was undone: gzip and deflate are undone
    here (None when that gives more than ``limit`` bytes), any other coding is left to the browser."""
    coding = (reply.header("Content-Encoding") or "").strip().lower()
    if coding not in ("gzip", "x-gzip", "deflate") or not reply.body:
        return reply.body, False
    for wbits in (47, -15):  # gzip or zlib (detected), then the raw deflate some servers send
        decompressor = zlib.decompressobj(wbits)
        try:
            content = decompressor.decompress(reply.body, limit + 1)
        except zlib.error:
            continue
        if len(content) > limit:
            return None, True
        return content, True
    return reply.body, False  # not what it says it is: the browser gets it as it came, and fails as it would


def _browser_headers(reply: Exchange, decoded: bool) -> dict[str, str]:
    """The reply's headers for the browser: repeated names joined (cookies one per line, as Playwright takes
    them), the connection's own headers dropped, and the content coding when the body was decoded."""
    headers: dict[str, str] = {}
    for name, value in reply.headers:
        key = name.lower()
        if key in _NOT_FOR_BROWSER or (decoded and key == "content-encoding"):
            continue
        if key in headers:
            headers[key] += ("\n" if key == "set-cookie" else ", ") + value
        else:
            headers[key] = value
    return headers


def _tls(reply: Exchange | None) -> dict[str, Any] | None:
    """The certificate the page's server presented (https only)."""
    if reply is None or reply.peer_certificate is None:
        return None
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    certificate = x509.load_der_x509_certificate(reply.peer_certificate)
    return {
        "url": reply.url,
        "leaf_pem": ssl.DER_cert_to_PEM_cert(reply.peer_certificate),
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "sha256": certificate.fingerprint(hashes.SHA256()).hex(),
        "chain_pem": [ssl.DER_cert_to_PEM_cert(der) for der in reply.peer_chain] or None,
        "chain_note": None if reply.peer_chain else "this Python's ssl module does not give the verified chain",
    }


def _proxy_environment() -> dict[str, Any]:
    """Proxy variables set on the capture machine (passwords removed). They are not used: the fetcher connects
    straight to the checked address, and the browser only to the capture."""
    seen: dict[str, str] = {}
    for name in _PROXY_VARIABLES:
        for variant in (name, name.lower()):
            value = os.environ.get(variant)
            if value:
                seen[variant] = _without_password(value)
    return {
        "variables": seen,
        "used": False,
        "note": "the capture connects directly to each checked address; the browser itself makes no connection",
    }


def _without_password(value: str) -> str:
    if "@" not in value:
        return value
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return "(not shown)"
    if parts.password is None and parts.username is None:
        return value
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


# The WARC file ------------------------------------------------------------------------------------------------


def _warc(records: list[_Record], environment: dict[str, Any]) -> bytes:
    """Every exchange that took place, as a request and a response record, after a warcinfo record."""
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    info = {
        "software": f"{TOOL_NAME} {CAPTURE_VERSION}",
        "browser": environment["browser"],
        "playwright": environment["playwright"] or "",
        "user-agent": environment["user_agent"],
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "target": environment["target_url"],
    }
    writer.write_record(writer.create_warcinfo_record("data.warc.gz", info))
    for record in records:
        if record.exchange is not None:
            _write_exchange(writer, record, record.exchange)
    return buffer.getvalue()


def _write_exchange(writer: Any, record: _Record, reply: Exchange) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    parts = urllib.parse.urlsplit(record.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # core.fetch (http.client) always asks in HTTP/1.1, whatever version the server answers in.
    request_line = f"{record.method} {path} HTTP/1.1"
    request_headers = StatusAndHeaders(request_line, list(reply.request_headers), is_http_request=True)
    request = writer.create_warc_record(
        record.url,
        "request",
        payload=io.BytesIO(record.request_body or b""),
        http_headers=request_headers,
        warc_headers_dict={"WARC-Date": _warc_date(record.at), "WARC-IP-Address": reply.address},
    )
    # http.client undid the chunking: the record keeps the header under the name archives use for it, so that
    # a reader does not try to undo it again.
    response_headers = StatusAndHeaders(
        f"{reply.status} {reply.reason}",
        [
            ("X-Archive-Orig-Transfer-Encoding" if name.lower() == "transfer-encoding" else name, value)
            for name, value in reply.headers
        ],
        protocol=reply.http_version,
    )
    response = writer.create_warc_record(
        record.url,
        "response",
        payload=io.BytesIO(reply.body),
        http_headers=response_headers,
        warc_headers_dict={
            "WARC-Date": _warc_date(record.answered_at or record.at),
            "WARC-IP-Address": reply.address,
            "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    writer.write_record(request)
    writer.write_record(response)


def _warc_date(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The watchdog -------------------------------------------------------------------------------------------------


class _Watchdog:
    """Kills the browser (every process started with this capture's marker argument) when the capture runs past
    its deadline: a page whose script never yields blocks ``evaluate``, ``pdf`` and ``content``, which have no
    timeout of their own. The Playwright call then fails, and the capture with ``timeout``. Linux only (/proc)."""

    def __init__(self, marker: str, seconds: float, on_fire: Callable[[int], None]) -> None:
        self.marker = marker.encode()
        self.on_fire = on_fire
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        killed = 0
        for pid in _processes_with(self.marker):
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
        self.on_fire(killed)

    def cancel(self) -> None:
        self._timer.cancel()


def _processes_with(marker: bytes) -> list[int]:
    found: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                if marker in cmdline.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found
