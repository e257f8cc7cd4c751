"""Verifying a proof bundle offline: the checks of :data:`BUNDLE_CHECKS`, in order (no Django).

:func:`verify_bundle` stops at the first failing check; the :class:`Verdict` names it, with the reason in
Chinese and English. Each check is one function below, so a reader can follow what a court's laptop does.

A public bundle names its parties only through commitments (see ``bundle.py``): the verdict then says the parties
were not opened. Given the owner's openings file as well, :func:`verify_bundle` runs one more check,
``openings``, which holds only when the file belongs to this very statement and every opening reproduces its
party's commitment; the verdict then names the opened parties. A v1 bundle that carries its party openings is
checked and reported as before.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from artrights.core.errors import BilingualError

from . import merkle, note, rfc3161
from .bundle import FORMATS, MAX_JSON_DEPTH, json_depth, load_bundle, load_openings_file, statement_digest
from .documents import DocumentInfo
from .statements import TYPE_LABELS, Openings, check_statement, leaf_data, parse_time, statement_files
from .tlog import TlogProof, TlogProofError, parse_tlog_proof
from .trust import Trust, load_pems

# Checks of a bundle, in the order verify_bundle runs them. The offline verifier adds
# ``pdf_signature`` and ``c2pa`` in front of these for certificates and signed images.
BUNDLE_CHECKS = ("file_hash", "statement", "inclusion_proof", "checkpoint_signature", "timestamp")
# Run after BUNDLE_CHECKS when the owner's openings file is given.
OPENINGS_CHECK = "openings"
# How a verdict names each party role (the statement's ``role``), in Chinese and English.
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "owner": ("著作权人", "owner"),
    "author": ("作者", "author"),
    "assignor": ("转让方/许可方", "assignor/licensor"),
    "assignee": ("受让方/被许可方", "assignee/licensee"),
    "pledgor": ("出质人", "pledgor"),
    "pledgee": ("质权人", "pledgee"),
    "requester": ("申请人", "requester"),
    "applicant": ("申请人", "applicant"),
    "respondent": ("被申请人", "respondent"),
}
# A TSA answers within seconds; minutes of slack cover clocks that disagree a little.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


class VerificationFailure(BilingualError):
    """One named check failed; its ``code`` is the check's name."""

    def __init__(self, check: str, zh: str, en: str) -> None:
        super().__init__(check, zh, en)

    @property
    def check(self) -> str:
        return self.code

    def __str__(self) -> str:
        return f"{self.code}: {self.bilingual()}"


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
    # A signed registry document with no log entry (a notice or decision): what it says it is.
    document: DocumentInfo | None = None
    # An evidence package runs every check rather than stopping at the first; the failures after the first.
    also_failed: list[VerificationFailure] = field(default_factory=list)
    # A verified draw record (proofs/draw.py) has no statement: its one-line description, Chinese first.
    draw_line: str | None = None

    @property
    def has_parties(self) -> bool:
        return bool(self.bundle and self.bundle["statement"].get("parties"))

    @property
    def parties_opened(self) -> bool:
        """True when every party of the statement was opened (by the bundle itself or an openings file)."""
        return self.has_parties and self.openings is not None and len(self.openings.parties) > 0

    def fail(self, failure: VerificationFailure) -> Verdict:
        self.ok = False
        self.failed_check = failure.check
        self.message_zh = failure.message_zh
        self.message_en = failure.message_en
        return self

    def failures(self) -> list[VerificationFailure]:
        """Every failed check: the first, then the others an evidence package's verification found."""
        if self.ok or self.failed_check is None:
            return []
        return [VerificationFailure(self.failed_check, self.message_zh, self.message_en), *self.also_failed]

    def summary(self) -> str:
        """One line (one per failed check): Chinese first, then English."""
        if not self.ok:
            return "\n".join(f"无效 INVALID [{f.check}]: {f.message_zh} / {f.message_en}" for f in self.failures())
        if self.draw_line is not None:
            return self.draw_line
        if self.document is not None:
            doc = self.document
            line = (
                f"签名有效 SIGNATURE VALID: {doc.label_zh} {doc.number}，{doc.issuer} {doc.issued_on.isoformat()} "
                "签发；这是登记机构的文书，不是登记证书，没有记入公开日志 / "
                f"{doc.label_en} {doc.number} issued by {doc.issuer} on {doc.issued_on.isoformat()}; "
                "a registry document, not a registration, not in the public log"
            )
            return line + (" (" + "; ".join(self.warnings) + ")" if self.warnings else "")
        when = self.timestamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if self.timestamp else "?"
        zh, en = TYPE_LABELS.get(self.statement_type or "", ("", ""))
        parties_zh, parties_en = self._parties_clause()
        line = (
            f"有效 VALID: {zh}{self.number} 已记入日志第 {self.log_index} 条，时间戳 {when}{parties_zh} / "
            f"{en}{self.number} is entry {self.log_index} of the log, timestamped {when}{parties_en}"
        )
        if self.warnings:
            line += " (" + "; ".join(self.warnings) + ")"
        return line

    def _parties_clause(self) -> tuple[str, str]:
        if not self.has_parties:
            return "", ""
        if not self.parties_opened:
            return "；当事人仅以承诺值表示（未公开）", "; parties named by commitment only (not opened)"
        pairs = opened_parties(self)
        zh = "、".join(f"{ROLE_LABELS.get(role, (role, role))[0]} {party_text(value)}" for role, value in pairs)
        en = ", ".join(f"{ROLE_LABELS.get(role, (role, role))[1]} {party_text(value)}" for role, value in pairs)
        return f"；已核对当事人：{zh}", f"; opened parties: {en}"


