"""Registration statements, salted commitments and the offline proof bundle (no Django).

The public log holds only hashes and salted commitments; names and titles stay in the database
and travel to a relying party only inside the holder's proof bundle, as *openings*.

Commitment
    ``commit(value, salt) = hex(SHA-256(salt || RFC 8785 canonical JSON of value))``, with a
    random salt of at least 16 bytes (32 by default) so that a short value such as a name cannot
    be found by guessing. An :class:`Opening` is the ``(value, salt)`` pair that reproduces it.

Statement (the exact bytes appended to the log are its RFC 8785 canonical JSON)::

    {
      "type": "artrights/registration@v1",      # one of STATEMENT_TYPES
      "registry": "<log origin>",               # the log the statement is appended to
      "number": "粤作登字-2026-F-00000001",        # registration / filing number (public)
      "registered_at": "2026-11-26T01:02:03Z",  # ISO 8601 with an offset (UTC preferred)
      "work": {
        "type": "FINE_ART",                     # DOMAIN.md §1.2 enum key
        "title": "<commitment hex>",
        "files": [{"sha256": "<hex>", "iscc": "ISCC:..."}]   # iscc may be absent for non-images
      },
      "parties": [{"role": "owner", "commitment": "<hex>"}],  # roles: owner, author, pledgor, ...
      "refers_to": ["粤作登字-2026-F-00000001"]  # or {"log_index": 3}: what a change / revocation amends
    }

Required: ``type`` (one of :data:`STATEMENT_TYPES`), ``registry`` and ``number``. ``work`` and
``parties`` have the shape above when present (a revocation has neither); ``registered_at``, when
present, bounds the timestamp. Type-specific fields (``version``, ``contract_type``, ``works``,
``rights``, ``ground`` …) are free: the leaf hash covers them like everything else.

Proof bundle (``application/json``; embedded in the PDF certificate as ``certificate.json``
and in the C2PA manifest of the signed image)::

    {
      "format": "artrights-proof/v1",
      "statement": {...},
      "openings": {"title": {"value": ..., "salt": "<hex>"},          # when there is a work
                   "parties": [{"role": "owner", "value": ..., "salt": "<hex>"}, ...]},  # role optional
      "log": {"origin": "...", "index": 7, "tlog_proof": "c2sp.org/tlog-proof@v1\\n..."},
      "timestamp": {"token": "<base64 DER TimeStampResp>", "tsa_chain": ["-----BEGIN CERT..."]}
    }

The RFC 3161 token is over the canonical statement bytes (the log leaf's data), not over the
checkpoint: it then proves *this registration* existed at genTime even if the log's checkpoint is
later replaced by a larger one, and a bundle needs exactly one timestamp. The token's genTime must
not be earlier than ``registered_at`` minus :data:`CLOCK_TOLERANCE`.

:func:`verify_bundle` runs the checks of :data:`BUNDLE_CHECKS` in order and stops at the first
failure; the :class:`Verdict` names it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from artrights.proofs import merkle, note, rfc3161
from artrights.proofs.tlog import TlogProof, TlogProofError, parse_tlog_proof

FORMAT = "artrights-proof/v1"
STATEMENT_TYPES = (
    "artrights/registration@v1",
    "artrights/digital-filing@v1",
    "artrights/contract-filing@v1",
    "artrights/pledge@v1",
    "artrights/change@v1",
    "artrights/revocation@v1",
    "artrights/pledge-cancellation@v1",
    "artrights/evidence@v1",
)
# How a verdict names what was verified; a plain registration needs no label.
TYPE_LABELS = {
    "artrights/digital-filing@v1": ("数字作品备案 ", "digital filing "),
    "artrights/contract-filing@v1": ("合同备案 ", "contract filing "),
    "artrights/pledge@v1": ("质权登记 ", "pledge "),
    "artrights/change@v1": ("变更登记 ", "change of "),
    "artrights/revocation@v1": ("撤销登记 ", "revocation of "),
    "artrights/pledge-cancellation@v1": ("质权注销 ", "pledge cancellation "),
}
# Checks of a bundle, in the order verify_bundle runs them. The offline verifier adds
# ``pdf_signature`` and ``c2pa`` in front of these for certificates and signed images.
BUNDLE_CHECKS = ("file_hash", "statement", "inclusion_proof", "checkpoint_signature", "timestamp")
MIN_SALT_BYTES = 16
# A TSA answers within seconds; minutes of slack cover clocks that disagree a little.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)

_HEX64 = re.compile(r"[0-9a-f]{64}")
_PEM = Encoding.PEM
_ISCC = re.compile(r"ISCC:[A-Z2-7]{10,}")


# --------------------------------------------------------------------------------------------
# Canonical bytes and commitments
# --------------------------------------------------------------------------------------------

JSONValue = str | int | bool | None | list[Any] | dict[str, Any]


def canonical(value: JSONValue) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``: the one serialisation that is hashed or signed."""
    return bytes(rfc8785.dumps(value))


