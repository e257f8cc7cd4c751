"""Fetching a URL a user gave us (a suspect image, a page to watch), with limits that hold in every mode.

**Addresses.** Only http(s); the host is resolved (``core.addresses``) and every address checked before any
connection, and the connection goes to the checked address itself, so a DNS answer that changes between the
check and the connection (rebinding) cannot reach another machine. Each redirect is a new URL checked the same
way. Private, loopback, link-local, CGNAT, multicast and reserved addresses and their IPv6 forms are refused in
every mode; only a test (``settings.ARTRIGHTS_FETCH_LOOPBACK_PORTS``, which only tests set) or the operator's
command line (``policy=``) may let a fetch reach a loopback server.

**Time.** One deadline covers the whole fetch: name resolution, connecting, TLS, every redirect and every read.
A watchdog shuts the connection down when it passes, so a server that trickles a byte a second is cut off at
the deadline instead of holding a thread for as long as it likes.

**What a failure says.** A failure is a :class:`FetchError` with a stable ``reason`` (see :data:`REASONS`),
worded when shown so a failure recorded by the worker is read later in the reader's language
(:func:`reason_message`). The wording is chosen so that the platform cannot be used to map a network:

- ``dns``: the name does not resolve, does not resolve in time, *or resolves to an address that is not
  public*. A typo gets the helpful "check the spelling", and a name that exists only in the server's internal
  DNS reads exactly like one that does not exist.
- ``unreachable``: an IP address that is not public, a refused connection, a connection that timed out or broke
  before a reply. One message, so nobody can tell an open port from a closed one, or an internal address from a
  dead one. (No internal address is ever connected to, so timing tells nothing about the internal network.)
- Helpful and specific once a public server has answered: ``tls`` (its certificate), ``http_status``,
  ``too_large``, ``redirects``, ``timeout`` (it answered but did not finish within the deadline), ``not_image``.

**One exchange.** :func:`fetch` follows redirects and wants a 2xx body. :func:`exchange` makes one request with
the same pinning, deadline and failures, and returns the reply as received, whatever its status, without
following a redirect: a browser capture (``evidence.capture``) answers each request the page makes with it, so
every hop the browser takes is checked again here.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from .addresses import AddressPolicy, AddressRefused, IPAddress, NameNotResolved, resolve

USER_AGENT = "ArtRights-Monitor/1.0 (+copyright protection platform)"
MAX_REDIRECTS = 5
_REDIRECT_CODES = (301, 302, 303, 307, 308)

# Why a fetch failed, in words a person acts on; details (host, status, limit) are filled in when shown.
REASONS: dict[str, Promise] = {
    "bad_url": _("网址无效，或不是 http/https 网址。"),
    "dns": _("找不到该网站：域名 %(host)s 无法解析为可访问的公网地址。请检查网址是否拼写正确。"),
    "unreachable": _("无法连接网站 %(host)s：该地址不可访问，或网站没有响应。请检查网址，或稍后再试。"),
    "timeout": _("网站 %(host)s 没有在规定时间内传完内容（超时）。"),
    "tls": _("网站 %(host)s 的安全证书无效，无法建立安全连接。"),
    "redirects": _("网址重定向次数过多。"),
    "http_status": _("网站返回错误 %(status)s（%(status_text)s）。"),
    "too_large": _("网址内容过大（超过 %(limit)s MB）。"),
    "not_image": _("网址打开的是网页而不是图片。请填写图片本身的网址，或使用“监测网页”检查整个网页。"),
}
# Reasons recorded by earlier releases, shown with today's neutral wording.
_FORMER_REASONS = {"private": "unreachable", "refused": "unreachable", "connection": "unreachable"}

_STATUS_TEXT: dict[int, Promise] = {
    401: pgettext_lazy("HTTP status", "需要登录"),
    403: pgettext_lazy("HTTP status", "禁止访问"),
    404: pgettext_lazy("HTTP status", "页面不存在"),
    410: pgettext_lazy("HTTP status", "页面已删除"),
    429: pgettext_lazy("HTTP status", "请求过于频繁"),
}


def reason_message(reason: str, details: dict[str, Any] | None = None) -> str:
    """The reason a fetch failed, in the active language; an unknown reason code reads as unreachable."""
    details = dict(details or {})
    status = details.get("status")
    if status is not None and "status_text" not in details:
        details["status_text"] = str(
            _STATUS_TEXT.get(int(status))
            or (pgettext("HTTP status", "服务器错误") if int(status) >= 500 else pgettext("HTTP status", "请求被拒绝"))
        )
    details.setdefault("host", "")
    reason = _FORMER_REASONS.get(reason, reason)
    template = str(REASONS.get(reason, REASONS["unreachable"]))
    try:
        return template % details
    except (KeyError, ValueError, TypeError):  # details recorded by an older release
        return template.split("%(")[0].rstrip("（(：: ")


class FetchError(Exception):
    """The URL could not be fetched: ``reason`` (a key of :data:`REASONS`) and ``details`` say why;
    ``str()`` is the message in the active language."""

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details

    def __str__(self) -> str:
        return reason_message(self.reason, self.details)

    def messages(self) -> tuple[str, str]:
        """The message in Chinese and in English (for a ``BilingualError`` made from this failure)."""
        words = []
        for language in ("zh-hans", "en"):
            with translation.override(language):
                words.append(str(self))
        return words[0], words[1]

    def bilingual(self) -> str:
        """Chinese, then English, for terminals and logs (as ``BilingualError.bilingual``)."""
        return " / ".join(self.messages())


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def platform_policy() -> AddressPolicy:
    """The address policy of the running platform: public addresses only, unless a test granted its server."""
    return AddressPolicy(loopback_ports=frozenset(settings.ARTRIGHTS_FETCH_LOOPBACK_PORTS))


class _Deadline:
    """The time left for one fetch, and a watchdog that shuts its connections down when it runs out."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def over(self) -> bool:
        return self.expired or self.remaining() <= 0

    def watch(self, sock: socket.socket) -> None:
        # A duplicate of the descriptor: shutting it down ends the connection even after TLS took the original.
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._shut_all()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut_all()

    def _shut_all(self) -> None:
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _open(addresses: list[IPAddress], port: int, deadline: _Deadline) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that answers within the deadline."""
    last: OSError = TimeoutError()
    for address in addresses:
        left = deadline.remaining()
        if left <= 0:
            break
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(left)
        try:
            sock.connect((str(address), port))
        except OSError as exc:
            sock.close()
            last = exc
            continue
        deadline.watch(sock)
        sock.settimeout(max(deadline.remaining(), 0.001))
        return sock
    raise last


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address already resolved and checked; the Host header keeps the name."""

    def __init__(self, host: str, port: int, addresses: list[IPAddress], deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=deadline.remaining())
        self._addresses = addresses
        self._deadline = deadline
        self.reached = False  # a TCP connection was made (so running out of time is the site's slowness)
        self.address = ""  # the address connected to, for the record of an exchange

    def connect(self) -> None:
        self.sock = _open(self._addresses, self.port, self._deadline)
        self.reached = True
        self.address = _peer(self.sock)


