"""Writes to the public log, and the proofs other apps hand out.

Statements must hold only hashes and salted commitments, never names, ID numbers or addresses: every entry is
public forever (served as tlog-tiles) and can never be removed.

Appends run inside the caller's transaction: if the caller rolls back (say a registration fails after its
log entry), the entry, its hashes and the head move disappear together. Appenders are serialised on the
head row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at
BEGIN), so indices are consecutive with no gaps. The lock is held until the caller commits: keep slow work
(network calls, file rendering) out of the transaction that appends.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import rfc8785
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.proofs.merkle import (
    CompactRange,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    verify_consistency,
)
from artrights.proofs.note import (
    SIG_PREFIX,
    Ed25519Verifier,
    InvalidSignatureError,
    NoteError,
    UnverifiedNoteError,
    Verifier,
    new_verifier,
    open_checkpoint,
    open_note,
    sign_checkpoint,
)
from artrights.proofs.note import Checkpoint as NoteCheckpoint
from artrights.proofs.tiles import MAX_ENTRY_SIZE
from artrights.proofs.tlog import make_tlog_proof

from . import keys
from .models import HEAD_ID, Checkpoint, Cosignature, LogEntry, LogHash, LogHead, Witness, _bytes
from .selectors import current_head, latest_checkpoint
from .storage import DatabaseHashReader, write_hashes

logger = logging.getLogger(__name__)

# e.g. "artrights/registration@v1"; statements should carry their type inside too, since mirrors see only the
# leaf data, not this column.
KIND_RE = re.compile(r"[a-z][a-z0-9_.@/-]{0,63}")
TIMESTAMPS_MODULE = "artrights.timestamps.services"


# --- appending ---------------------------------------------------------------------------------


def canonical_entry(*, kind: str, statement: dict[str, Any]) -> bytes:
    """The leaf data of a statement: its RFC 8785 canonical JSON (``kind`` is checked, kept beside it)."""
    if not isinstance(kind, str) or not KIND_RE.fullmatch(kind):
        raise ValidationError(_("账本记录类型不正确：%(kind)s") % {"kind": kind}, code="bad_kind")
    if not isinstance(statement, dict):
        raise ValidationError(_("账本声明必须是 JSON 对象。"), code="bad_statement")
    try:
        data = rfc8785.dumps(statement)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ValidationError(
            _("账本声明无法规范化为 JSON：%(error)s") % {"error": exc}, code="bad_statement"
        ) from None
    if len(data) > MAX_ENTRY_SIZE:
        raise ValidationError(
            _("账本声明过大（%(size)d 字节，上限 %(limit)d 字节）。") % {"size": len(data), "limit": MAX_ENTRY_SIZE},
            code="too_large",
        )
    return data


def _locked_head() -> LogHead:
    """The head row, locked for this transaction; created on the first append."""
    head = LogHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        # ignore_conflicts: two first appenders may race to create it; both then lock the same row.
        LogHead.objects.bulk_create([LogHead(id=HEAD_ID)], ignore_conflicts=True)
        head = LogHead.objects.select_for_update().get(pk=HEAD_ID)
    return head


def append(*, kind: str, statement: dict[str, Any]) -> LogEntry:
    """Append one statement inside the caller's transaction and return its entry."""
    return append_many(items=[(kind, statement)])[0]


def append_many(*, items: Sequence[tuple[str, dict[str, Any]]]) -> list[LogEntry]:
    """Append statements in order inside the caller's transaction; indices are consecutive."""
    # Canonicalise before taking the lock, so a bad statement costs other appenders nothing.
    datas = [(kind, canonical_entry(kind=kind, statement=statement)) for kind, statement in items]
    if not datas:
        return []
    with transaction.atomic():
        head = _locked_head()
        tree = CompactRange(head.size, head.edge_hashes())
        leaves = [leaf_hash(data) for _kind, data in datas]
        result = tree.append_many(leaves)
        now = timezone.now()
        entries = [
            LogEntry(index=head.size + i, kind=kind, leaf_hash=leaf, data=data, created_at=now)
            for i, ((kind, data), leaf) in enumerate(zip(datas, leaves, strict=True))
        ]
        # bulk_create and a queryset update: no per-row signals, so the log's own rows do not flood the audit
        # log (the caller audits its action; the log is its own, stronger record).
        LogEntry.objects.bulk_create(entries, batch_size=500)
        write_hashes(result.stored)
        LogHead.objects.filter(pk=HEAD_ID).update(
            size=result.size, root_hash=result.root, edge=b"".join(tree.edge), updated_at=now
        )
    return entries