def new_salt() -> bytes:
    return secrets.token_bytes(32)


def commit(value: str | dict[str, Any], salt: bytes) -> str:
    """Hex SHA-256 over ``salt || canonical JSON of value``."""
    if len(salt) < MIN_SALT_BYTES:
        raise ValueError(f"盐值至少 {MIN_SALT_BYTES} 字节 / the salt must be at least {MIN_SALT_BYTES} bytes")
    return hashlib.sha256(salt + canonical(value)).hexdigest()


@dataclass(frozen=True)
class Opening:
    """The value behind a commitment and the salt that hides it."""

    value: str | dict[str, Any]
    salt: bytes

    @classmethod
    def new(cls, value: str | dict[str, Any]) -> Opening:
        return cls(value, new_salt())

    @property
    def commitment(self) -> str:
        return commit(self.value, self.salt)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "salt": self.salt.hex()}

    @classmethod
    def from_json(cls, data: object) -> Opening:
        # "role" may ride along for display; it is checked against the statement's party.
        if not isinstance(data, dict) or not {"value", "salt"} <= set(data) <= {"value", "salt", "role"}:
            raise ValueError("opening must be an object with 'value', 'salt' and optionally 'role'")
        value, salt = data["value"], data["salt"]
        if not isinstance(value, str | dict) or not isinstance(salt, str):
            raise ValueError("opening value must be a string or object and salt a hex string")
        try:
            raw = bytes.fromhex(salt)
        except ValueError:
            raise ValueError("opening salt is not hex") from None
        if len(raw) < MIN_SALT_BYTES or raw.hex() != salt:
            raise ValueError("opening salt is too short or not lowercase hex")
        return cls(value, raw)


# --------------------------------------------------------------------------------------------
# Statements
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRef:
    sha256: str
    iscc: str | None = None

    @classmethod
    def of(cls, data: bytes, iscc: str | None = None) -> FileRef:
        return cls(hashlib.sha256(data).hexdigest(), iscc)

    def to_json(self) -> dict[str, str]:
        out = {"sha256": self.sha256}
        if self.iscc is not None:
            out["iscc"] = self.iscc
        return out


@dataclass(frozen=True)
class Openings:
    """Openings of a statement's commitments: the work title (when it has a work) and the parties."""

    title: Opening | None
    parties: tuple[Opening, ...]
    party_roles: tuple[str | None, ...] = ()

    def to_json(self) -> dict[str, Any]:
        roles = self.party_roles or (None,) * len(self.parties)
        out: dict[str, Any] = {
            "parties": [
                {**({"role": role} if role else {}), **p.to_json()} for p, role in zip(self.parties, roles, strict=True)
            ]
        }
        if self.title is not None:
            out["title"] = self.title.to_json()
        return out

    @classmethod
    def from_json(cls, data: object) -> Openings:
        if not isinstance(data, dict) or not isinstance(data.get("parties", []), list):
            raise ValueError("openings must be an object with a 'parties' list")
        parties = data.get("parties", [])
        roles = tuple(p.get("role") if isinstance(p, dict) else None for p in parties)
        title = Opening.from_json(data["title"]) if data.get("title") is not None else None
        return cls(title, tuple(Opening.from_json(p) for p in parties), roles)


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("registered_at must be timezone-aware")
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_statement(
    *,
    type: str,
    registry: str,
    number: str,
    registered_at: dt.datetime,
    work_type: str,
    title: str | dict[str, Any],
    files: Sequence[FileRef],
    parties: Sequence[tuple[str, str | dict[str, Any]]],
    refers_to: Sequence[str] | Mapping[str, Any] = (),
) -> tuple[dict[str, Any], Openings]:
    """A statement plus the openings of its commitments; ``parties`` are ``(role, value)`` pairs."""
    title_opening = Opening.new(title)
    party_openings = tuple(Opening.new(value) for _role, value in parties)
    statement: dict[str, Any] = {
        "type": type,
        "registry": registry,
        "number": number,
        "registered_at": _iso(registered_at),
        "work": {
            "type": work_type,
            "title": title_opening.commitment,
            "files": [f.to_json() for f in files],
        },
        "parties": [
            {"role": role, "commitment": opening.commitment}
            for (role, _value), opening in zip(parties, party_openings, strict=True)
        ],
        "refers_to": dict(refers_to) if isinstance(refers_to, Mapping) else list(refers_to),
    }
    check_statement(statement)
    return statement, Openings(title_opening, party_openings, tuple(role for role, _value in parties))


