"""The offline proof bundle: a statement, its title opening, its inclusion proof and its timestamp (no Django).

Proof bundle (``application/json``; embedded in the PDF certificate as ``certificate.json``
and in the C2PA manifest of the signed image)::

    {
      "format": "artrights-proof/v2",
      "statement": {...},                       # see statements.py
      "openings": {"title": {"value": ..., "salt": "<hex>"}},   # when the statement has a work
      "log": {"origin": "...", "index": 7, "tlog_proof": "c2sp.org/tlog-proof@v1\\n..."},
      "timestamp": {"token": "<base64 DER TimeStampResp>", "tsa_chain": ["-----BEGIN CERT..."]}
    }

The bundle is public: whoever holds a certificate may pass it on, so it names the parties (owners, authors,
contract parties, pledgor and pledgee) only through the statement's commitments. The openings that reveal who
they are (name, ID type, ID number) travel apart, in an *openings file* the owner chooses to hand to someone who
must confirm they are the owner (a court, a buyer's lawyer)::

    {
      "format": "artrights-openings/v1",
      "registry": "<log origin>", "number": "粤作登字-2026-F-00000001",
      "statement_sha256": "<hex SHA-256 of the canonical statement: binds the file to one log entry>",
      "parties": [{"role": "owner", "value": {"name": ..., "id_type": ..., "id_number": ...}, "salt": "<hex>"},
                  ...],                         # one per statement party, in the statement's order
      "warning": {"zh": "...", "en": "..."}     # for the reader; not checked
    }

``verification.verify_bundle(bundle, openings=...)`` checks such a file against the commitments and reports
the opened parties; without it the parties stay unopened and the verdict says so.

Format history (both verify):

* ``artrights-proof/v1`` (certificates issued until 2026-11): ``openings`` also held ``parties``, the
  openings of every party commitment, so the certificate and the signed image carried the owner's ID number
  in clear. Such bundles keep verifying exactly as before (their party openings are checked and reported).
* ``artrights-proof/v2``: no party openings in the bundle. The version was raised rather than kept because a
  verifier from before the change refuses a bundle without party openings with a misleading message ("the
  number of party openings does not match"); with v2 it says plainly that the format is newer than it knows.
  A v1 bundle stripped of its party openings (``public_bundle``) is labelled v2 for the same reason.

The RFC 3161 token is over the canonical statement bytes (the log leaf's data), not over the
checkpoint: it then proves *this registration* existed at genTime even if the log's checkpoint is
later replaced by a larger one, and a bundle needs exactly one timestamp. The token's genTime must
not be earlier than ``registered_at`` minus ``verification.CLOCK_TOLERANCE``.

``verification.verify_bundle`` runs the checks in order and stops at the first failure.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from artrights.core.errors import BilingualError

from . import rfc3161
from .statements import Openings, leaf_data
from .tlog import TlogProof

FORMAT = "artrights-proof/v2"
FORMATS = ("artrights-proof/v1", FORMAT)  # every format verify_bundle accepts
OPENINGS_FORMAT = "artrights-openings/v1"
OPENINGS_WARNING = {
    "zh": "本文件含有著作权人的证件号码。只交给必须核实您是著作权人的人（例如法院），不要公开或随证书转发。",
    "en": "This file contains the owner's ID number. Give it only to someone who must confirm you are the owner "
    "(e.g. a court); do not publish it or pass it on with the certificate.",
}


# A bundle is a few kilobytes and five levels deep; an openings file or a document description is smaller.
# Anything far beyond is not one of ours, and unbounded nesting would exhaust the parser's stack.
MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32


class BundleFormatError(BilingualError, ValueError):
    """A proof bundle, openings file or document description that is not JSON of a sane size and depth."""


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
    """Assemble the public proof bundle; ``tsa_chain`` is the TSA certificate first, then its issuers.

    Only the title opening goes in; the party openings go in the separate openings file (:func:`openings_file`).
    """
    proof_text = tlog_proof.to_text() if isinstance(tlog_proof, TlogProof) else tlog_proof
    pems = [c.public_bytes(Encoding.PEM).decode() if isinstance(c, x509.Certificate) else c.decode() for c in tsa_chain]
    return {
        "format": FORMAT,
        "statement": dict(statement),
        "openings": _title_only(openings.to_json()),
        "log": {"origin": statement["registry"], "index": index, "tlog_proof": proof_text},
        "timestamp": {"token": base64.b64encode(timestamp_response).decode(), "tsa_chain": pems},
    }


def dump_bundle(bundle: Mapping[str, Any]) -> bytes:
    """Human-readable UTF-8 JSON (the statement inside is re-canonicalised when verified)."""
    return json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"


def load_bundle(data: bytes | str, *, what: str = "proof bundle") -> dict[str, Any]:
    """The JSON object in ``data``; :class:`BundleFormatError` (a ``ValueError``) when it is not one of a sane
    size (:data:`MAX_JSON_BYTES`) and depth (:data:`MAX_JSON_DEPTH`)."""
    if len(data) > MAX_JSON_BYTES:
        raise BundleFormatError(
            "too_large",
            f"文件过大（超过 {MAX_JSON_BYTES // 1024} KB），不是证明材料",
            f"{what} is larger than {MAX_JSON_BYTES // 1024} KB",
        )
    try:
        value = json.loads(data, object_pairs_hook=_object_without_repeated_keys, parse_constant=_no_constant)
    except RecursionError:
        value = None  # nested past the interpreter's limit: reported as too deep below
        depth = MAX_JSON_DEPTH + 1
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleFormatError("not_json", "文件不是有效的 JSON", f"{what} is not JSON: {exc}") from None
    else:
        depth = json_depth(value)
    if depth > MAX_JSON_DEPTH:
        raise BundleFormatError(
            "too_deep",
            f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层或含有超出范围的数，不是证明材料",
            f"{what} nests deeper than {MAX_JSON_DEPTH} levels or holds a number out of range",
        )
    if not isinstance(value, dict):
        raise BundleFormatError("not_object", "文件不是 JSON 对象", f"{what} is not a JSON object")
    return value


def _object_without_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Parsers disagree on which of two values for one key wins; a proof must mean one thing to all of them.
    value = dict(pairs)
    if len(value) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        repeated = sorted(key for key, count in counts.items() if count > 1)
        raise ValueError(f"an object repeats the key {', '.join(map(repr, repeated))}")
    return value


def _no_constant(name: str) -> object:
    # NaN and Infinity are not JSON (RFC 8259) and have no canonical form (RFC 8785): no statement holds one.
    raise ValueError(f"{name} is not a JSON number")


def json_depth(value: object, *, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``value`` nests lists and objects (a scalar is 0), counted without recursion and
    stopping once past ``limit``: a value from elsewhere (a C2PA manifest) may be arbitrarily deep.
    A number that is not finite (1e400 reads as infinity) counts as past the limit: no bundle holds one."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return limit + 1
        if isinstance(item, dict | list):
            depth += 1
            if depth > limit:
                return depth
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _title_only(openings: Mapping[str, Any]) -> dict[str, Any]:
    return {"title": openings["title"]} if openings.get("title") is not None else {}


def public_bundle(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """``bundle`` as anyone may see it: without party openings (a v1 bundle loses them and becomes v2)."""
    openings = bundle.get("openings")
    if not isinstance(openings, Mapping) or not openings.get("parties"):
        return dict(bundle)
    return {**bundle, "format": FORMAT, "openings": _title_only(openings)}


def statement_digest(statement: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the canonical statement: what ties an openings file to its log entry."""
    return hashlib.sha256(leaf_data(statement)).hexdigest()


def openings_file(statement: Mapping[str, Any], openings: Openings) -> dict[str, Any]:
    """The owner's openings file for ``statement``: the party openings the public bundle leaves out."""
    return {
        "format": OPENINGS_FORMAT,
        "registry": statement["registry"],
        "number": statement["number"],
        "statement_sha256": statement_digest(statement),
        "parties": openings.to_json()["parties"],
        "warning": dict(OPENINGS_WARNING),
    }


def load_openings_file(data: bytes | str | Mapping[str, Any]) -> tuple[str, Openings]:
    """``(statement_sha256, party openings)`` of an openings file; ``ValueError`` when it is not one."""
    value = load_bundle(data, what="openings file") if isinstance(data, bytes | str) else dict(data)
    if value.get("format") != OPENINGS_FORMAT:
        raise ValueError(f"format is {value.get('format')!r}, want {OPENINGS_FORMAT!r}")
    digest = value.get("statement_sha256")
    if not isinstance(digest, str) or len(digest) != 64:
        raise ValueError("statement_sha256 must be a hex SHA-256")
    if not isinstance(value.get("parties"), list) or not value["parties"]:
        raise ValueError("an openings file needs a non-empty 'parties' list")
    return digest, Openings.from_json({"parties": value["parties"]})
