"""The built-in TSA's identity: its key and two-certificate chain in one PEM file, created on first use.

Tokens from it verify with `openssl ts -verify` given `tsa-root.pem` (served at /tsa/root.pem).
"""

from __future__ import annotations

import os
import threading
import time
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from artrights.core.keyfiles import ensure_secret_file, keys_dir
from artrights.proofs import rfc3161


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
