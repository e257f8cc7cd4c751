"""HTTP client for external TSAs (RFC 3161 §3.4): ask for a token and verify it before keeping it."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509

from .requests import build_request
from .verification import TimestampError, VerifiedTimestamp, verify

# Real responses are a few KiB (the IdenTrust vector, with two RSA certificates, is under 5 KiB);
# the limit only keeps a hostile or broken server from filling memory.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024

_TIMESTAMP_QUERY = "application/timestamp-query"
_TIMESTAMP_REPLY = "application/timestamp-reply"


class TimestampClientError(Exception):
    """The TSA could not be reached or answered something that is not a time-stamp reply."""


@dataclass(frozen=True)
class ExternalTimestamp:
    response: bytes
    verified: VerifiedTimestamp

    @property
    def token(self) -> bytes:
        return self.verified.token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET (or go to another host); TSAs do not redirect.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch_timestamp(
    url: str,
    *,
    data: bytes | None = None,
    digest: bytes | None = None,
    hash_alg: str = "sha256",
    trusted_roots: Sequence[x509.Certificate],
    tsa_certificate: x509.Certificate | None = None,
    intermediates: Sequence[x509.Certificate] = (),
    policy: str | None = None,
    timeout: float = 10.0,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    now: dt.datetime | None = None,
) -> ExternalTimestamp:
    """Ask an RFC 3161 TSA over HTTP(S) for a token and verify it before returning it."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"TSA URL must be http or https, not {scheme or 'relative'!r}")
    request = build_request(data, digest=digest, hash_alg=hash_alg, policy=policy)
    http_request = urllib.request.Request(
        url,
        data=request.to_der(),
        method="POST",
        headers={"Content-Type": _TIMESTAMP_QUERY, "Accept": _TIMESTAMP_REPLY},
    )
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(http_request, timeout=timeout) as reply:
            content_type = reply.headers.get_content_type()
            length = reply.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > max_response_bytes:
                raise TimestampClientError(f"TSA reply of {length} bytes exceeds {max_response_bytes}")
            body = reply.read(max_response_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise TimestampClientError(f"TSA answered HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TimestampClientError(f"TSA unreachable: {exc}") from exc
    if len(body) > max_response_bytes:
        raise TimestampClientError(f"TSA reply exceeds {max_response_bytes} bytes")
    if content_type != _TIMESTAMP_REPLY:
        raise TimestampClientError(f"TSA replied with {content_type}, not {_TIMESTAMP_REPLY}")

    verified = verify(
        body,
        digest=request.imprint.digest,
        trusted_roots=trusted_roots,
        tsa_certificate=tsa_certificate,
        intermediates=intermediates,
        nonce=request.nonce,
        policy=policy,
        now=now,
    )
    # The imprint check compared digests only; make sure the TSA did not switch algorithms.
    if verified.hash_alg != request.imprint.hash_alg:
        raise TimestampError("imprint", f"TSA answered with {verified.hash_alg}, asked {hash_alg}")
    return ExternalTimestamp(response=body, verified=verified)
