"""Fetching a URL a user gave us (a suspect image, a page to watch), with limits.

Size and time are capped, only http(s) is allowed, redirects are followed a few times, and in production
addresses on private, loopback and link-local networks are refused so a user cannot make the server probe
its own network (SSRF). Development and tests allow them (`ARTRIGHTS_FETCH_PRIVATE`), since tests serve
pages on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "ArtRights-Monitor/1.0 (+copyright protection platform)"


class FetchError(Exception):
    """The URL could not be fetched; the message is for the user."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def _check_host(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("只能抓取 http 或 https 网址：%(url)s") % {"url": url[:200]})
    if settings.ARTRIGHTS_FETCH_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise FetchError(_("无法解析主机名：%(host)s") % {"host": parts.hostname}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(_("不允许抓取内网地址：%(host)s") % {"host": parts.hostname})


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        _check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int, timeout: float = 15.0) -> Fetched:
    """GET `url` and return its body (at most `max_bytes`), or raise FetchError saying why not."""
    _check_host(url)
    opener = urllib.request.build_opener(_CheckedRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as reply:
            body = reply.read(max_bytes + 1)
            final_url = reply.geturl()
            content_type = reply.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise FetchError(_("网址返回错误 %(code)s：%(url)s") % {"code": exc.code, "url": url[:200]}) from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise FetchError(
            _("无法访问网址：%(url)s（%(reason)s）") % {"url": url[:200], "reason": str(exc)[:200]}
        ) from exc
    if len(body) > max_bytes:
        raise FetchError(_("网址内容过大（超过 %(mb).0f MB）。") % {"mb": max_bytes / 1024 / 1024})
    return Fetched(url=final_url, content_type=content_type, body=body)
