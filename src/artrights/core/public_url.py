"""The platform's public address: what certificates' QR codes, the demo banner and pages point people to.

One answer everywhere, in this order:

1. ``ARTRIGHTS_PUBLIC_URL`` when set: the operator's public name (behind a proxy, on another port, with https).
   ``artrights serve`` sets it for its web and worker processes to the address it serves when the operator
   left it empty, so a certificate the worker makes carries the served address too.
2. the address of the request being served: pages, and work a request does inline (a digital filing's
   certificate), see :class:`artrights.core.middleware.PublicUrlMiddleware`;
3. the address ``artrights serve`` listens on by default (a worker or command started on its own).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# The request this thread is serving, kept lazily: its host is read (and checked against ALLOWED_HOSTS) only when
# an address is asked for.
_current_request: ContextVar[HttpRequest | None] = ContextVar("public_url_request", default=None)


def served_address(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    """The http address a browser on this machine reaches for a server bound to ``host:port``."""
    if host in ("", "0.0.0.0", "::"):  # a wildcard bind answers on the loopback too
        host = DEFAULT_HOST
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass  # a host name
    return f"http://{host}:{port}"


def configured() -> str:
    """``ARTRIGHTS_PUBLIC_URL`` without a trailing slash; empty when the address is to be derived."""
    return str(settings.ARTRIGHTS_PUBLIC_URL).strip().rstrip("/")


def public_url(request: HttpRequest | None = None) -> str:
    """The platform's public address without a trailing slash, e.g. ``https://copyright.example.cn``."""
    if configured():
        return configured()
    request = request or _current_request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return served_address()


def absolute(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (``/verify/…``) as a full address under :func:`public_url`."""
    return public_url(request) + "/" + path.lstrip("/")


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Within the block, :func:`public_url` without an argument answers with ``request``'s address."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)
