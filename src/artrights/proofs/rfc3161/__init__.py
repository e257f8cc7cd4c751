"""RFC 3161 time-stamping: requests, a built-in TSA, token verification and an HTTP client.

Framework-free on purpose: the Django wrapper persists keys, certificates, serial numbers and
tokens; everything here works on bytes, ``cryptography`` objects and plain callables so that it
can be tested without a database and reused from command-line tools.

ASN.1 parsing and encoding is done with ``asn1crypto`` (``asn1crypto.tsp`` / ``asn1crypto.cms``);
every signature, hash and certificate-path operation is done with ``cryptography``.

The package is split along the protocol: ``requests`` (TimeStampReq), ``authority`` (the
built-in TSA that answers them), ``verification`` (what a relying party checks in a token) and
``client`` (asking an external TSA over HTTP). Import from the package, not from the modules.
"""

from __future__ import annotations

from ._common import SUPPORTED_HASHES
from .authority import CounterSerials, TimeStampAuthority
from .client import DEFAULT_MAX_RESPONSE_BYTES, ExternalTimestamp, TimestampClientError, fetch_timestamp
from .requests import MessageImprint, RequestError, TimeStampRequest, build_request, parse_request
from .verification import CHECKS, TimestampError, VerifiedTimestamp, verify

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