def check_statement(statement: object) -> dict[str, Any]:
    """Raise ``ValueError`` unless ``statement`` has the fields a verifier relies on.

    Type-specific fields (``version``, ``contract_type``, ``works``, ``ground`` …) are allowed
    and need no check here: they are covered by the leaf hash like everything else.
    """
    if not isinstance(statement, dict):
        raise ValueError("statement is not an object")
    if statement.get("type") not in STATEMENT_TYPES:
        raise ValueError(f"unknown statement type {statement.get('type')!r}")
    for key in ("registry", "number"):
        if not isinstance(statement.get(key), str) or not statement[key]:
            raise ValueError(f"statement {key} must be a non-empty string")
    if statement.get("registered_at") is not None:
        if not isinstance(statement["registered_at"], str):
            raise ValueError("registered_at must be an ISO 8601 string")
        _parse_time(statement["registered_at"])
    if "work" in statement:
        _check_work(statement["work"])
    _check_parties(statement.get("parties", []))
    return statement


def _check_work(work: object) -> None:
    if not isinstance(work, dict) or not {"type", "title", "files"} <= set(work):
        raise ValueError("statement work must hold type, title and files")
    if not isinstance(work["type"], str) or not _is_hex64(work["title"]):
        raise ValueError("work type must be a string and work title a SHA-256 commitment")
    if not isinstance(work["files"], list):
        raise ValueError("work files must be a list")
    for f in work["files"]:
        if not isinstance(f, dict) or not _is_hex64(f.get("sha256")) or not set(f) <= {"sha256", "iscc"}:
            raise ValueError("each work file needs a hex sha256 and at most an iscc")
        if "iscc" in f and not (isinstance(f["iscc"], str) and _ISCC.fullmatch(f["iscc"])):
            raise ValueError(f"malformed ISCC {f.get('iscc')!r}")


def _check_parties(parties: object) -> None:
    if not isinstance(parties, list):
        raise ValueError("statement parties must be a list")
    for p in parties:
        if not isinstance(p, dict) or set(p) != {"role", "commitment"}:
            raise ValueError("each party needs exactly role and commitment")
        if not isinstance(p["role"], str) or not _is_hex64(p["commitment"]):
            raise ValueError("party role must be a string and commitment a SHA-256 hex")


def statement_files(statement: Mapping[str, Any]) -> list[dict[str, str]]:
    work = statement.get("work")
    return list(work["files"]) if isinstance(work, dict) else []


def leaf_data(statement: Mapping[str, Any]) -> bytes:
    """The bytes the registry appends to the log for ``statement`` (and the TSA stamps)."""
    return canonical(dict(statement))


