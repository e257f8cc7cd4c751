"""The offline proof bundle: a statement, its openings, its inclusion proof and its timestamp (no Django).

Proof bundle (``application/json``; embedded in the PDF certificate as ``certificate.json``
and in the C2PA manifest of the signed image)::

    {
      "format": "artrights-proof/v1",
      "statement": {...},                       # see statements.py
      "openings": {"title": {"value": ..., "salt": "<hex>"},          # when there is a work
                   "parties": [{"role": "owner", "value": ..., "salt": "<hex>"}, ...]},  # role optional
      "log": {"origin": "...", "index": 7, "tlog_proof": "c2sp.org/tlog-proof@v1\\n..."},
      "timestamp": {"token": "<base64 DER TimeStampResp>", "tsa_chain": ["-----BEGIN CERT..."]}
    }

The RFC 3161 token is over the canonical statement bytes (the log leaf's data), not over the
checkpoint: it then proves *this registration* existed at genTime even if the log's checkpoint is
later replaced by a larger one, and a bundle needs exactly one timestamp. The token's genTime must
not be earlier than ``registered_at`` minus ``verification.CLOCK_TOLERANCE``.

``verification.verify_bundle`` runs the checks in order and stops at the first failure.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from . import rfc3161
from .statements import Openings
from .tlog import TlogProof

FORMAT = "artrights-proof/v1"


# Anything that turns a DER TimeStampReq into a DER TimeStampResp: the built-in TSA's ``issue``
# or an HTTP client. Kept as a bare callable so that the registry app chooses the TSA.
Timestamper = Callable[[bytes], bytes]


def tsa_timestamper(tsa: rfc3161.TimeStampAuthority) -> Timestamper:
    return lambda request: tsa.issue(request)


def timestamp_data(data: bytes, timestamper: Timestamper, *, trusted_roots: Sequence[x509.Certificate]) -> bytes:
    """Ask ``timestamper`` for a token over ``data``; returns the DER TimeStampResp.

    The answer is verified (imprint, nonce, chain to ``trusted_roots``) before it is used, so a
    misconfigured TSA fails at issuance rather than in a relying party's hands.
    """
    request = rfc3161.build_request(data, cert_req=True)
    response = timestamper(request.to_der())
    try:
        rfc3161.verify(response, data=data, trusted_roots=trusted_roots, nonce=request.nonce)
    except rfc3161.TimestampError as exc:
        raise ValueError(f"时间戳机构返回了无效的时间戳 / the TSA answered an unusable token: {exc}") from exc
    return response


def build_bundle(
    statement: Mapping[str, Any],
    openings: Openings,
    *,
    index: int,
    tlog_proof: str | TlogProof,
    timestamp_response: bytes,
    tsa_chain: Sequence[x509.Certificate | bytes],
) -> dict[str, Any]:
    """Assemble the proof bundle; ``tsa_chain`` is the TSA certificate first, then its issuers."""
    proof_text = tlog_proof.to_text() if isinstance(tlog_proof, TlogProof) else tlog_proof
    pems = [c.public_bytes(Encoding.PEM).decode() if isinstance(c, x509.Certificate) else c.decode() for c in tsa_chain]
    return {
        "format": FORMAT,
        "statement": dict(statement),
        "openings": openings.to_json(),
        "log": {"origin": statement["registry"], "index": index, "tlog_proof": proof_text},
        "timestamp": {"token": base64.b64encode(timestamp_response).decode(), "tsa_chain": pems},
    }


def dump_bundle(bundle: Mapping[str, Any]) -> bytes:
    """Human-readable UTF-8 JSON (the statement inside is re-canonicalised when verified)."""
    return json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"


def load_bundle(data: bytes | str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"proof bundle is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError("proof bundle is not a JSON object")
    return value
