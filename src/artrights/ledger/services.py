"""Writes to the public log, and the proofs other apps hand out.

Statements must hold only hashes and salted commitments, never names, ID numbers or addresses: every entry is
public forever (served as tlog-tiles) and can never be removed.

Appends run inside the caller's transaction: if the caller rolls back (say a registration fails after its
log entry), the entry, its hashes and the head move disappear together. Appenders are serialised on the
head row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at
BEGIN), so indices are consecutive with no gaps. The lock is held until the caller commits: keep slow work
(network calls, file rendering) out of the transaction that appends. Appenders take the audit chain's lock first
(`core.audit.lock_chain`): every writing transaction takes that one at its first audit event, so taking both in
that order everywhere means two transactions never wait on each other.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import rfc8785
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.core import audit
from artrights.core.models import AuditEvent
from artrights.proofs.merkle import (
    CompactRange,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
)
from artrights.proofs.note import (
    SIG_PREFIX,
    InvalidSignatureError,
    NoteError,
    UnverifiedNoteError,
    Verifier,
    new_verifier,
    open_note,
    sign_checkpoint,
)
from artrights.proofs.note import Checkpoint as NoteCheckpoint
from artrights.proofs.statements import StatementType, audit_anchor_statement
from artrights.proofs.tiles import MAX_ENTRY_SIZE
from artrights.proofs.tlog import make_tlog_proof
from artrights.timestamps import services as timestamps

from . import keys, selectors
from .models import HEAD_ID, Checkpoint, Cosignature, LogEntry, LogHead, Witness, _bytes
from .selectors import current_head, latest_checkpoint
from .storage import DatabaseHashReader, write_hashes

logger = logging.getLogger(__name__)

# e.g. "artrights/registration@v1"; statements should carry their type inside too, since mirrors see only the
# leaf data, not this column.
KIND_RE = re.compile(r"[a-z][a-z0-9_.@/-]{0,63}")


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
    """The head row, locked for this transaction (after the audit chain's); created on the first append."""
    audit.lock_chain()
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


def _timestamp(note_text: str) -> bytes | None:
    try:
        return bytes(timestamps.stamp(note_text.encode()))
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
        locked = _locked_head()
        latest = latest_checkpoint()
        # A concurrent publisher may have signed a bigger tree meanwhile; checkpoints never go backwards.
        if latest is not None and (latest.size > head.size or (latest.size == head.size and not force)):
            return latest
        # Past both the head's count and the highest number stored, so a gap someone made stays a gap.
        seq = max(locked.checkpoints, latest.seq if latest is not None else 0) + 1
        checkpoint = Checkpoint(
            seq=seq,
            size=head.size,
            root_hash=_bytes(head.root_hash),
            note=note,
            key=signer.verifier().vkey(),
            timestamp_token=token,
        )
        checkpoint.save()
        LogHead.objects.filter(pk=HEAD_ID).update(checkpoints=seq)
    return checkpoint


# --- anchoring the audit trail ---------------------------------------------------------------------------------

# Rows the log writes about itself. Signing a checkpoint is audited, so if these alone called for an anchor, an
# idle log would grow forever: anchor, checkpoint over it, anchor over that checkpoint's audit event, ...
BOOKKEEPING = ("ledger.checkpoint", "ledger.cosignature", "timestamps.externaltimestamp")


def anchor_audit_log() -> LogEntry | None:
    """Append the audit chain's head to the log if events other than the log's own bookkeeping came since the last
    anchor; returns the new entry (None when there was nothing to anchor)."""
    with transaction.atomic():
        _locked_head()  # and the audit chain's lock: no event is chained while we read the head
        chain = audit.lock_chain()
        latest = selectors.latest_audit_anchor()
        anchored = latest[1] if latest is not None else 0
        if chain.seq <= anchored:
            return None
        news = AuditEvent.objects.filter(seq__gt=anchored).exclude(object_type__in=BOOKKEEPING)
        if not news.exists():
            return None
        statement = audit_anchor_statement(
            registry=keys.log_origin(), count=chain.seq, head=chain.hash, anchored_at=timezone.now()
        )
        return append(kind=StatementType.AUDIT_ANCHOR, statement=statement)


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
            _("序号 %(index)s 的记录不在检查点（%(size)s 条）之内。") % {"index": index, "size": checkpoint.size},
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