def _is_hex64(value: object) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _parse_time(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"registered_at {text!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        raise ValueError("registered_at needs a UTC offset")
    return moment


# --------------------------------------------------------------------------------------------
# Timestamps: the one place this module touches the RFC 3161 API
# --------------------------------------------------------------------------------------------

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


def _verify_timestamp(
    token: bytes, data: bytes, roots: Sequence[x509.Certificate], chain: Sequence[x509.Certificate]
) -> rfc3161.VerifiedTimestamp:
    return rfc3161.verify(token, data=data, trusted_roots=roots, intermediates=chain)


# --------------------------------------------------------------------------------------------
# Bundles
# --------------------------------------------------------------------------------------------


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
    pems = [c.public_bytes(_PEM).decode() if isinstance(c, x509.Certificate) else c.decode() for c in tsa_chain]
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


# --------------------------------------------------------------------------------------------
# Trust
# --------------------------------------------------------------------------------------------


def _load_pems(items: object, what: str) -> tuple[x509.Certificate, ...]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{what} must be a list of PEM strings")
    certs: list[x509.Certificate] = []
    for item in items:
        certs.extend(x509.load_pem_x509_certificates(item.encode()))
    return tuple(certs)


@dataclass(frozen=True)
class Trust:
    """What a relying party trusts: the log (origin + note keys) and the TSA roots.

    ``signing_roots`` are the roots of the platform's document-signing certificates (PAdES on
    the PDF, C2PA on images). When empty, those signatures are checked for integrity only and
    the verdict carries a warning saying the signer was not checked against a root.
    """

    origin: str
    log_keys: tuple[str, ...]
    tsa_roots: tuple[x509.Certificate, ...]
    signing_roots: tuple[x509.Certificate, ...] = ()
    log_verifiers: tuple[note.Ed25519Verifier, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.log_keys:
            raise ValueError("trust needs at least one log key")
        if not self.tsa_roots:
            raise ValueError("trust needs at least one TSA root certificate")
        object.__setattr__(self, "log_verifiers", tuple(note.new_verifier(k) for k in self.log_keys))

    @classmethod
    def from_json(cls, data: object) -> Trust:
        """``{"log": {"origin", "keys": [vkey]}, "tsa_roots": [PEM], "signing_roots": [PEM]?}``."""
        if not isinstance(data, dict) or not isinstance(data.get("log"), dict):
            raise ValueError("trust file needs a 'log' object")
        log = data["log"]
        origin, keys = log.get("origin"), log.get("keys")
        if not isinstance(origin, str) or not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise ValueError("trust log needs an origin string and a list of verifier keys")
        return cls(
            origin=origin,
            log_keys=tuple(keys),
            tsa_roots=_load_pems(data.get("tsa_roots"), "tsa_roots"),
            signing_roots=_load_pems(data.get("signing_roots", []), "signing_roots"),
        )

    @classmethod
    def load(cls, path: str | Path) -> Trust:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_json(self) -> dict[str, Any]:
        return {
            "log": {"origin": self.origin, "keys": list(self.log_keys)},
            "tsa_roots": [c.public_bytes(_PEM).decode() for c in self.tsa_roots],
            "signing_roots": [c.public_bytes(_PEM).decode() for c in self.signing_roots],
        }


# --------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------


class VerificationFailure(Exception):
    """One named check failed; messages are given in Chinese and English."""

    def __init__(self, check: str, zh: str, en: str) -> None:
        super().__init__(f"{check}: {zh} / {en}")
        self.check = check
        self.zh = zh
        self.en = en


@dataclass
class Verdict:
    ok: bool
    failed_check: str | None = None
    message_zh: str = ""
    message_en: str = ""
    passed: list[str] = field(default_factory=list)
    number: str | None = None
    statement_type: str | None = None
    log_index: int | None = None
    timestamp: dt.datetime | None = None
    warnings: list[str] = field(default_factory=list)
    bundle: dict[str, Any] | None = field(default=None, repr=False)
    openings: Openings | None = field(default=None, repr=False)

    def fail(self, failure: VerificationFailure) -> Verdict:
        self.ok = False
        self.failed_check = failure.check
        self.message_zh = failure.zh
        self.message_en = failure.en
        return self

    def summary(self) -> str:
        """One line: Chinese first, then English."""
        if not self.ok:
            return f"无效 INVALID [{self.failed_check}]: {self.message_zh} / {self.message_en}"
        when = self.timestamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if self.timestamp else "?"
        zh, en = TYPE_LABELS.get(self.statement_type or "", ("", ""))
        line = (
            f"有效 VALID: {zh}{self.number} 已记入日志第 {self.log_index} 条，时间戳 {when} / "
            f"{en}{self.number} is entry {self.log_index} of the log, timestamped {when}"
        )
        if self.warnings:
            line += " (" + "; ".join(self.warnings) + ")"
        return line


def verify_bundle(
    bundle: Mapping[str, Any] | bytes | str,
    *,
    trust: Trust,
    file_bytes: bytes | None = None,
    image_iscc: str | None = None,
) -> Verdict:
    """Run :data:`BUNDLE_CHECKS` in order; the verdict names the first one that fails.

    ``file_bytes`` (the original file) must hash to one of the statement's files; ``image_iscc``
    (the ISCC of an image that carried this bundle in its C2PA manifest) must be one of their
    ISCC codes. Both are reported as ``file_hash``: the file is not the registered work.
    """
    verdict = Verdict(ok=False)
    try:
        _verify_into(verdict, bundle, trust, file_bytes, image_iscc)
    except VerificationFailure as failure:
        return verdict.fail(failure)
    verdict.ok = True
    return verdict


def _verify_into(
    verdict: Verdict,
    bundle_in: Mapping[str, Any] | bytes | str,
    trust: Trust,
    file_bytes: bytes | None,
    image_iscc: str | None,
) -> None:
    # Structure first: nothing below can be read from a bundle of the wrong shape.
    bundle, statement = _check_structure(bundle_in)
    log, ts = bundle["log"], bundle["timestamp"]
    verdict.bundle = bundle
    verdict.number = statement["number"]
    verdict.statement_type = statement["type"]

    if file_bytes is not None or image_iscc is not None:
        _check_file_hash(statement, file_bytes, image_iscc)
        verdict.passed.append("file_hash")

    verdict.openings = _check_openings(bundle, statement, log)
    verdict.passed.append("statement")

    data = leaf_data(statement)
    proof = _check_inclusion(data, log, trust)
    verdict.log_index = proof.index
    verdict.passed.append("inclusion_proof")

    _check_checkpoint_signature(proof, trust)
    verdict.passed.append("checkpoint_signature")

    verdict.timestamp = _check_timestamp(ts, data, statement, trust)
    verdict.passed.append("timestamp")


def _check_structure(bundle_in: Mapping[str, Any] | bytes | str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bundle and its statement, once every field the checks below read has the right type."""
    try:
        bundle = dict(load_bundle(bundle_in) if isinstance(bundle_in, bytes | str) else bundle_in)
        if bundle.get("format") != FORMAT:
            raise ValueError(f"format is {bundle.get('format')!r}, want {FORMAT!r}")
        statement = check_statement(bundle.get("statement"))
        log = bundle.get("log")
        if not isinstance(log, dict) or not isinstance(log.get("tlog_proof"), str):
            raise ValueError("bundle log needs origin, index and tlog_proof")
        if not isinstance(log.get("origin"), str) or not isinstance(log.get("index"), int):
            raise ValueError("bundle log origin must be a string and index an integer")
        ts = bundle.get("timestamp")
        if not isinstance(ts, dict) or not isinstance(ts.get("token"), str):
            raise ValueError("bundle timestamp needs a base64 token")
    except ValueError as exc:
        raise VerificationFailure("statement", "证明包格式不正确", f"the proof bundle is malformed: {exc}") from None
    return bundle, statement


def _check_file_hash(statement: Mapping[str, Any], file_bytes: bytes | None, image_iscc: str | None) -> None:
    """file_hash: the file, or the ISCC of the image that carried the bundle, is a registered work file."""
    if file_bytes is not None:
        digest = hashlib.sha256(file_bytes).hexdigest()
        if digest not in {f["sha256"] for f in statement_files(statement)}:
            raise VerificationFailure(
                "file_hash",
                f"文件的 SHA-256（{digest[:16]}…）不是本登记的作品文件",
                f"the file's SHA-256 ({digest[:16]}…) is not one of the registered work files",
            )
    if image_iscc is not None:
        registered = {f.get("iscc") for f in statement_files(statement)}
        if image_iscc not in registered:
            raise VerificationFailure(
                "file_hash",
                f"图像的 ISCC 作品码（{image_iscc}）与登记的作品不符",
                f"the image's ISCC code ({image_iscc}) is not that of a registered work file",
            )


def _check_openings(bundle: Mapping[str, Any], statement: Mapping[str, Any], log: Mapping[str, Any]) -> Openings:
    """statement: openings reproduce the commitments; the statement names the log it is in."""
    try:
        openings = Openings.from_json(bundle.get("openings", {}))
    except ValueError as exc:
        raise VerificationFailure("statement", "承诺的公开值格式不正确", f"malformed openings: {exc}") from None
    work = statement.get("work")
    if isinstance(work, dict):
        if openings.title is None or not hmac.compare_digest(openings.title.commitment, work["title"]):
            raise VerificationFailure(
                "statement", "作品名称与登记的承诺值不符", "the work title does not match its commitment"
            )
    parties = statement.get("parties", [])
    if len(openings.parties) != len(parties):
        raise VerificationFailure(
            "statement",
            "当事人公开值的数量与登记不符",
            "the number of party openings does not match the statement",
        )
    for i, (opening, party) in enumerate(zip(openings.parties, parties, strict=True)):
        role = openings.party_roles[i] if i < len(openings.party_roles) else None
        if (role is not None and role != party["role"]) or not hmac.compare_digest(
            opening.commitment, party["commitment"]
        ):
            raise VerificationFailure(
                "statement",
                f"第 {i + 1} 个当事人（{party['role']}）与登记的承诺值不符",
                f"party {i + 1} ({party['role']}) does not match its commitment",
            )
    if log["origin"] != statement["registry"]:
        raise VerificationFailure(
            "statement",
            "证明包的日志与登记声明所写的登记机构日志不一致",
            f"the bundle's log {log['origin']!r} is not the statement's registry {statement['registry']!r}",
        )
    return openings


def _check_inclusion(data: bytes, log: Mapping[str, Any], trust: Trust) -> TlogProof:
    """inclusion_proof: parse without trusting anything yet, then recompute the root."""
    try:
        proof = parse_tlog_proof(log["tlog_proof"])
        split = proof.signed_checkpoint.rfind("\n\n")
        if split < 0:
            raise TlogProofError("the checkpoint has no signature block")
        checkpoint = note.parse_checkpoint(proof.signed_checkpoint[: split + 1])
    except (TlogProofError, note.NoteError) as exc:
        raise VerificationFailure(
            "inclusion_proof", "包含证明无法解析", f"the inclusion proof is malformed: {exc}"
        ) from None
    if checkpoint.origin != trust.origin or log["origin"] != trust.origin:
        raise VerificationFailure(
            "inclusion_proof",
            f"包含证明属于另一个日志（{checkpoint.origin}），不是受信任的 {trust.origin}",
            f"the proof is for another log ({checkpoint.origin!r}), not the trusted {trust.origin!r}",
        )
    if proof.index != log["index"]:
        raise VerificationFailure(
            "inclusion_proof",
            "包含证明的序号与证明包所写序号不一致",
            f"the proof is for entry {proof.index}, the bundle says {log['index']}",
        )
    try:
        merkle.verify_inclusion(
            proof.index, checkpoint.size, merkle.leaf_hash(data), proof.hashes, checkpoint.root_hash
        )
    except (merkle.ProofError, ValueError) as exc:
        raise VerificationFailure(
            "inclusion_proof",
            "登记声明不在检查点的默克尔树中（内容被改动或证明不符）",
            f"the statement is not included in the checkpoint's tree: {exc}",
        ) from None
    return proof


def _check_checkpoint_signature(proof: TlogProof, trust: Trust) -> None:
    """checkpoint_signature: only the trusted log keys count."""
    try:
        note.open_checkpoint(proof.signed_checkpoint, trust.log_verifiers, origin=trust.origin)
    except note.NoteError as exc:
        raise VerificationFailure(
            "checkpoint_signature",
            "检查点没有受信任日志密钥的有效签名",
            f"the checkpoint is not validly signed by a trusted log key: {exc}",
        ) from None


def _check_timestamp(ts: Mapping[str, Any], data: bytes, statement: Mapping[str, Any], trust: Trust) -> dt.datetime:
    """timestamp: over the same canonical statement bytes, chaining to a trusted TSA root."""
    try:
        token = base64.b64decode(ts["token"], validate=True)
        chain = _load_pems(ts.get("tsa_chain", []), "tsa_chain")
    except (binascii.Error, ValueError) as exc:
        raise VerificationFailure("timestamp", "时间戳格式不正确", f"the timestamp is malformed: {exc}") from None
    try:
        stamped = _verify_timestamp(token, data, trust.tsa_roots, chain)
    except rfc3161.TimestampError as exc:
        zh = {
            "imprint": "时间戳不是对本登记声明的时间戳",
            "chain": "时间戳不是由受信任的时间戳机构签发",
            "signer_certificate": "时间戳不是由受信任的时间戳机构签发",
        }.get(exc.check, "时间戳无效")
        raise VerificationFailure(
            "timestamp", zh, f"the timestamp does not verify ({exc.check}): {exc.message}"
        ) from None
    registered_at = statement.get("registered_at")
    if registered_at is not None and stamped.gen_time < _parse_time(registered_at) - CLOCK_TOLERANCE:
        raise VerificationFailure(
            "timestamp",
            "时间戳早于登记时间",
            f"the timestamp ({stamped.gen_time.isoformat()}) is earlier than registered_at",
        )
    return stamped.gen_time


def opened_parties(verdict: Verdict) -> list[tuple[str, str | dict[str, Any]]]:
    """``(role, value)`` pairs of a verified bundle, for display."""
    if verdict.bundle is None or verdict.openings is None:
        return []
    roles = [cast(str, p["role"]) for p in verdict.bundle["statement"].get("parties", [])]
    return [(role, o.value) for role, o in zip(roles, verdict.openings.parties, strict=True)]
