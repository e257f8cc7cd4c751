"""RFC 3161 time-stamping: requests, a built-in TSA, token verification and an HTTP client.

Framework-free on purpose: the Django wrapper persists keys, certificates, serial numbers and
tokens; everything here works on bytes, ``cryptography`` objects and plain callables so that it
can be tested without a database and reused from command-line tools.

ASN.1 parsing and encoding is done with ``asn1crypto`` (``asn1crypto.tsp`` / ``asn1crypto.cms``);
every signature, hash and certificate-path operation is done with ``cryptography``.

The package is split along the protocol: ``requests`` (TimeStampReq), ``authority`` (the
built-in TSA that answers them), ``verification`` (what a relying party checks in a token) and
``client`` (asking an external TSA over HTTP). Import from the package, not from the modules.

Only ``verification`` is loaded with the package: the offline verifier needs nothing else, and a
court clerk's ``artrights verify`` should not wait for an HTTP client and a TSA it never uses. The
other names load their module on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._common import SUPPORTED_HASHES
from .verification import CHECKS, TimestampError, VerifiedTimestamp, verify

if TYPE_CHECKING:
    from .authority import CounterSerials, TimeStampAuthority
    from .client import DEFAULT_MAX_RESPONSE_BYTES, ExternalTimestamp, TimestampClientError, fetch_timestamp
    from .requests import MessageImprint, RequestError, TimeStampRequest, build_request, parse_request

_LAZY = {
    "CounterSerials": "authority",
    "TimeStampAuthority": "authority",
    "DEFAULT_MAX_RESPONSE_BYTES": "client",
    "ExternalTimestamp": "client",
    "TimestampClientError": "client",
    "fetch_timestamp": "client",
    "MessageImprint": "requests",
    "RequestError": "requests",
    "TimeStampRequest": "requests",
    "build_request": "requests",
    "parse_request": "requests",
}

__all__ = [
    "CHECKS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "SUPPORTED_HASHES",
    "CounterSerials",
    "ExternalTimestamp",
    "MessageImprint",
    "RequestError",
    "TimeStampAuthority",
    "TimeStampRequest",
    "TimestampClientError",
    "TimestampError",
    "VerifiedTimestamp",
    "build_request",
    "fetch_timestamp",
    "parse_request",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