def party_text(value: str | dict[str, Any]) -> str:
    """A party's opened value on one line: the name, and the ID type and number when it has them."""
    if isinstance(value, str):
        return value
    name = str(value.get("name", ""))
    if value.get("id_number"):
        return f"{name}（{value.get('id_type', '')} {value['id_number']}）"
    return name


def failed(check: str, zh: str, en: str) -> Verdict:
    """A verdict that failed ``check`` before any bundle check ran (a damaged PDF, a stripped image)."""
    return Verdict(ok=False).fail(VerificationFailure(check, zh, en))


def verify_bundle(
    bundle: Mapping[str, Any] | bytes | str,
    *,
    trust: Trust,
    file_bytes: bytes | None = None,
    image_iscc: str | None = None,
    openings: Mapping[str, Any] | bytes | str | None = None,
) -> Verdict:
    """Run :data:`BUNDLE_CHECKS` in order; the verdict names the first one that fails.

    ``file_bytes`` (the original file) must hash to one of the statement's files; ``image_iscc``
    (the ISCC of an image that carried this bundle in its C2PA manifest) must be one of their
    ISCC codes. Both are reported as ``file_hash``: the file is not the registered work.
    ``openings`` (the owner's openings file) adds :data:`OPENINGS_CHECK` after the others.
    """
    verdict = Verdict(ok=False)
    try:
        # Structure first: nothing below can be read from a bundle of the wrong shape.
        parsed = _parse(bundle)
        verdict.bundle = parsed
        verdict.number = parsed["statement"]["number"]
        verdict.statement_type = parsed["statement"]["type"]
        if _check_file_hash(parsed["statement"], file_bytes, image_iscc):
            verdict.passed.append("file_hash")
        verdict.openings = _check_statement(parsed)
        verdict.passed.append("statement")
        proof = _check_inclusion_proof(parsed, trust)
        verdict.log_index = proof.index
        verdict.passed.append("inclusion_proof")
        _check_checkpoint_signature(proof, trust)
        verdict.passed.append("checkpoint_signature")
        verdict.timestamp = _check_timestamp(parsed, trust)
        verdict.passed.append("timestamp")
        if openings is not None:
            verdict.openings = _check_openings(parsed["statement"], verdict.openings, openings)
            verdict.passed.append(OPENINGS_CHECK)
    except VerificationFailure as failure:
        return verdict.fail(failure)
    verdict.ok = True
    return verdict


def _parse(bundle_in: Mapping[str, Any] | bytes | str) -> dict[str, Any]:
    try:
        bundle = dict(load_bundle(bundle_in) if isinstance(bundle_in, bytes | str) else bundle_in)
        # A bundle read from an image's manifest has not been through load_bundle's bounds.
        if json_depth(bundle) > MAX_JSON_DEPTH:
            raise ValueError(f"the bundle nests deeper than {MAX_JSON_DEPTH} levels or holds a number out of range")
        if bundle.get("format") not in FORMATS:
            raise ValueError(f"format is {bundle.get('format')!r}, want one of {', '.join(FORMATS)}")
        check_statement(bundle.get("statement"))
        _check_shape(bundle)
        # Canonical JSON (RFC 8785) refuses some values JSON allows (integers beyond 2^53): what is hashed
        # must have a canonical form, or no check below could be run.
        leaf_data(bundle["statement"])
    except ValueError as exc:
        raise VerificationFailure(
            "statement", "证明包格式不正确", f"the proof bundle is malformed: {_english(exc)}"
        ) from None
    return bundle


