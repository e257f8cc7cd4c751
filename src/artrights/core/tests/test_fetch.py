"""Fetching a URL a user gave: only public addresses, checked after resolution and on every connection and
redirect, one deadline for the whole fetch, and failures that do not map the server's network.

The tests that fetch run behind the ``connections`` guard (conftest.py), which refuses and records any
connection off the loopback network, so even a broken fetcher never sends a packet to 169.254.169.254 or 10.x."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
import time

import pytest
from django.utils import translation

from artrights.core.addresses import AddressPolicy, is_public
from artrights.core.fetch import FetchError, fetch
from artrights.testing import allow_fetching

# Addresses a URL must never reach, each with why.
NOT_PUBLIC = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # link-local: the cloud metadata service
    "100.64.0.1",  # CGNAT
    "0.0.0.0",  # unspecified
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "fe80::1",  # link-local
    "fc00::1",  # unique local
    "fec0::1",  # site-local
    "ff02::1",  # multicast
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::1",  # local-use NAT64
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001::1",  # Teredo
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "2001:db8::1",  # documentation
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "203.0.114.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_an_address_off_the_public_internet_is_not_public(address):
    assert not is_public(ipaddress.ip_address(address))
    assert not AddressPolicy().permits(ipaddress.ip_address(address), 80)


@pytest.mark.parametrize("address", PUBLIC)
def test_a_public_address_is_public(address):
    assert is_public(ipaddress.ip_address(address))


def test_a_test_may_open_one_loopback_port_and_no_other_address():
    policy = AddressPolicy(loopback_ports=frozenset({8123}))
    assert policy.permits(ipaddress.ip_address("127.0.0.1"), 8123)
    assert policy.permits(ipaddress.ip_address("::1"), 8123)
    assert not policy.permits(ipaddress.ip_address("127.0.0.1"), 5432)
    assert not policy.permits(ipaddress.ip_address("10.0.0.1"), 8123)
    assert not policy.permits(ipaddress.ip_address("::ffff:127.0.0.1"), 8123)


# Loopback servers --------------------------------------------------------------------------------------------


class _Site(http.server.BaseHTTPRequestHandler):
    """Redirects to wherever ``/to?<url>`` says, answers ``/pic.png`` with a tiny body, counts requests."""

    requests: list[str]

    def do_GET(self):
        type(self).requests.append(self.path)
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = b"picture"
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


class _V6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _serve(handler, host="127.0.0.1"):
    kind = type(handler.__name__, (handler,), {"requests": []})
    server = (_V6Server if ":" in host else http.server.ThreadingHTTPServer)((host, 0), kind)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, kind


@pytest.fixture
def two_sites(settings, connections):
    """A site the test allows (``allowed``) and one on loopback it does not (``internal``), e.g. a database."""
    allowed, allowed_kind = _serve(_Site)
    internal, internal_kind = _serve(_Site)
    allow_fetching(settings, allowed.server_port)
    yield allowed.server_port, allowed_kind.requests, internal.server_port, internal_kind.requests
    allowed.shutdown()
    internal.shutdown()


def test_the_allowed_test_site_is_fetched(two_sites):
    port, _seen, _internal, _internal_seen = two_sites
    assert fetch(f"http://127.0.0.1:{port}/pic.png", max_bytes=100).body == b"picture"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{internal}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{internal}/secret",
        "http://[::ffff:127.0.0.1]:{internal}/secret",
        "http://10.0.0.7/admin",
        "http://2130706433:{internal}/secret",  # 127.0.0.1 written as a number
        "http://localhost:{internal}/secret",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused_before_connecting(two_sites, connections, target):
    port, seen, internal, internal_seen = two_sites
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/to?{target.format(internal=internal)}", max_bytes=100)
    assert caught.value.reason in ("unreachable", "dns")
    assert seen == [f"/to?{target.format(internal=internal)}"] and internal_seen == []
    assert set(connections) == {"127.0.0.1"}  # only the allowed site was ever connected to


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5432/", "http://localhost:5432/", "http://169.254.169.254/", "http://[::1]:6379/"]
)
def test_the_platform_fetches_no_internal_address_in_any_mode(connections, url):
    with pytest.raises(FetchError) as caught:
        fetch(url, max_bytes=100)
    assert caught.value.reason in ("unreachable", "dns")
    assert connections == []


def test_a_name_that_resolves_to_loopback_is_refused_like_a_name_that_does_not_exist(two_sites, connections):
    _port, _seen, internal, internal_seen = two_sites
    with pytest.raises(FetchError) as inside:
        fetch(f"http://localhost:{internal}/secret", max_bytes=100)
    with pytest.raises(FetchError) as nowhere:
        fetch(f"http://no-such-host.invalid:{internal}/secret", max_bytes=100)
    assert inside.value.reason == nowhere.value.reason == "dns"
    assert str(inside.value).replace("localhost", "X") == str(nowhere.value).replace("no-such-host.invalid", "X")
    assert internal_seen == [] and connections == []


def test_an_internal_address_reads_like_a_closed_port_and_a_dead_host(settings, connections):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    allow_fetching(settings, closed_port)
    messages = set()
    for url in (f"http://127.0.0.1:{closed_port}/", "http://10.0.0.1:5432/", "http://127.0.0.1:22/"):
        with pytest.raises(FetchError) as caught:
            fetch(url, max_bytes=100)
        assert caught.value.reason == "unreachable", url
        messages.add(str(caught.value).replace(caught.value.details["host"], "HOST"))
    assert len(messages) == 1
    [message] = messages
    assert "拒绝" not in message and "内网" not in message
    assert connections == ["127.0.0.1"]  # the closed port was tried; the internal ones never were
    with translation.override("en"):
        assert "could not connect" in str(caught.value).lower()


def test_a_name_checked_once_is_not_resolved_again_for_the_connection(two_sites, connections, monkeypatch):
    """DNS rebinding: the name first answers with the allowed address, then with an internal one."""
    port, seen, _internal, _internal_seen = two_sites
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "rebind.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), args[0]))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert fetch(f"http://rebind.test:{port}/pic.png", max_bytes=100).body == b"picture"
    assert connections == ["127.0.0.1"] and seen == ["/pic.png"]


def test_a_name_with_one_internal_answer_among_public_ones_is_refused(connections, monkeypatch):
    def mixed(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    with pytest.raises(FetchError) as caught:
        fetch("http://mixed.test/", max_bytes=100)
    assert caught.value.reason == "dns" and connections == []


# One deadline ------------------------------------------------------------------------------------------------


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Sends the headers, then one byte of the body a second (at most 60, so it stops by itself)."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(60):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(1)

    def log_message(self, *args):
        pass


class _TrickleHeaders(http.server.BaseHTTPRequestHandler):
    """Never finishes its headers: one header line a second."""

    def do_GET(self):
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(60):
            try:
                self.wfile.write(f"X-Slow-{n}: y\r\n".encode())
                self.wfile.flush()
            except OSError:
                return
            time.sleep(1)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("handler", [_Trickle, _TrickleHeaders])
def test_a_server_that_trickles_is_cut_off_at_the_deadline(settings, connections, handler):
    server, _kind = _serve(handler)
    allow_fetching(settings, server.server_port)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(f"http://127.0.0.1:{server.server_port}/slow.png", max_bytes=10_000, timeout=2)
    finally:
        server.shutdown()
    took = time.monotonic() - started
    assert caught.value.reason == "timeout" and "超时" in str(caught.value)
    assert 1.9 <= took < 3.5, took


def test_the_deadline_covers_every_redirect_together(settings, connections):
    """Each hop is quick, but a chain of slow hops still ends at the one deadline."""

    class SlowRedirect(_Site):
        def do_GET(self):
            time.sleep(0.8)
            super().do_GET()

    server, _kind = _serve(SlowRedirect)
    allow_fetching(settings, server.server_port)
    base = f"http://127.0.0.1:{server.server_port}"
    chain = f"{base}/to?{base}/to?{base}/to?{base}/pic.png"
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(chain, max_bytes=100, timeout=2)
    finally:
        server.shutdown()
    assert caught.value.reason == "timeout" and time.monotonic() - started < 3


def test_a_site_on_ipv6_loopback_is_fetched_when_allowed(settings, connections):
    try:
        server, _kind = _serve(_Site, host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    allow_fetching(settings, server.server_port)
    try:
        assert fetch(f"http://[::1]:{server.server_port}/pic.png", max_bytes=100).body == b"picture"
    finally:
        server.shutdown()