# --- checkpoints ---------------------------------------------------------------------------------


def _timestamps_function(name: str) -> Callable[..., Any] | None:
    """``artrights.timestamps.services.<name>`` when that module exists, else None."""
    try:
        module = importlib.import_module(TIMESTAMPS_MODULE)
    except ModuleNotFoundError as exc:
        # Only "the module is not written yet" is tolerated; a broken import inside it must surface.
        if exc.name in {TIMESTAMPS_MODULE, "artrights.timestamps"}:
            return None
        raise
    function = getattr(module, name, None)
    return function if callable(function) else None


def _timestamper() -> Callable[[bytes], bytes] | None:
    return _timestamps_function("stamp")


def _timestamp(note_text: str) -> bytes | None:
    stamp = _timestamper()
    if stamp is None:
        return None
    try:
        return bytes(stamp(note_text.encode()))
    except Exception:
        # A TSA outage must not stop the log from publishing: the checkpoint is valid without a token.
        logger.exception("RFC 3161 timestamp for a log checkpoint failed; publishing without one")
        return None


def publish_checkpoint(*, force: bool = False) -> Checkpoint:
    """Sign a checkpoint for the current size if the log grew (or ``force``); else return the latest."""
    head = current_head()
    latest = latest_checkpoint()
    if latest is not None and latest.size >= head.size and not force:
        return latest
    signer = keys.log_signer()
    note = sign_checkpoint(NoteCheckpoint(keys.log_origin(), head.size, _bytes(head.root_hash)), [signer])
    # Stamped before taking the head lock: a slow TSA must not hold up appenders.
    token = _timestamp(note)
    with transaction.atomic():
        _locked_head()
        latest = latest_checkpoint()
        # A concurrent publisher may have signed a bigger tree meanwhile; checkpoints never go backwards.
        if latest is not None and (latest.size > head.size or (latest.size == head.size and not force)):
            return latest
        checkpoint = Checkpoint(
            size=head.size,
            root_hash=_bytes(head.root_hash),
            note=note,
            key=signer.verifier().vkey(),
            timestamp_token=token,
        )
        checkpoint.save()
    return checkpoint


# --- proofs --------------------------------------------------------------------------------------


def _check_size(size: int, what: str) -> None:
    head_size = current_head().size
    if not 0 <= size <= head_size:
        raise ValidationError(
            _("%(what)s %(size)s 超出账本大小 %(head)s。") % {"what": what, "size": size, "head": head_size},
            code="out_of_range",
        )