# The fields outside the statement are covered by no hash or signature of their own: a bundle holds exactly the
# fields bundle.build_bundle writes, so that none can be added, renamed or retyped unnoticed.
_BUNDLE_FIELDS = {"format", "statement", "openings", "log", "timestamp"}
_LOG_FIELDS = {"origin", "index", "tlog_proof"}
_TIMESTAMP_FIELDS = {"token", "tsa_chain"}


def _check_shape(bundle: dict[str, Any]) -> None:
    if set(bundle) != _BUNDLE_FIELDS:
        raise ValueError(f"a bundle holds exactly the fields {sorted(_BUNDLE_FIELDS)}, not {sorted(bundle)}")
    log = bundle["log"]
    if not isinstance(log, dict) or set(log) != _LOG_FIELDS:
        raise ValueError(f"bundle log holds exactly {sorted(_LOG_FIELDS)}")
    index = log["index"]
    # bool is an int in Python: true would pass for entry 1.
    if not isinstance(log["origin"], str) or not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ValueError("bundle log origin must be a string and index a non-negative integer")
    if not isinstance(log["tlog_proof"], str):
        raise ValueError("bundle log tlog_proof must be a string")
    ts = bundle["timestamp"]
    if not isinstance(ts, dict) or set(ts) != _TIMESTAMP_FIELDS or not isinstance(ts["token"], str):
        raise ValueError("bundle timestamp holds exactly a base64 token and the TSA's chain")
    if not isinstance(ts["tsa_chain"], list) or not ts["tsa_chain"]:
        raise ValueError("bundle timestamp tsa_chain must be a non-empty list")
    openings = bundle["openings"]
    if not isinstance(openings, dict) or not set(openings) <= {"title", "parties"}:
        raise ValueError("bundle openings hold at most the title's and the parties'")
    # Party openings (v1 bundles) open every party; an empty list would be a field that says nothing.
    if "parties" in openings and (not isinstance(openings["parties"], list) or not openings["parties"]):
        raise ValueError("bundle party openings must be a non-empty list when present")
    title = openings.get("title")
    if title is not None and (not isinstance(title, dict) or set(title) != {"value", "salt"}):
        raise ValueError("the title opening holds exactly a value and a salt")


def _english(exc: Exception) -> str:
    return exc.message_en if isinstance(exc, BilingualError) else str(exc)


def _check_file_hash(statement: dict[str, Any], file_bytes: bytes | None, image_iscc: str | None) -> bool:
    """``file_hash``: the given file (or image code) is one the statement registered; False when none given."""
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
    return file_bytes is not None or image_iscc is not None


def _check_statement(bundle: dict[str, Any]) -> Openings:
    """``statement``: the openings the bundle carries reproduce their commitments (the title always; the parties
    in a v1 bundle); the statement names the log it is in."""
    statement, log = bundle["statement"], bundle["log"]
    try:
        openings = _readable(Openings.from_json(bundle.get("openings", {})))
    except ValueError as exc:
        raise VerificationFailure("statement", "承诺的公开值格式不正确", f"malformed openings: {exc}") from None
    work = statement.get("work")
    if isinstance(work, dict) and (
        openings.title is None or not hmac.compare_digest(openings.title.commitment, work["title"])
    ):
        raise VerificationFailure(
            "statement", "作品名称与登记的承诺值不符", "the work title does not match its commitment"
        )
    _check_party_openings(openings, statement.get("parties", []))
    if log["origin"] != statement["registry"]:
        raise VerificationFailure(
            "statement",
            "证明包的日志与登记声明所写的登记机构日志不一致",
            f"the bundle's log {log['origin']!r} is not the statement's registry {statement['registry']!r}",
        )
    return openings


def _readable(openings: Openings) -> Openings:
    """``openings``, once every commitment they open can be computed (an opened value must have a canonical JSON
    form: an integer beyond 2^53 has none, and would fail the comparison rather than be compared)."""
    for opening in (openings.title, *openings.parties):
        if opening is not None:
            opening.commitment  # noqa: B018  (computed for its ValueError)
    return openings


def _check_party_openings(openings: Openings, parties: list[dict[str, Any]], check: str = "statement") -> None:
    """No party openings (a public bundle) leaves the parties unopened; otherwise every party must be opened."""
    if not openings.parties and check == "statement":
        return
    if len(openings.parties) != len(parties):
        raise VerificationFailure(
            check,
            "当事人公开值的数量与登记不符",
            "the number of party openings does not match the statement",
        )
    for i, (opening, party) in enumerate(zip(openings.parties, parties, strict=True)):
        role = openings.party_roles[i] if i < len(openings.party_roles) else None
        if (role is not None and role != party["role"]) or not hmac.compare_digest(
            opening.commitment, party["commitment"]
        ):
            raise VerificationFailure(
                check,
                f"第 {i + 1} 个当事人（{party['role']}）与登记的承诺值不符",
                f"party {i + 1} ({party['role']}) does not match its commitment",
            )


