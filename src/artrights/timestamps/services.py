"""The platform's time-stamping: the built-in RFC 3161 TSA and the external TSAs configured by URL.

The built-in TSA's key and two-certificate chain live in one PEM file under the keys directory, created on
first use. Tokens from it verify with `openssl ts -verify` given `tsa-root.pem` (served at /tsa/root.pem).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from artrights.core.keyfiles import ensure_secret_file, keys_dir
from artrights.proofs import rfc3161

from .models import ExternalTimestamp

logger = logging.getLogger(__name__)


class _TimeSerials:
    """Strictly increasing serials without shared state: microseconds since the epoch, with the process id in
    the low 16 bits, so the web processes and the worker never hand out the same number."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            value = (time.time_ns() // 1000) << 16 | (os.getpid() & 0xFFFF)
            value = max(value, self._last + (1 << 16))
            self._last = value
            return value


_serials = _TimeSerials()


def _tsa_file() -> bytes:
    def make() -> bytes:
        tsa = rfc3161.TimeStampAuthority.generate(
            policy_oid=_policy(),
            serial_source=_serials,
            # X.509 names allow 64 bytes: the Chinese organisation name goes in O, a short CN stays ASCII.
            common_name="ArtRights Time-Stamping Authority",
            organization=settings.ARTRIGHTS_REGISTRY_NAME[:21],
        )
        return tsa.private_key_pem() + tsa.certificate_pem + tsa.root_certificate_pem

    return ensure_secret_file(keys_dir() / "tsa.pem", make)


def _policy() -> str:
    return str(settings.ARTRIGHTS_TSA_POLICY_OID)


@lru_cache(maxsize=1)
def _load(pem: bytes) -> rfc3161.TimeStampAuthority:
    key_end = pem.index(b"-----END PRIVATE KEY-----") + len(b"-----END PRIVATE KEY-----\n")
    certs = x509.load_pem_x509_certificates(pem[key_end:])
    return rfc3161.TimeStampAuthority.from_pem(
        pem[:key_end],
        certs[0].public_bytes(serialization.Encoding.PEM),
        certs[1].public_bytes(serialization.Encoding.PEM),
        policy_oid=_policy(),
        serial_source=_serials,
    )


def builtin_tsa() -> rfc3161.TimeStampAuthority:
    return _load(_tsa_file())


def tsa_chain() -> list[x509.Certificate]:
    """The built-in TSA's certificate, then its root."""
    tsa = builtin_tsa()
    return [tsa.certificate, tsa.root_certificate]


def trusted_roots() -> list[x509.Certificate]:
    """Roots a token from any configured TSA must chain to: ours plus the operator's external TSA roots."""
    roots = [builtin_tsa().root_certificate]
    for path in settings.ARTRIGHTS_EXTERNAL_TSA_ROOTS:
        roots += x509.load_pem_x509_certificates(open(path, "rb").read())
    return roots


def check_token(token: bytes, data: bytes) -> rfc3161.VerifiedTimestamp:
    """Verify a stored token over ``data`` against every TSA root the platform trusts (raises TimestampError)."""
    return rfc3161.verify(token, data=data, trusted_roots=trusted_roots())


def answer(request_der: bytes) -> bytes:
    """The built-in TSA's DER TimeStampResp to a DER TimeStampReq (rejections included)."""
    return builtin_tsa().issue(request_der)


def stamp(data: bytes) -> bytes:
    """A verified token over `data` from the built-in TSA (DER TimeStampResp).

    When external TSAs are configured, the worker also fetches their tokens over the same digest.
    """
    request = rfc3161.build_request(data, cert_req=True)
    response = answer(request.to_der())
    rfc3161.verify(response, data=data, trusted_roots=[builtin_tsa().root_certificate], nonce=request.nonce)
    if settings.ARTRIGHTS_EXTERNAL_TSA_URLS:
        from .tasks import stamp_externally_task

        stamp_externally_task(request.imprint.digest.hex())
    return response


def stamp_external(digest: bytes) -> list[ExternalTimestamp]:
    """Tokens over a SHA-256 digest from every external TSA in ARTRIGHTS_EXTERNAL_TSA_URLS, verified and kept.

    A TSA that fails is logged and skipped; the others still count.
    """
    kept = []
    for url in settings.ARTRIGHTS_EXTERNAL_TSA_URLS:
        try:
            reply = rfc3161.fetch_timestamp(url, digest=digest, trusted_roots=trusted_roots())
        except (rfc3161.TimestampError, rfc3161.TimestampClientError, ValueError):
            logger.exception("external TSA %s failed", url)
            continue
        kept.append(
            ExternalTimestamp.objects.create(
                digest=digest.hex(), url=url, response=reply.response, gen_time=reply.verified.gen_time
            )
        )
    return kept
