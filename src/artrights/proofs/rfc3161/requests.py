"""Time-stamp requests (RFC 3161 §2.4.1): what a client sends and what a TSA accepts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from asn1crypto import tsp as asn1_tsp

from ._common import SUPPORTED_HASHES, _digest_size, _hash

MAX_REQUEST_BYTES = 16 * 1024


class RequestError(ValueError):
    """A TimeStampReq that cannot be honoured; ``fail_info`` is the PKIFailureInfo bit name."""

    def __init__(self, message: str, fail_info: str = "bad_request") -> None:
        super().__init__(message)
        self.fail_info = fail_info


@dataclass(frozen=True)
class MessageImprint:
    """The hash of the data to be time-stamped; the data itself never reaches the TSA."""

    hash_alg: str
    digest: bytes

    def __post_init__(self) -> None:
        if self.hash_alg not in SUPPORTED_HASHES:
            raise RequestError(f"unsupported hash algorithm {self.hash_alg!r}", "bad_alg")
        expected = _digest_size(self.hash_alg)
        if len(self.digest) != expected:
            raise RequestError(
                f"{self.hash_alg} digest must be {expected} bytes, got {len(self.digest)}",
                "bad_data_format",
            )

    @classmethod
    def of(cls, data: bytes, hash_alg: str = "sha256") -> MessageImprint:
        if hash_alg not in SUPPORTED_HASHES:
            raise RequestError(f"unsupported hash algorithm {hash_alg!r}", "bad_alg")
        return cls(hash_alg, _hash(hash_alg, data))


@dataclass(frozen=True)
class TimeStampRequest:
    imprint: MessageImprint
    nonce: int | None = None
    cert_req: bool = True
    policy: str | None = None

    def to_der(self) -> bytes:
        fields: dict[str, object] = {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": self.imprint.hash_alg},
                "hashed_message": self.imprint.digest,
            },
            "cert_req": self.cert_req,
        }
        if self.policy is not None:
            fields["req_policy"] = self.policy
        if self.nonce is not None:
            fields["nonce"] = self.nonce
        return bytes(asn1_tsp.TimeStampReq(fields).dump())


def build_request(
    data: bytes | None = None,
    *,
    digest: bytes | None = None,
    hash_alg: str = "sha256",
    nonce: int | None = None,
    cert_req: bool = True,
    policy: str | None = None,
) -> TimeStampRequest:
    """Build a request for ``data`` (hashed here) or for a ready ``digest``.

    A fresh random nonce (63 bits, so it always fits a signed 64-bit integer on the TSA side) is
    used unless one is given: without it a replayed old response for the same imprint would be
    indistinguishable from a fresh one.
    """
    if (data is None) == (digest is None):
        raise ValueError("pass exactly one of data= or digest=")
    if data is not None:
        imprint = MessageImprint.of(data, hash_alg)
    else:
        imprint = MessageImprint(hash_alg, digest or b"")
    if nonce is None:
        nonce = secrets.randbits(63) | 1  # odd, so never zero
    if nonce < 0:
        raise ValueError("nonce must not be negative")
    return TimeStampRequest(imprint=imprint, nonce=nonce, cert_req=cert_req, policy=policy)


def parse_request(der: bytes) -> TimeStampRequest:
    """Parse a DER TimeStampReq, raising ``RequestError`` with the failInfo a TSA should report."""
    if not isinstance(der, bytes | bytearray | memoryview):
        raise RequestError("request must be bytes", "bad_data_format")
    der = bytes(der)
    if not der:
        raise RequestError("empty request", "bad_data_format")
    if len(der) > MAX_REQUEST_BYTES:
        raise RequestError(f"request larger than {MAX_REQUEST_BYTES} bytes", "bad_request")
    try:
        req = asn1_tsp.TimeStampReq.load(der, strict=True)
        # asn1crypto parses lazily; touching .native forces every field now so that a malformed
        # field is reported as such instead of surfacing later as an unrelated error.
        req.native  # noqa: B018
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise RequestError(f"malformed TimeStampReq: {exc}", "bad_data_format") from exc

    if req["version"].native != "v1":
        raise RequestError(f"unsupported request version {req['version'].native!r}", "bad_request")
    alg = req["message_imprint"]["hash_algorithm"]
    alg_name = alg["algorithm"].native
    if alg_name not in SUPPORTED_HASHES:
        raise RequestError(f"unsupported hash algorithm {alg['algorithm'].dotted}", "bad_alg")
    if alg["parameters"].native is not None:
        raise RequestError("hash algorithm parameters must be absent or NULL", "bad_data_format")
    if req["extensions"].native:
        raise RequestError("request extensions are not supported", "unaccepted_extensions")
    nonce = req["nonce"].native
    if nonce is not None and nonce < 0:
        raise RequestError("nonce must not be negative", "bad_data_format")
    policy = req["req_policy"].dotted if req["req_policy"].native is not None else None
    return TimeStampRequest(
        imprint=MessageImprint(alg_name, bytes(req["message_imprint"]["hashed_message"].native)),
        nonce=nonce,
        cert_req=bool(req["cert_req"].native),
        policy=policy,
    )