def _check_inclusion_proof(bundle: dict[str, Any], trust: Trust) -> TlogProof:
    """``inclusion_proof``: parse without trusting anything yet, then recompute the root."""
    log = bundle["log"]
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
    leaf = merkle.leaf_hash(leaf_data(bundle["statement"]))
    try:
        merkle.verify_inclusion(proof.index, checkpoint.size, leaf, proof.hashes, checkpoint.root_hash)
    except (merkle.ProofError, ValueError) as exc:
        raise VerificationFailure(
            "inclusion_proof",
            "登记声明不在检查点的默克尔树中（内容被改动或证明不符）",
            f"the statement is not included in the checkpoint's tree: {exc}",
        ) from None
    return proof


def _check_checkpoint_signature(proof: TlogProof, trust: Trust) -> None:
    """``checkpoint_signature``: only the trusted log keys count."""
    try:
        note.open_checkpoint(proof.signed_checkpoint, trust.log_verifiers, origin=trust.origin)
    except note.NoteError as exc:
        raise VerificationFailure(
            "checkpoint_signature",
            "检查点没有受信任日志密钥的有效签名",
            f"the checkpoint is not validly signed by a trusted log key: {exc}",
        ) from None


_TIMESTAMP_FAILURES_ZH = {
    "imprint": "时间戳不是对本登记声明的时间戳",
    "chain": "时间戳不是由受信任的时间戳机构签发",
    "signer_certificate": "时间戳不是由受信任的时间戳机构签发",
    "certificates": "时间戳中的时间戳机构证书被改动或添加",
}


def _check_timestamp(bundle: dict[str, Any], trust: Trust) -> dt.datetime:
    """``timestamp``: over the same canonical statement bytes, chaining to a trusted TSA root."""
    statement, ts = bundle["statement"], bundle["timestamp"]
    try:
        token = base64.b64decode(ts["token"], validate=True)
        chain = load_pems(ts.get("tsa_chain", []), "tsa_chain")
    except (binascii.Error, ValueError) as exc:
        raise VerificationFailure("timestamp", "时间戳格式不正确", f"the timestamp is malformed: {exc}") from None
    try:
        # The token and its chain come from the platform's own TSA: every certificate in them must be the chain's.
        stamped = rfc3161.verify(
            token,
            data=leaf_data(statement),
            trusted_roots=trust.tsa_roots,
            intermediates=chain,
            exact_certificates=True,
        )
    except rfc3161.TimestampError as exc:
        raise VerificationFailure(
            "timestamp",
            _TIMESTAMP_FAILURES_ZH.get(exc.check, "时间戳无效"),
            f"the timestamp does not verify ({exc.check}): {exc.message}",
        ) from None
    registered_at = statement.get("registered_at")
    if registered_at is not None and stamped.gen_time < parse_time(registered_at) - CLOCK_TOLERANCE:
        raise VerificationFailure(
            "timestamp",
            "时间戳早于登记时间",
            f"the timestamp ({stamped.gen_time.isoformat()}) is earlier than registered_at",
        )
    return stamped.gen_time


def _check_openings(
    statement: dict[str, Any], in_bundle: Openings | None, given: Mapping[str, Any] | bytes | str
) -> Openings:
    """``openings``: the owner's openings file belongs to this statement and opens every party's commitment."""
    try:
        digest, openings = load_openings_file(given)
        _readable(openings)
    except ValueError as exc:
        raise VerificationFailure(
            OPENINGS_CHECK, "当事人公开值文件格式不正确", f"the openings file is malformed: {_english(exc)}"
        ) from None
    if not hmac.compare_digest(digest, statement_digest(statement)):
        raise VerificationFailure(
            OPENINGS_CHECK,
            "当事人公开值文件属于另一条登记（或另一版本），不是本证明所记的登记",
            "the openings file belongs to another statement (another registration or version), not this one",
        )
    _check_party_openings(openings, statement.get("parties", []), check=OPENINGS_CHECK)
    return Openings(in_bundle.title if in_bundle else None, openings.parties, openings.party_roles)


def opened_parties(verdict: Verdict) -> list[tuple[str, str | dict[str, Any]]]:
    """``(role, value)`` pairs of a verified bundle whose parties were opened, for display."""
    if verdict.bundle is None or verdict.openings is None or not verdict.openings.parties:
        return []
    roles = [cast(str, p["role"]) for p in verdict.bundle["statement"].get("parties", [])]
    return [(role, o.value) for role, o in zip(roles, verdict.openings.parties, strict=True)]
