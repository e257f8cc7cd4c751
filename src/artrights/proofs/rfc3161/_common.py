"""What the request, authority and verification modules share: hashes, the response type, clocks."""

from __future__ import annotations

import datetime as dt

from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import tsp as asn1_tsp
from cryptography.hazmat.primitives import hashes

# SHA-1 and MD5 imprints are refused: a collision would let someone re-use a token for other data.
SUPPORTED_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class _TimeStampResp(asn1_core.Sequence):  # type: ignore[misc]  # asn1crypto ships no type hints
    # asn1crypto declares timeStampToken mandatory, but RFC 3161 §2.4.2 makes it OPTIONAL and
    # every rejection omits it; without this, rejections could be neither built nor parsed.
    _fields = [
        ("status", asn1_tsp.PKIStatusInfo),
        ("time_stamp_token", asn1_cms.ContentInfo, {"optional": True}),
    ]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_aware(moment: dt.datetime, what: str) -> dt.datetime:
    # A naive datetime would silently be read as local time and shift every validity decision.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.astimezone(dt.UTC)


def _hash(name: str, data: bytes) -> bytes:
    digest = hashes.Hash(SUPPORTED_HASHES[name]())
    digest.update(data)
    return digest.finalize()


def _digest_size(name: str) -> int:
    # On an instance: the type stubs declare digest_size as a property, not a class attribute.
    return SUPPORTED_HASHES[name]().digest_size