_tls: ssl.SSLContext | None = None


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once (a context is safe to share between threads)."""
    global _tls
    if _tls is None:
        _tls = ssl.create_default_context()
    return _tls


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTP`, with TLS: the certificate is checked against the host name, not the address."""

    def __init__(self, host: str, port: int, addresses: list[IPAddress], deadline: _Deadline) -> None:
        self._tls = _tls_context()
        super().__init__(host, port, timeout=deadline.remaining(), context=self._tls)
        self._addresses = addresses
        self._deadline = deadline
        self.reached = False
        self.address = ""
        self.peer_certificate: bytes | None = None
        self.peer_chain: tuple[bytes, ...] = ()

    def connect(self) -> None:
        raw = _open(self._addresses, self.port, self._deadline)
        self.reached = True
        self.address = _peer(raw)
        try:
            tls = self._tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise
        self.sock = tls
        self.peer_certificate = tls.getpeercert(binary_form=True)
        self.peer_chain = _verified_chain(tls)


def _peer(sock: socket.socket) -> str:
    try:
        return str(sock.getpeername()[0])
    except OSError:  # the peer hung up already; the reply will fail on its own
        return ""


def _verified_chain(sock: ssl.SSLSocket) -> tuple[bytes, ...]:
    """The chain the server's certificate was verified with (DER, leaf first), when the ssl module gives it:
    a public method from Python 3.13, a method of the underlying ``_ssl`` object from 3.10."""
    getter = getattr(sock, "get_verified_chain", None)
    if getter is None:
        getter = getattr(getattr(sock, "_sslobj", None), "get_verified_chain", None)
    if getter is None:
        return ()
    try:
        return tuple(_der(certificate) for certificate in getter())
    except (ssl.SSLError, ValueError, AttributeError):
        return ()


