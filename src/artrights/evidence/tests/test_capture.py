"""Capturing a web page as evidence, against pages this test serves on loopback: what a person who asked for the
capture (and a court) would find in it, and that a page can never make the server connect where it may not.

The tests run behind the ``connections`` guard (conftest.py), which records every address the test process
connects to and refuses any off loopback, so even a broken capture never sends a packet to 10.x or 169.254.x.
"""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import io
import os
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from artrights.core.addresses import AddressPolicy
from artrights.core.fetch import FetchError
from artrights.evidence import capture as capture_module
from artrights.evidence.capture import (
    CAPTURE_VERSION,
    CaptureFailed,
    CaptureLimits,
    CaptureResult,
    capture_page,
    find_chromium,
)

CHROMIUM = find_chromium(os.environ.get("ARTRIGHTS_CHROMIUM", ""))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),  # CI must run them: there they fail, saying what is missing
        reason="没有找到 Chromium（apt install chromium，或设置 ARTRIGHTS_CHROMIUM）/ "
        "Chromium not found: apt install chromium, or set ARTRIGHTS_CHROMIUM",
    ),
]

# Small limits keep the suite fast; the ones a test is about are set in the test.
FAST = CaptureLimits(total_seconds=20, load_wait_seconds=3)


def _png(width: int = 40, height: int = 30, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


PICTURE = _png()


# Sites on loopback -------------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        self.site.answer(self)

    do_POST = do_GET

    def log_message(self, *args: Any) -> None:
        pass


class Site:
    """A web server on ``host`` (a loopback address): ``add`` a page, ``seen`` lists the paths asked for."""

    def __init__(self, host: str = "127.0.0.1", *, tls: ssl.SSLContext | None = None, name: str | None = None) -> None:
        self.host = name or host
        self.scheme = "https" if tls else "http"
        self.pages: dict[str, Callable[[_Handler], None]] = {}
        self.seen: list[str] = []
        self.release = threading.Event()  # lets handlers that hang go when the test ends
        handler = type("Handler", (_Handler,), {"site": self})
        self.server = http.server.ThreadingHTTPServer((host, 0), handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200):
        data = body.encode() if isinstance(body, str) else body

        def send(handler: _Handler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        self.pages[path] = send

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        def send(handler: _Handler) -> None:
            handler.send_response(status)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.pages[path] = send

    def hang(self, path: str, *, headers_first: bool = False) -> None:
        """``path`` never finishes: with ``headers_first`` it sends its headers and then no body."""

        def send(handler: _Handler) -> None:
            if headers_first:
                handler.send_response(200)
                handler.send_header("Content-Type", "image/png")
                handler.send_header("Content-Length", "1000")
                handler.end_headers()
                handler.wfile.flush()
            self.release.wait(60)

        self.pages[path] = send

    def answer(self, handler: _Handler) -> None:
        self.seen.append(handler.path)
        send = self.pages.get(handler.path)
        if send is None:
            handler.send_error(404)
        else:
            try:
                send(handler)
            except OSError:  # the capture hung up (a limit, a timeout)
                pass

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites(connections):
    """The target site (127.0.0.1), another site (127.0.0.2, a third party) and an internal service on a loopback
    port the policy does not grant (a database, an admin page). Returns (site, other, internal, policy)."""
    site, other, internal = Site(), Site("127.0.0.2"), Site()
    internal.add("/secret", "internal data")
    policy = AddressPolicy(loopback_ports=frozenset({site.port, other.port}))
    yield site, other, internal, policy
    for server in (site, other, internal):
        server.close()


@pytest.fixture
def fetched(monkeypatch):
    """The URLs the capture's fetcher was asked for."""
    asked: list[str] = []
    real = capture_module.exchange

    def spy(url: str, **kwargs: Any):
        asked.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(capture_module, "exchange", spy)
    return asked


def _capture(url: str, policy: AddressPolicy, limits: CaptureLimits = FAST) -> CaptureResult:
    return capture_page(url, policy=policy, limits=limits, chromium=CHROMIUM)


def _request(result: CaptureResult, url: str) -> dict[str, Any]:
    return next(r for r in result.requests if r["url"] == url)


def _warc(result: CaptureResult) -> list[tuple[str, str | None, str | None, bytes]]:
    """(type, target URI, IP address, payload) of each WARC record, in order."""
    records = []
    for record in ArchiveIterator(io.BytesIO(result.file("data.warc.gz").data)):
        headers = record.rec_headers
        records.append(
            (
                record.rec_type,
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-IP-Address"),
                record.content_stream().read(),
            )
        )
    return records


def _steps(result: CaptureResult) -> list[str]:
    return [entry["step"] for entry in result.log]


# What a capture holds ----------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>侵权页面</title></head>
<body style="margin:0"><h1>盗用的作品《山水》</h1><img src="/work.png" width="40" height="30">
<div style="height:1600px">正文</div><p>页面底部</p></body></html>"""


def test_a_page_with_an_infringing_image_is_kept_as_screenshot_dom_pdf_warc_and_the_image(sites):
    site, _other, _internal, policy = sites
    site.add("/page", PAGE)
    site.add("/work.png", PICTURE, "image/png")

    result = _capture(site.url("/page"), policy)

    assert [f.name for f in result.files] == [
        "screenshot.png",
        "page.pdf",
        "dom.html",
        "data.warc.gz",
        "images/001.png",
    ]
    assert (result.status, result.final_url, result.title) == (200, site.url("/page"), "侵权页面")
    shot = Image.open(io.BytesIO(result.file("screenshot.png").data))
    assert shot.format == "PNG" and shot.width == 1280 and shot.height >= 1600  # the whole page, not the window
    assert "盗用的作品《山水》" in result.file("dom.html").data.decode("utf-8")
    assert result.file("page.pdf").data.startswith(b"%PDF")
    assert result.file("images/001.png").data == PICTURE and result.file("images/001.png").mime == "image/png"

    records = _warc(result)
    assert records[0][0] == "warcinfo" and b"ArtRights evidence capture" in records[0][3]
    exchanged = [(kind, uri, ip) for kind, uri, ip, _payload in records[1:]]
    for url in (site.url("/page"), site.url("/work.png")):
        assert ("request", url, "127.0.0.1") in exchanged and ("response", url, "127.0.0.1") in exchanged
    [picture] = [payload for kind, uri, _ip, payload in records if kind == "response" and uri.endswith(".png")]
    assert picture == PICTURE
    asked = next(
        r.http_headers
        for r in ArchiveIterator(io.BytesIO(result.file("data.warc.gz").data))
        if r.rec_type == "request" and r.rec_headers.get_header("WARC-Target-URI") == site.url("/work.png")
    )
    assert f"{asked.protocol} {asked.statusline}" == "GET /work.png HTTP/1.1"
    assert asked.get_header("Host") == f"127.0.0.1:{site.port}" and "Chrome" in asked.get_header("User-Agent")

    page, image = _request(result, site.url("/page")), _request(result, site.url("/work.png"))
    assert page["outcome"] == image["outcome"] == "fetched" and page["resource_type"] == "document"
    assert image["on_target"] and image["address"] == "127.0.0.1" and image["bytes"] == len(PICTURE)

    environment = result.environment
    assert environment["tool"] == "ArtRights evidence capture" and environment["tool_version"] == CAPTURE_VERSION
    assert environment["browser"].startswith("Chromium ") and "Chrome/" in environment["user_agent"]
    assert environment["target_addresses"] == ["127.0.0.1"] and environment["tls"] is None
    assert environment["viewport"] == {"width": 1280, "height": 800} and environment["timezone"]
    assert result.started_at <= result.finished_at and result.started_at.tzinfo is not None
    steps = _steps(result)
    for step in ("started", "resolved", "navigated", "load", "scrolled", "screenshot", "pdf", "dom", "images"):
        assert step in steps
    assert steps.index("scrolled") < steps.index("screenshot") < steps.index("closed")


def test_an_image_that_loads_only_when_scrolled_to_is_captured(sites):
    site, _other, _internal, policy = sites
    site.add(
        "/lazy",
        """<!doctype html><body style="margin:0"><div style="height:3500px">长文</div>
        <img loading="lazy" src="/lazy.png" width="40" height="30">
        <div style="height:1500px"></div><img id="late" width="40" height="30">
        <script>
          new IntersectionObserver((entries, observer) => {
            if (entries[0].isIntersecting) { entries[0].target.src = "/observed.png"; observer.disconnect(); }
          }).observe(document.getElementById("late"));
        </script></body>""",
    )
    site.add("/lazy.png", _png(colour="blue"), "image/png")
    site.add("/observed.png", _png(colour="green"), "image/png")

    result = _capture(site.url("/lazy"), policy)

    images = {f.data for f in result.files if f.name.startswith("images/")}
    assert images == {_png(colour="blue"), _png(colour="green")}
    uris = {uri for kind, uri, _ip, _payload in _warc(result) if kind == "response"}
    assert {site.url("/lazy.png"), site.url("/observed.png")} <= uris


def test_a_redirect_to_another_site_is_followed_by_the_browser_and_both_hops_are_recorded(sites):
    site, other, _internal, policy = sites
    site.redirect("/moved", other.url("/landing"))
    other.add("/landing", "<p>新地址的页面</p>")

    result = _capture(site.url("/moved"), policy)

    assert result.final_url == other.url("/landing") and result.status == 200
    first, second = _request(result, site.url("/moved")), _request(result, other.url("/landing"))
    assert (first["status"], first["outcome"], first["address"]) == (302, "fetched", "127.0.0.1")
    assert (second["status"], second["address"]) == (200, "127.0.0.2")
    assert first["on_target"] and second["on_target"]  # the asked site and the page it led to
    responses = [(uri, ip) for kind, uri, ip, _payload in _warc(result) if kind == "response"]
    assert (site.url("/moved"), "127.0.0.1") in responses and (other.url("/landing"), "127.0.0.2") in responses
    assert "新地址的页面" in result.file("dom.html").data.decode()


@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/latest/meta-data/", "INTERNAL"], ids=["metadata-service", "internal-port"]
)
def test_a_page_that_redirects_to_an_internal_address_fails_as_unreachable_without_a_connection(
    sites, connections, fetched, location
):
    site, _other, internal, policy = sites
    location = internal.url("/secret") if location == "INTERNAL" else location
    site.redirect("/bait", location)

    with pytest.raises(CaptureFailed) as caught:
        _capture(site.url("/bait"), policy)

    failure = caught.value
    assert failure.code == "unreachable"
    host = location.split("/")[2].split(":")[0]
    # The very words core.fetch uses for an address that does not answer: nothing tells the internal network apart.
    assert (failure.message_zh, failure.message_en) == FetchError("unreachable", host=host).messages()
    assert "无法连接" in failure.message_zh and "could not connect" in failure.message_en.lower()
    assert location not in fetched and internal.seen == []
    assert set(connections) == {"127.0.0.1"}
    assert failure.log and failure.log[-1]["step"] == "failed"


def test_a_resource_that_leads_to_an_internal_address_is_refused_and_recorded_and_the_capture_goes_on(
    sites, connections, fetched
):
    site, other, internal, policy = sites
    site.add(
        "/page",
        f"""<p>有图</p><img src="/hop.png"><img src="/metadata.png"><img src="/fine.png">
        <img src="http://10.0.0.1/x.png"><img src="{internal.url("/secret")}">""",
    )
    site.redirect("/hop.png", internal.url("/from-hop"))
    site.redirect("/metadata.png", "http://169.254.169.254/latest/meta-data/")
    site.redirect("/fine.png", other.url("/fine.png"))  # a redirect to a permitted site is followed
    other.add("/fine.png", PICTURE, "image/png")

    result = _capture(site.url("/page"), policy)

    refused = {r["url"] for r in result.requests if r["outcome"] == "refused_address"}
    assert refused == {
        internal.url("/from-hop"),
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/x.png",
        internal.url("/secret"),
    }
    assert all(_request(result, url)["status"] is None and _request(result, url)["reason"] for url in refused)
    assert _request(result, site.url("/hop.png"))["status"] == 302  # the hop itself was fetched and recorded
    assert _request(result, other.url("/fine.png"))["outcome"] == "fetched"
    assert result.file("images/001.png").data == PICTURE
    assert not refused & set(fetched)  # the fetcher was never asked for them
    assert internal.seen == [] and set(connections) == {"127.0.0.1", "127.0.0.2"}
    assert all(uri not in refused for _kind, uri, _ip, _payload in _warc(result))


def test_an_image_from_another_site_is_fetched_and_marked_as_not_on_the_target(sites):
    site, other, _internal, policy = sites
    site.add("/page", f'<p>转载</p><img src="{other.url("/hotlinked.png")}">')
    other.add("/hotlinked.png", PICTURE, "image/png")

    result = _capture(site.url("/page"), policy)

    image = _request(result, other.url("/hotlinked.png"))
    assert image["outcome"] == "fetched" and image["on_target"] is False and image["host"] == "127.0.0.2"
    assert image["address"] == "127.0.0.2"
    assert result.file("images/001.png").data == PICTURE


# Limits --------------------------------------------------------------------------------------------------------


def test_a_page_that_never_finishes_loading_is_captured_as_it_rendered_within_the_limits(sites):
    site, _other, _internal, policy = sites
    site.add("/page", '<h1>一直在加载的页面</h1><img src="/forever.png">')
    site.hang("/forever.png", headers_first=True)
    limits = CaptureLimits(total_seconds=12, load_wait_seconds=2)

    started = time.monotonic()
    result = _capture(site.url("/page"), policy, limits)
    took = time.monotonic() - started

    assert took < limits.total_seconds, took
    slow = _request(result, site.url("/forever.png"))
    assert slow["outcome"] == "timeout" and "超时" in slow["reason"]
    assert "一直在加载的页面" in result.file("dom.html").data.decode()
    [load] = [entry for entry in result.log if entry["step"] == "load"]
    assert load["detail"]["reached"] is False and "recorded as it rendered" in load["detail"]["note"]


def test_a_page_that_never_answers_fails_with_timeout_within_the_total_time(sites):
    site, _other, _internal, policy = sites
    site.hang("/page")
    limits = CaptureLimits(total_seconds=4, load_wait_seconds=2)

    started = time.monotonic()
    with pytest.raises(CaptureFailed) as caught:
        _capture(site.url("/page"), policy, limits)

    assert caught.value.code == "timeout" and "超时" in caught.value.message_zh
    assert time.monotonic() - started < limits.total_seconds + 1


def test_a_script_that_never_yields_cannot_hold_the_capture_past_its_deadline(sites):
    site, _other, _internal, policy = sites
    site.add("/page", "<p>死循环</p><script>while (true) {}</script>")
    limits = CaptureLimits(total_seconds=5, load_wait_seconds=1)

    started = time.monotonic()
    with pytest.raises(CaptureFailed) as caught:
        _capture(site.url("/page"), policy, limits)

    assert caught.value.code == "timeout"
    assert time.monotonic() - started < limits.total_seconds + 4  # the watchdog's grace, and closing
    steps = [entry["step"] for entry in caught.value.log]
    assert "navigated" in steps and "browser_stopped" in steps  # the page came, then its script held the browser


def test_a_direct_image_url_is_a_capture_of_that_image(sites):
    site, _other, _internal, policy = sites
    big = _png(300, 200, "purple")
    site.add("/art.png", big, "image/png")

    result = _capture(site.url("/art.png"), policy)

    assert result.status == 200 and result.final_url == site.url("/art.png")
    assert [f.name for f in result.files][-1] == "images/001.png" and result.file("images/001.png").data == big
    shot = Image.open(io.BytesIO(result.file("screenshot.png").data)).convert("RGB")
    assert (128, 0, 128) in {colour for _count, colour in shot.getcolors(1 << 20)}  # the picture is on screen


def test_a_page_that_does_not_exist_fails_with_its_http_status(sites):
    site, _other, _internal, policy = sites

    with pytest.raises(CaptureFailed) as caught:
        _capture(site.url("/missing"), policy)

    assert caught.value.code == "http_status"
    assert "404" in caught.value.message_zh and "404" in caught.value.message_en


def test_a_page_over_the_size_limit_fails_and_a_resource_over_it_or_past_the_budget_is_not_kept(sites):
    site, _other, _internal, policy = sites
    huge = b"x" * (20 * 1024 * 1024)
    site.add("/huge.html", huge)
    site.add("/page", '<p>大图</p><img src="/huge.png"><img src="/1.png"><img src="/2.png"><img src="/3.png">')
    site.add("/huge.png", huge, "image/png")
    for n in (1, 2, 3):
        site.add(f"/{n}.png", _png(colour="blue"), "image/png")
    limits = CaptureLimits(total_seconds=20, load_wait_seconds=3, max_requests=3)  # 10 MiB per response

    with pytest.raises(CaptureFailed) as caught:
        _capture(site.url("/huge.html"), policy, limits)
    assert caught.value.code == "too_large" and "10 MB" in caught.value.message_en

    result = _capture(site.url("/page"), policy, limits)
    image = _request(result, site.url("/huge.png"))
    assert image["outcome"] == "too_large" and image["status"] is None
    # The page and two images were the three requests allowed; the others were recorded, not made.
    over = [r["url"] for r in result.requests if r["outcome"] == "over_budget"]
    assert len(over) == 2 and len(result.requests) == 5
    assert not {url.removeprefix(site.base) for url in over} & set(site.seen)
    assert [f.name for f in result.files if f.name.startswith("images/")] == ["images/001.png"]


def test_a_compressed_reply_is_shown_decoded_and_archived_as_sent(sites):
    site, _other, _internal, policy = sites
    body = gzip.compress("<p>压缩过的页面</p>".encode())

    def send(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Encoding", "gzip")  # although the capture asked for identity
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.pages["/page"] = send

    result = _capture(site.url("/page"), policy)

    assert "压缩过的页面" in result.file("dom.html").data.decode()
    [payload] = [p for kind, uri, _ip, p in _warc(result) if kind == "response" and uri == site.url("/page")]
    assert payload == "<p>压缩过的页面</p>".encode()  # warcio undoes the coding the record keeps


def _certificates() -> tuple[bytes, bytes, bytes]:
    """A test CA and a certificate for localhost it signed: (CA PEM, leaf PEM, leaf key PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def certificate(subject, issuer, key, signer, *, ca: bool, names=()):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if ca:
            builder = builder.add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("ArtRights Test CA", "ArtRights Test CA", ca_key, ca_key, ca=True)
    leaf = certificate("localhost", "ArtRights Test CA", leaf_key, ca_key, ca=False, names=["localhost"])
    pem = serialization.Encoding.PEM
    key_pem = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca.public_bytes(pem), leaf.public_bytes(pem), key_pem


def test_a_page_over_https_records_the_certificate_the_site_presented(connections, monkeypatch, tmp_path):
    from artrights.core import fetch as fetch_module

    ca_pem, leaf_pem, key_pem = _certificates()
    (tmp_path / "leaf.pem").write_bytes(leaf_pem + ca_pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "key.pem")
    # The platform trusts the system's CAs; this test's CA stands in for one of them.
    monkeypatch.setattr(fetch_module, "_tls", ssl.create_default_context(cadata=ca_pem.decode()))
    site = Site(tls=server_tls, name="localhost")
    site.add("/page", "<p>安全连接的页面</p>")
    try:
        result = _capture(site.url("/page"), AddressPolicy(loopback_ports=frozenset({site.port})))
    finally:
        site.close()

    tls = result.environment["tls"]
    assert tls["subject"] == "CN=localhost" and tls["issuer"] == "CN=ArtRights Test CA"
    assert tls["leaf_pem"].encode().strip() == leaf_pem.strip()
    assert dt.datetime.fromisoformat(tls["not_after"]) > result.finished_at
    # The verified chain, leaf first (the ssl module gives it from CPython 3.10 on).
    assert [pem.encode().strip() for pem in tls["chain_pem"]] == [leaf_pem.strip(), ca_pem.strip()]
    assert "安全连接的页面" in result.file("dom.html").data.decode()
    assert _request(result, site.url("/page"))["address"] in ("127.0.0.1", "::1")


# What a page's scripts cannot do -------------------------------------------------------------------------------


def test_a_script_cannot_reach_an_internal_port_by_fetch_websocket_or_any_other_way(sites, connections):
    site, _other, internal, policy = sites
    secret = internal.url("/secret")
    site.add(
        "/page",
        f"""<body><p>脚本</p><iframe src="{internal.url("/framed")}"></iframe>
        <link rel="prefetch" href="{internal.url("/prefetched")}">
        <script>
        const note = (key, value) => {{ document.body.dataset[key] = value; }};
        fetch("{secret}").then(() => note("fetch", "leaked"), () => note("fetch", "blocked"));
        fetch("http://localhost:{internal.port}/by-name").catch(() => {{}});
        fetch("file:///etc/hostname").then(() => note("file", "leaked"), () => note("file", "blocked"));
        navigator.sendBeacon("{internal.url("/beacon")}", "x");
        try {{ new WebSocket("ws://127.0.0.1:{internal.port}/socket"); }} catch (e) {{}}
        try {{ new WebSocket("ws://127.0.0.1:{site.port}/socket"); }} catch (e) {{}}
        note("rtc", typeof RTCPeerConnection);
        try {{  // a shared worker's requests may not be routed at all: then they meet the dead proxy
          const code = `onconnect = (e) => fetch("{internal.url("/from-worker")}").catch(() => {{}});`;
          new SharedWorker(URL.createObjectURL(new Blob([code], {{type: "text/javascript"}})));
        }} catch (e) {{}}
        fetch("/ok").then(() => note("ok", "fetched"));
        </script></body>""",
    )
    site.add("/ok", "ok", "text/plain")

    result = _capture(site.url("/page"), policy)

    assert internal.seen == [] and "/socket" not in site.seen
    assert set(connections) == {"127.0.0.1"}
    dom = result.file("dom.html").data.decode("utf-8-sig")
    assert 'data-fetch="blocked"' in dom and 'data-file="blocked"' in dom and 'data-ok="fetched"' in dom
    assert 'data-rtc="undefined"' in dom  # no WebRTC: it could send UDP that no route sees
    assert _request(result, "file:///etc/hostname")["outcome"] == "failed"
    for path in ("/secret", "/framed", "/prefetched", "/beacon"):
        assert _request(result, internal.url(path))["outcome"] == "refused_address", path
    by_name = _request(result, f"http://localhost:{internal.port}/by-name")
    assert by_name["outcome"] == "failed" and by_name["address"] is None  # a name reads like one that does not exist
    sockets = [r for r in result.requests if r["resource_type"] == "websocket"]
    assert len(sockets) == 2 and all(r["outcome"] == "failed" and "WebSocket" in r["reason"] for r in sockets)
    fetched = {r["url"] for r in result.requests if r["outcome"] == "fetched"}
    assert fetched == {site.url("/page"), site.url("/ok")}


# The browser ---------------------------------------------------------------------------------------------------


def test_even_without_the_route_handler_the_browser_as_launched_reaches_nothing(sites):
    """Belt and braces: Chromium with the capture's arguments alone (no interception) fails every request."""
    from playwright.sync_api import Error, sync_playwright

    site, _other, _internal, _policy = sites
    site.add("/page", "<p>页面</p>")

    def launch_and_visit() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(capture_module._CHROMIUM_ARGS))
            try:
                page = browser.new_page()
                for url in (site.url("/page"), f"http://localhost:{site.port}/page"):
                    with pytest.raises(Error) as caught:
                        page.goto(url, timeout=10_000)
                    assert "ERR_PROXY_CONNECTION_FAILED" in str(caught.value) or "ERR_NAME" in str(caught.value)
            finally:
                browser.close()

    # In a thread of its own, as capture_page runs it: the browser tests' Playwright may own this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(launch_and_visit).result()
    assert site.seen == []


def test_without_chromium_the_capture_says_in_both_languages_what_the_server_needs(sites):
    site, _other, _internal, policy = sites
    site.add("/page", "<p>页面</p>")

    with pytest.raises(CaptureFailed) as caught:
        capture_page(site.url("/page"), policy=policy, limits=FAST, chromium="/nonexistent")

    failure = caught.value
    assert failure.code == "browser_missing"
    assert "Chromium" in failure.message_zh and "ARTRIGHTS_CHROMIUM" in failure.message_zh
    assert "apt install chromium" in failure.message_en and "ARTRIGHTS_CHROMIUM" in failure.message_en
    assert site.seen == []


def test_the_configured_chromium_is_the_one_found(monkeypatch, tmp_path):
    assert find_chromium(CHROMIUM) == CHROMIUM
    assert find_chromium(str(tmp_path / "no-such-browser")) is None  # a wrong setting is reported, not replaced