def inclusion(*, index: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof of entry ``index`` in the tree of ``size`` entries."""
    _check_size(size, _("树大小"))
    if not 0 <= index < size:
        raise ValidationError(
            _("序号 %(index)s 不在大小为 %(size)s 的树中。") % {"index": index, "size": size},
            code="out_of_range",
        )
    return inclusion_proof(index, size, DatabaseHashReader())


def consistency(*, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 consistency proof that the tree of ``old_size`` is a prefix of the tree of ``new_size``."""
    _check_size(new_size, _("新的树大小"))
    if not 0 < old_size <= new_size:
        raise ValidationError(
            _("一致性证明需要 0 < 旧大小 ≤ 新大小，收到 %(old)s 和 %(new)s。") % {"old": old_size, "new": new_size},
            code="out_of_range",
        )
    return consistency_proof(old_size, new_size, DatabaseHashReader())


def tlog_proof(*, index: int, checkpoint: Checkpoint | None = None) -> str:
    """C2SP tlog-proof text for entry ``index`` against ``checkpoint`` (default: the latest)."""
    checkpoint = checkpoint or latest_checkpoint()
    if checkpoint is None:
        raise ValidationError(_("账本尚未发布检查点。"), code="no_checkpoint")
    if not 0 <= index < checkpoint.size:
        raise ValidationError(
            _("第 %(index)s 条记录不在检查点（%(size)s 条）之内。") % {"index": index, "size": checkpoint.size},
            code="not_in_checkpoint",
        )
    return make_tlog_proof(index, checkpoint.signed_note(), DatabaseHashReader()).to_text()


# --- witnesses -----------------------------------------------------------------------------------


@transaction.atomic
def add_witness(*, name: str, vkey: str) -> Witness:
    """Register an active witness by its signed-note verifier key."""
    witness = Witness(name=name, vkey=vkey)
    witness.full_clean()
    witness.save()
    return witness


def checkpoint_for_note(*, note_text: str) -> Checkpoint | None:
    """The latest checkpoint whose signed body is the body of ``note_text`` (what a witness returns)."""
    lines = note_text.split("\n", 2)
    if len(lines) < 3 or not lines[1].isdigit() or len(lines[1]) > 20:
        return None
    for checkpoint in Checkpoint.objects.filter(size=int(lines[1])).order_by("-id"):
        body = checkpoint.body
        if note_text.startswith(body + "\n") or note_text == body:
            return checkpoint
    return None


def add_cosignature(*, checkpoint: Checkpoint, cosigned_note_text: str) -> list[Cosignature]:
    """Store the active witnesses' cosignatures on ``checkpoint`` after verifying each one."""
    text = cosigned_note_text
    body = checkpoint.body
    if not text.startswith(body):
        # A tlog-witness add-checkpoint response carries only the signature lines.
        if not text.startswith(SIG_PREFIX):
            raise ValidationError(_("见证签名不是针对该检查点的。"), code="wrong_checkpoint")
        text = body + "\n" + text
    log_verifier = new_verifier(checkpoint.key)
    by_key: dict[tuple[str, int], Witness] = {}
    verifiers: list[Verifier] = [log_verifier]
    for witness in Witness.objects.filter(active=True):
        verifier = new_verifier(witness.vkey)
        key = (verifier.name, verifier.key_hash)
        if key != (log_verifier.name, log_verifier.key_hash) and key not in by_key:
            by_key[key] = witness
            verifiers.append(verifier)
    try:
        note = open_note(text, verifiers)
    except UnverifiedNoteError:
        raise ValidationError(_("见证签名来自未登记或已停用的见证方。"), code="unknown_witness") from None
    except InvalidSignatureError as exc:
        raise ValidationError(
            _("见证签名验证失败：%(key)s") % {"key": f"{exc.name}+{exc.key_hash:08x}"}, code="bad_signature"
        ) from None
    except NoteError as exc:
        raise ValidationError(_("见证签名格式不正确：%(error)s") % {"error": exc}, code="malformed") from None
    if note.text != body:
        raise ValidationError(_("见证签名不是针对该检查点的。"), code="wrong_checkpoint")
    accepted = [(by_key[(s.name, s.key_hash)], s) for s in note.sigs if (s.name, s.key_hash) in by_key]
    if not accepted:
        raise ValidationError(_("见证签名来自未登记或已停用的见证方。"), code="unknown_witness")
    stored: list[Cosignature] = []
    with transaction.atomic():
        for witness, sig in accepted:
            existing = Cosignature.objects.filter(checkpoint=checkpoint, witness=witness).first()
            if existing is None:
                # The first cosignature a witness gives for a checkpoint is kept; a later one (new timestamp)
                # adds nothing.
                existing = Cosignature(checkpoint=checkpoint, witness=witness, line=sig.line())
                existing.save()
            stored.append(existing)
    return stored


# --- self-check ----------------------------------------------------------------------------------


@dataclass
class LogReport:
    """What :func:`verify_log` checked, and the first problem it found (None when the log is sound)."""

    size: int = 0
    entries: int = 0
    hashes: int = 0
    checkpoints: int = 0
    cosignatures: int = 0
    timestamps: int = 0
    latest_size: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return self.problems[0]
        return _(
            "账本完整：%(entries)d 条记录，%(hashes)d 个子树哈希，%(checkpoints)d 个检查点"
            "（最新大小 %(latest)s），%(cosignatures)d 个见证签名，%(timestamps)d 个可信时间戳均已核验。"
        ) % {
            "timestamps": self.timestamps,
            "entries": self.entries,
            "hashes": self.hashes,
            "checkpoints": self.checkpoints,
            "latest": "-" if self.latest_size is None else self.latest_size,
            "cosignatures": self.cosignatures,
        }


_VERIFY_CHUNK = 5000


def _entry_chunks(size: int) -> Iterator[list[tuple[int, bytes, bytes]]]:
    for start in range(0, size, _VERIFY_CHUNK):
        rows = (
            LogEntry.objects.filter(index__gte=start, index__lt=start + _VERIFY_CHUNK)
            .order_by("index")
            .values_list("index", "leaf_hash", "data")
        )
        yield [(index, _bytes(leaf), _bytes(data)) for index, leaf, data in rows]


def _check_stored(expected: list[tuple[int, int, bytes]], reader: DatabaseHashReader) -> str | None:
    """Compare recomputed hashes with the stored ones, one range query per level."""
    by_level: dict[int, list[tuple[int, bytes]]] = {}
    for level, index, value in expected:
        by_level.setdefault(level, []).append((index, value))
    for level in sorted(by_level):
        wanted = by_level[level]
        first = wanted[0][0]
        stored = reader.read_range(level, first, len(wanted))
        for pos, (index, value) in enumerate(wanted):
            if pos >= len(stored):
                return _("子树哈希（层 %(level)d，序号 %(index)d）缺失。") % {"level": level, "index": index}
            if stored[pos] != value:
                return _("子树哈希（层 %(level)d，序号 %(index)d）与记录重算的结果不符。") % {
                    "level": level,
                    "index": index,
                }
    return None


def verify_log() -> LogReport:
    """Recompute every stored hash from the entries and check every checkpoint, signature and cosignature."""
    report = LogReport()
    head = current_head()
    report.size = head.size
    checkpoints = list(Checkpoint.objects.order_by("id"))
    roots_wanted = {c.size for c in checkpoints}
    roots: dict[int, bytes] = {}
    if 0 in roots_wanted:
        roots[0] = CompactRange().root()
    reader = DatabaseHashReader()
    tree = CompactRange()

    # 1. Entries, in order: consecutive indices, leaf hashes that match the data, and every stored hash.
    for chunk in _entry_chunks(head.size):
        expected: list[tuple[int, int, bytes]] = []
        for index, stored_leaf, data in chunk:
            if index != tree.size:
                report.problems.append(_("第 %(index)d 条记录缺失。") % {"index": tree.size})
                return report
            leaf = leaf_hash(data)
            if stored_leaf != leaf:
                report.problems.append(_("第 %(index)d 条记录的叶哈希与其内容不符。") % {"index": index})
                return report
            expected.extend(tree.append(leaf))
            if tree.size in roots_wanted:
                roots[tree.size] = tree.root()
        problem = _check_stored(expected, reader)
        if problem:
            report.problems.append(problem)
            return report
        report.entries = tree.size
    if tree.size != head.size:
        report.problems.append(_("第 %(index)d 条记录缺失。") % {"index": tree.size})
        return report
    extra_entries = LogEntry.objects.filter(index__gte=head.size).order_by("index").first()
    if extra_entries is not None:
        report.problems.append(
            _("第 %(index)d 条记录超出账本大小 %(size)d。") % {"index": extra_entries.index, "size": head.size}
        )
        return report
    # Every expected hash was found above; an equal count means there is no extra (forged) one either.
    want_hashes = 2 * head.size - head.size.bit_count()
    report.hashes = LogHash.objects.count()
    if report.hashes != want_hashes:
        report.problems.append(
            _("子树哈希数量为 %(have)d，应为 %(want)d。") % {"have": report.hashes, "want": want_hashes}
        )
        return report
    if _bytes(head.root_hash) != tree.root() or b"".join(tree.edge) != _bytes(head.edge):
        report.problems.append(_("账本状态（根哈希或右边界）与记录重算的结果不符。"))
        return report

    # 2. Checkpoints: signature, text and root, and consistency with the one before.
    current_key = keys.log_verifier_key()
    previous: Checkpoint | None = None
    counts = {
        row["checkpoint_id"]: row["n"] for row in Cosignature.objects.values("checkpoint_id").annotate(n=Count("id"))
    }
    check_token = _timestamps_function("check_token")
    for checkpoint in checkpoints:
        problem = _check_checkpoint(
            checkpoint, roots, previous, is_latest=checkpoint is checkpoints[-1], current_key=current_key
        ) or _check_checkpoint_token(checkpoint, check_token)
        if problem:
            report.problems.append(problem)
            return report
        if checkpoint.timestamp_token and check_token is not None:
            report.timestamps += 1
        report.cosignatures += counts.get(checkpoint.id, 0)
        report.checkpoints += 1
        previous = checkpoint
    if checkpoints:
        report.latest_size = checkpoints[-1].size
    return report


def _check_checkpoint_token(checkpoint: Checkpoint, check_token: Callable[..., Any] | None) -> str | None:
    """The checkpoint's RFC 3161 token, if it has one, must be a valid token over its note text."""
    if not checkpoint.timestamp_token or check_token is None:
        return None
    try:
        check_token(bytes(checkpoint.timestamp_token), checkpoint.note.encode())
    except Exception as exc:  # a TimestampError, or anything a mangled token makes the parser raise
        label = _("检查点 #%(id)d（大小 %(size)d）") % {"id": checkpoint.id, "size": checkpoint.size}
        return _("%(label)s的可信时间戳无效：%(error)s") % {"label": label, "error": exc}
    return None


def _check_checkpoint(
    checkpoint: Checkpoint,
    roots: dict[int, bytes],
    previous: Checkpoint | None,
    *,
    is_latest: bool,
    current_key: str,
) -> str | None:
    label = _("检查点 #%(id)d（大小 %(size)d）") % {"id": checkpoint.id, "size": checkpoint.size}
    if is_latest and checkpoint.key != current_key:
        return _("%(label)s不是用当前账本密钥签名的。") % {"label": label}
    try:
        verifier: Ed25519Verifier = new_verifier(checkpoint.key)
        verifiers: list[Verifier] = [verifier]
        cosignatures = list(checkpoint.cosignatures.select_related("witness").order_by("id"))
        for cosignature in cosignatures:
            witness_verifier = new_verifier(cosignature.witness.vkey)
            if all((v.name, v.key_hash) != (witness_verifier.name, witness_verifier.key_hash) for v in verifiers):
                verifiers.append(witness_verifier)
        signed = open_checkpoint(checkpoint.signed_note(), verifiers, origin=keys.log_origin())
    except (NoteError, ValueError) as exc:
        return _("%(label)s的签名无效：%(error)s") % {"label": label, "error": exc}
    if len(signed.note.sigs) != 1 + len(cosignatures) or signed.note.unverified_sigs:
        return _("%(label)s的见证签名无法全部核验。") % {"label": label}
    if signed.checkpoint.size != checkpoint.size or signed.checkpoint.root_hash != _bytes(checkpoint.root_hash):
        return _("%(label)s的签名内容与其大小或根哈希不符。") % {"label": label}
    if roots.get(checkpoint.size) != signed.checkpoint.root_hash:
        return _("%(label)s的根哈希与记录重算的结果不符。") % {"label": label}
    if previous is not None and previous.size > 0:
        if checkpoint.size < previous.size:
            return _("%(label)s比前一个检查点小。") % {"label": label}
        try:
            proof = consistency_proof(previous.size, checkpoint.size, DatabaseHashReader())
            verify_consistency(
                previous.size,
                checkpoint.size,
                proof,
                _bytes(previous.root_hash),
                signed.checkpoint.root_hash,
            )
        except (ProofError, LookupError) as exc:
            return _("%(label)s与前一个检查点不一致：%(error)s") % {"label": label, "error": exc}
    return None
