"""Statements: what the platform appends to its public log (no Django).

The exact bytes appended to the log are the statement's RFC 8785 canonical JSON::

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

The audit anchor (``artrights/audit-anchor@v1``) is the one statement about the platform itself rather than a
work: it pins the platform's audit trail (a hash chain) by its length and last hash, and holds nothing else::

    {"type": "artrights/audit-anchor@v1", "registry": "<log origin>", "anchored_at": "2026-11-26T01:02:03Z",
     "audit": {"count": 1234, "head": "<hex SHA-256 of event 1234>"}}

Required in a statement about a work: ``type`` (one of :data:`STATEMENT_TYPES`), ``registry`` and ``number``.
``work`` and ``parties`` have the shape above when present (a revocation has neither); ``registered_at``, when
present, bounds the timestamp. Type-specific fields (``version``, ``contract_type``, ``works``, ``rights``,
``ground`` …) are free: the leaf hash covers them like everything else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .canonical import Opening, canonical


class StatementType(StrEnum):
    """The kinds of statement the platform appends to its log (the ``type`` field and the log entry's kind)."""

    REGISTRATION = "artrights/registration@v1"
    DIGITAL_FILING = "artrights/digital-filing@v1"
    SOFTWARE_REGISTRATION = "artrights/software-registration@v1"
    CONTRACT_FILING = "artrights/contract-filing@v1"
    # A licence filed as a contract filing that one side ended early: the filing, the day, the ground (no parties).
    CONTRACT_TERMINATION = "artrights/contract-termination@v1"
    PLEDGE = "artrights/pledge@v1"
    CHANGE = "artrights/change@v1"
    REVOCATION = "artrights/revocation@v1"
    PLEDGE_CANCELLATION = "artrights/pledge-cancellation@v1"
    EVIDENCE = "artrights/evidence@v1"
    # IP credit: a record of conduct or a list entry made public, changed (annotated, corrected, extended) or
    # ended (withdrawn, repaired, expired, removed), and an agency's published grade. The subject is a commitment.
    CREDIT_RECORD = "artrights/credit-record@v1"
    CREDIT_LISTING = "artrights/credit-listing@v1"
    CREDIT_CHANGE = "artrights/credit-change@v1"
    CREDIT_REMOVAL = "artrights/credit-removal@v1"
    CREDIT_GRADE = "artrights/credit-grade@v1"
    # "Double random" supervision: a draw's commitment (plan, frozen pool hash, commitment to the secret), the draw
    # (secret revealed, public value, result hash), a recusal that redrew a slot, and a published result.
    INSPECTION_COMMIT = "artrights/inspection-commit@v1"
    INSPECTION_DRAW = "artrights/inspection-draw@v1"
    INSPECTION_RECUSAL = "artrights/inspection-recusal@v1"
    INSPECTION_RESULT = "artrights/inspection-result@v1"
    AUDIT_ANCHOR = "artrights/audit-anchor@v1"
    # A mediation agreement that took effect: the SHA-256 of its canonical text, its case and source, and every
    # signature (capacity, time, the signer as a commitment); the parties are commitments.
    MEDIATION_AGREEMENT = "artrights/mediation-agreement@v1"


STATEMENT_TYPES = tuple(t.value for t in StatementType)
# How a verdict names what was verified; a plain registration needs no label.
TYPE_LABELS: dict[str, tuple[str, str]] = {
    StatementType.DIGITAL_FILING: ("数字作品备案 ", "digital filing "),
    StatementType.SOFTWARE_REGISTRATION: ("计算机软件著作权登记 ", "software registration "),
    StatementType.CONTRACT_FILING: ("合同备案 ", "contract filing "),
    StatementType.CONTRACT_TERMINATION: ("合同终止 ", "contract termination "),
    StatementType.PLEDGE: ("质权登记 ", "pledge "),
    StatementType.CHANGE: ("变更登记 ", "change of "),
    StatementType.REVOCATION: ("撤销登记 ", "revocation of "),
    StatementType.PLEDGE_CANCELLATION: ("质权注销 ", "pledge cancellation "),
    StatementType.EVIDENCE: ("电子证据 ", "evidence "),
    StatementType.CREDIT_RECORD: ("信用记录 ", "credit record "),
    StatementType.CREDIT_LISTING: ("名单列入 ", "list entry "),
    StatementType.CREDIT_CHANGE: ("信用信息变更 ", "credit change of "),
    StatementType.CREDIT_REMOVAL: ("信用信息移除 ", "credit removal of "),
    StatementType.CREDIT_GRADE: ("信用评价 ", "credit grade "),
    StatementType.INSPECTION_COMMIT: ("抽查抽取承诺 ", "draw commitment of "),
    StatementType.INSPECTION_DRAW: ("抽查抽取 ", "draw of "),
    StatementType.INSPECTION_RECUSAL: ("检查人员回避 ", "recusal in "),
    StatementType.INSPECTION_RESULT: ("抽查结果 ", "inspection result "),
    StatementType.MEDIATION_AGREEMENT: ("调解协议 ", "mediation agreement "),
}

_HEX64 = re.compile(r"[0-9a-f]{64}")
_ISCC = re.compile(r"ISCC:[A-Z2-7]{10,}")


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


def iso_time(moment: dt.datetime) -> str:
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
        "registered_at": iso_time(registered_at),
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
    if statement["type"] == StatementType.AUDIT_ANCHOR:
        raise ValueError("an audit anchor is not a statement about a work")
    for key in ("registry", "number"):
        if not isinstance(statement.get(key), str) or not statement[key]:
            raise ValueError(f"statement {key} must be a non-empty string")
    if statement.get("registered_at") is not None:
        if not isinstance(statement["registered_at"], str):
            raise ValueError("registered_at must be an ISO 8601 string")
        parse_time(statement["registered_at"])
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


def parse_time(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"registered_at {text!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        raise ValueError("registered_at needs a UTC offset")
    return moment


def audit_anchor_statement(*, registry: str, count: int, head: str, anchored_at: dt.datetime) -> dict[str, Any]:
    """The statement that anchors the audit trail's first ``count`` events, ``head`` being the last one's hash."""
    statement = {
        "type": StatementType.AUDIT_ANCHOR.value,
        "registry": registry,
        "anchored_at": iso_time(anchored_at),
        "audit": {"count": count, "head": head},
    }
    check_audit_anchor(statement)
    return statement


def check_audit_anchor(statement: object) -> tuple[int, str]:
    """``(count, head)`` of an audit anchor; ``ValueError`` unless it has exactly the anchor's fields."""
    if not isinstance(statement, dict) or statement.get("type") != StatementType.AUDIT_ANCHOR:
        raise ValueError("not an audit anchor")
    if set(statement) != {"type", "registry", "anchored_at", "audit"}:
        raise ValueError("an audit anchor holds type, registry, anchored_at and audit only")
    if not isinstance(statement["registry"], str) or not isinstance(statement["anchored_at"], str):
        raise ValueError("audit anchor registry and anchored_at must be strings")
    parse_time(statement["anchored_at"])
    audit = statement["audit"]
    if not isinstance(audit, dict) or set(audit) != {"count", "head"}:
        raise ValueError("audit anchor audit must hold count and head only")
    count, head = audit["count"], audit["head"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1 or not _is_hex64(head):
        raise ValueError("audit anchor count must be a positive integer and head a SHA-256 hex")
    return count, head