def _der(certificate: Any) -> bytes:
    if isinstance(certificate, bytes):  # Python 3.13 gives DER already
        return certificate
    return bytes(certificate.public_bytes(_ENCODING_DER))


_ENCODING_DER = 2  # _ssl.ENCODING_DER, for the chain's certificate objects before Python 3.13


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # as people read it (for messages)
    ascii_host: str  # as DNS and the Host header take it
    port: int
    path: str


def _target(url: str) -> _Target:
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
        host = parts.hostname or ""
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as exc:
        raise FetchError("bad_url") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError("bad_url")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if any(c in path for c in "\r\n ") or any(ord(c) < 32 for c in path):
        path = urllib.parse.quote(path, safe="/?&=%:@!$'()*+,;~")
    default_port = 443 if parts.scheme == "https" else 80
    return _Target(url, parts.scheme, host, ascii_host, port or default_port, path)


def ensure_fetchable(
    url: str, *, resolve: bool = True, policy: AddressPolicy | None = None, timeout: float = 5.0
) -> None:
    """Raise FetchError unless ``url`` is an http(s) URL and (with ``resolve``) its host resolves within
    ``timeout`` seconds to permitted addresses only: what a watched page is checked against when it is added."""
    target = _target(url)
    if resolve:
        _resolve(target, policy or platform_policy(), timeout)


def _resolve(target: _Target, policy: AddressPolicy, timeout: float) -> list[IPAddress]:
    try:
        return resolve(target.ascii_host, target.port, policy, timeout=timeout)
    except NameNotResolved:
        raise FetchError("dns", host=target.host) from None
    except AddressRefused:
        raise FetchError("unreachable", host=target.host) from None


def fetch(url: str, *, max_bytes: int, timeout: float | None = None, policy: AddressPolicy | None = None) -> Fetched:
    """GET ``url`` and return its body (at most ``max_bytes``), all within ``timeout`` seconds (default
    ``ARTRIGHTS_FETCH_SECONDS``), or raise FetchError saying why not. ``policy`` defaults to the platform's
    (public addresses only)."""
    policy = policy or platform_policy()
    deadline = _Deadline(settings.ARTRIGHTS_FETCH_SECONDS if timeout is None else timeout)
    try:
        return _follow(_target(url), max_bytes, policy, deadline)
    finally:
        deadline.close()


def _follow(target: _Target, max_bytes: int, policy: AddressPolicy, deadline: _Deadline) -> Fetched:
    for _hop in range(MAX_REDIRECTS + 1):
        if deadline.over():  # the hops before this one used the time up
            raise FetchError("timeout", host=target.host)
        addresses = _resolve(target, policy, max(deadline.remaining(), 0.001))
        status, location, content_type, body = _get(target, addresses, max_bytes, deadline)
        if status in _REDIRECT_CODES and location:
            target = _target(urllib.parse.urljoin(target.url, location))
            continue
        if status >= 400:
            raise FetchError("http_status", host=target.host, status=status)
        if status in _REDIRECT_CODES:  # a redirect without a Location
            raise FetchError("http_status", host=target.host, status=status)
        return Fetched(url=target.url, content_type=content_type, body=body)
    raise FetchError("redirects", host=target.host)


