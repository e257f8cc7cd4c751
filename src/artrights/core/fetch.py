"""Fetching a URL a user gave us (a suspect image, a page to watch), with limits.

Size and time are capped, only http(s) is allowed, redirects are followed a few times, and in production
addresses on private, loopback and link-local networks are refused so a user cannot make the server probe
its own network (SSRF). Development and tests allow them (`ARTRIGHTS_FETCH_PRIVATE`), since tests serve
pages on loopback.

A failure is a :class:`FetchError` with a stable ``reason`` (see :data:`REASONS`) rather than the text of the
underlying exception: people read "the site's name could not be found", not ``[Errno -2] Name or service not
known``. The reason and its details are kept apart from the wording so a failure recorded by the worker (in
Chinese) is shown later in the reader's language (:func:`reason_message`).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

USER_AGENT = "ArtRights-Monitor/1.0 (+copyright protection platform)"

# Why a fetch failed, in words a person acts on; details (host, status, limit) are filled in when shown.
REASONS: dict[str, Promise] = {
    "bad_url": _("网址无效，或不是 http/https 网址。"),
    "private": _("出于安全原因，不抓取内网地址（%(host)s）。"),
    "dns": _("找不到该网站：域名 %(host)s 无法解析。请检查网址是否拼写正确。"),
    "refused": _("网站 %(host)s 拒绝连接（服务器可能已关闭）。"),
    "timeout": _("网站 %(host)s 在规定时间内没有响应（超时）。"),
    "tls": _("网站 %(host)s 的安全证书无效，无法建立安全连接。"),
    "connection": _("与网站 %(host)s 的连接中断。"),
    "redirects": _("网址重定向次数过多。"),
    "http_status": _("网站返回错误 %(status)s（%(status_text)s）。"),
    "too_large": _("网址内容过大（超过 %(limit)s MB）。"),
    "not_image": _("网址打开的是网页而不是图片。请填写图片本身的网址，或使用“监测网页”检查整个网页。"),
}

_STATUS_TEXT: dict[int, Promise] = {
    401: pgettext_lazy("HTTP status", "需要登录"),
    403: pgettext_lazy("HTTP status", "禁止访问"),
    404: pgettext_lazy("HTTP status", "页面不存在"),
    410: pgettext_lazy("HTTP status", "页面已删除"),
    429: pgettext_lazy("HTTP status", "请求过于频繁"),
}


def reason_message(reason: str, details: dict[str, Any] | None = None) -> str:
    """The reason a fetch failed, in the active language; an unknown reason code reads as a lost connection."""
    details = dict(details or {})
    status = details.get("status")
    if status is not None and "status_text" not in details:
        details["status_text"] = str(
            _STATUS_TEXT.get(int(status))
            or (pgettext("HTTP status", "服务器错误") if int(status) >= 500 else pgettext("HTTP status", "请求被拒绝"))
        )
    details.setdefault("host", "")
    template = str(REASONS.get(reason, REASONS["connection"]))
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


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def _check_host(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_url")
    if settings.ARTRIGHTS_FETCH_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise FetchError("dns", host=parts.hostname) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError("private", host=parts.hostname)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        _check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _reason_of(exc: BaseException) -> str:
    """Which of :data:`REASONS` an exception raised while connecting or reading means."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _reason_of(exc.reason)
    if isinstance(exc, socket.gaierror):
        return "dns"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "tls"
    if isinstance(exc, ValueError | http.client.InvalidURL):
        return "bad_url"
    return "connection"


def fetch(url: str, *, max_bytes: int, timeout: float = 15.0) -> Fetched:
    """GET `url` and return its body (at most `max_bytes`), or raise FetchError saying why not."""
    _check_host(url)
    host = urllib.parse.urlsplit(url).hostname or ""
    opener = urllib.request.build_opener(_CheckedRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as reply:
            body = reply.read(max_bytes + 1)
            final_url = reply.geturl()
            content_type = reply.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        # urllib reports a redirect loop (or more than max_redirections) as the last 3xx reply.
        if 300 <= exc.code < 400:
            raise FetchError("redirects", host=host) from exc
        raise FetchError("http_status", host=host, status=exc.code) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise FetchError(_reason_of(exc), host=host) from exc
    if len(body) > max_bytes:
        raise FetchError("too_large", host=host, limit=f"{max_bytes / 1024 / 1024:.0f}")
    return Fetched(url=final_url, content_type=content_type, body=body)