def _get(
    target: _Target, addresses: list[IPAddress], max_bytes: int, deadline: _Deadline
) -> tuple[int, str, str, bytes]:
    """One request: (status, Location, content type, body) of the reply."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target.ascii_host, target.port, addresses, deadline)
    try:
        connection.request("GET", target.path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        reply = connection.getresponse()
        status = reply.status
        if reply.status in _REDIRECT_CODES or reply.status >= 400:
            return reply.status, reply.getheader("Location") or "", "", b""
        length = reply.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise _too_large(target, max_bytes)
        body = reply.read(max_bytes + 1)
        content_type = reply.headers.get_content_type()
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _transport_error(exc, target, connection, deadline) from exc
    finally:
        connection.close()
    if deadline.over():
        raise FetchError("timeout", host=target.host)
    if len(body) > max_bytes:
        raise _too_large(target, max_bytes)
    return status, "", content_type, body


def _transport_error(
    exc: BaseException, target: _Target, connection: _PinnedHTTP | _PinnedHTTPS, deadline: _Deadline
) -> FetchError:
    """What a failed connection, TLS handshake or read means for the person who gave the URL."""
    if isinstance(exc, ssl.SSLCertVerificationError | ssl.CertificateError):
        return FetchError("tls", host=target.host)
    if isinstance(exc, ssl.SSLError) and not deadline.over():
        return FetchError("tls", host=target.host)
    # A public server that answered and then ran out the clock is a slow site; anything before an answer
    # (refused, filtered, reset, not HTTP at all) reads the same for every address.
    if deadline.over() and connection.reached:
        return FetchError("timeout", host=target.host)
    return FetchError("unreachable", host=target.host)


def _too_large(target: _Target, max_bytes: int) -> FetchError:
    return FetchError("too_large", host=target.host, limit=f"{max_bytes / 1024 / 1024:.0f}")


# One exchange, for a browser capture ---------------------------------------------------------------------------

# Headers that belong to one connection, not to the request (RFC 9110 7.6.1), and the ones this module writes
# itself (Host, Content-Length): a caller's values for them are dropped.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its reply as they went over the wire (a redirect is returned, not followed)."""

    url: str
    method: str
    request_headers: tuple[tuple[str, str], ...]  # as sent, in order, Host first
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]  # as received, in order, repeated names kept
    body: bytes  # as received: no content coding undone
    address: str  # the IP address connected to
    http_version: str  # "HTTP/1.1" or "HTTP/1.0"
    peer_certificate: bytes | None  # the server's TLS certificate (DER), for https
    peer_chain: tuple[bytes, ...]  # its verified chain (DER, leaf first), when the ssl module gives it

    def header(self, name: str) -> str | None:
        """The first value of the reply's header ``name`` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def exchange(
    url: str,
    *,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] | None = None,
    body: bytes | None = None,
    max_bytes: int,
    deadline_seconds: float,
    policy: AddressPolicy,
) -> Exchange:
    """Send one request to ``url`` and return the reply, whatever its status, within ``deadline_seconds``
    (resolution, connection, TLS and every read). A redirect is returned as it came: following it is the
    caller's next exchange, checked again. Raises FetchError (``bad_url``, ``dns``, ``unreachable``, ``tls``,
    ``timeout``, ``too_large`` past ``max_bytes`` of body). ``headers`` are sent as given, less the hop-by-hop
    ones; a ``User-Agent`` and ``Accept-Encoding: identity`` are added when absent."""
    target = _target(url)
    deadline = _Deadline(deadline_seconds)
    try:
        addresses = _resolve(target, policy, max(deadline.remaining(), 0.001))
        sent = _request_headers(target, headers, body)
        return _exchange(target, method, sent, body, addresses, max_bytes, deadline)
    finally:
        deadline.close()


def _request_headers(
    target: _Target, headers: Iterable[tuple[str, str]] | None, body: bytes | None
) -> tuple[tuple[str, str], ...]:
    host = f"[{target.ascii_host}]" if ":" in target.ascii_host else target.ascii_host
    default_port = 443 if target.scheme == "https" else 80
    sent = [("Host", host if target.port == default_port else f"{host}:{target.port}")]
    given = [(name, value) for name, value in headers or () if name.lower() not in _HOP_BY_HOP]
    names = {name.lower() for name, _value in given}
    if "user-agent" not in names:
        sent.append(("User-Agent", USER_AGENT))
    if "accept-encoding" not in names:
        sent.append(("Accept-Encoding", "identity"))
    sent.extend(given)
    if body is not None:
        sent.append(("Content-Length", str(len(body))))
    return tuple(sent)


def _exchange(
    target: _Target,
    method: str,
    sent: tuple[tuple[str, str], ...],
    body: bytes | None,
    addresses: list[IPAddress],
    max_bytes: int,
    deadline: _Deadline,
) -> Exchange:
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target.ascii_host, target.port, addresses, deadline)
    try:
        # Every header is written here, so the record of what was sent is exact.
        connection.putrequest(method, target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent:
            connection.putheader(name, value)
        connection.endheaders(body)
        reply = connection.getresponse()
        length = reply.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise _too_large(target, max_bytes)
        content = reply.read(max_bytes + 1)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _transport_error(exc, target, connection, deadline) from exc
    finally:
        connection.close()
    if deadline.over():
        raise FetchError("timeout", host=target.host)
    if len(content) > max_bytes:
        raise _too_large(target, max_bytes)
    return Exchange(
        url=target.url,
        method=method,
        request_headers=sent,
        status=reply.status,
        reason=reply.reason,
        headers=tuple(reply.msg.items()),
        body=content,
        address=connection.address,
        http_version="HTTP/1.0" if reply.version == 10 else "HTTP/1.1",
        peer_certificate=getattr(connection, "peer_certificate", None),
        peer_chain=getattr(connection, "peer_chain", ()),
    )
