"""The whole-log checker behind ``artrights log verify``: recompute everything the log stores and signed.

Like tessera's ``fsck``: every leaf hash from its entry, every stored subtree hash, the head's root and edge, every
checkpoint's signature, root and consistency with the one before, every witness cosignature and every checkpoint's
RFC 3161 token. Then what deleting rows would hide:

* checkpoints are numbered without gaps and the head counts them, so a deleted one (the newest included) shows;
  entries older than :data:`CHECKPOINT_GRACE` must be covered by a checkpoint (the worker signs one a minute);
* every checkpoint and cosignature the audit trail recorded must still be there as recorded (token included); a
  recorded checkpoint the log's key signed, bigger than the log, proves a rollback even when its row is gone;
* the audit trail's hash chain is walked from its first event, and every audit anchor in the log must match it;
* with a checkpoint someone saved (``--against``), the log must still extend it (no rollback, no fork).

Each part stops at its first problem and names it; the report holds one problem per kind, in both languages.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.core import audit
from artrights.core.errors import BilingualError
from artrights.core.messages import LazyMessage
from artrights.core.models import AuditEvent
from artrights.proofs.merkle import CompactRange, ProofError, consistency_proof, leaf_hash, verify_consistency
from artrights.proofs.note import Checkpoint as NoteCheckpoint
from artrights.proofs.note import Ed25519Verifier, NoteError, Verifier, new_verifier, open_checkpoint
from artrights.proofs.rfc3161 import TimestampError
from artrights.proofs.rollback import check_log_extends, open_saved_checkpoint
from artrights.proofs.statements import StatementType, check_audit_anchor
from artrights.timestamps import services as timestamps

from . import keys
from .models import Checkpoint, Cosignature, LogEntry, LogHash, LogHead, Witness, _bytes
from .selectors import current_head
from .storage import DatabaseHashReader

# The worker signs a checkpoint every minute; an entry this old that no checkpoint covers means the newest
# checkpoint was deleted (or the worker has stopped, which also needs fixing).
CHECKPOINT_GRACE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Problem:
    """One thing found wrong: a stable ``code`` for programs, the message for people in either language."""

    code: str
    message: LazyMessage


@dataclass
class LogReport:
    """What :func:`verify_log` checked, and the problems it found (none when the log is sound)."""

    size: int = 0
    entries: int = 0
    hashes: int = 0
    checkpoints: int = 0
    cosignatures: int = 0
    timestamps: int = 0
    latest_size: int | None = None
    audit_events: int = 0
    audit_anchors: int = 0
    saved_size: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def add(self, code: str, template: Any, **params: Any) -> None:
        """Record a problem, unless one of the same kind (code) is reported already: the first one is named."""
        if code not in self.codes:
            self.problems.append(Problem(code, LazyMessage(template, params)))

    def summary(self) -> LazyMessage:
        if not self.ok:
            return self.problems[0].message
        text = LazyMessage(
            _(
                "账本完整：%(entries)d 条记录，%(hashes)d 个子树哈希，%(checkpoints)d 个检查点"
                "（最新大小 %(latest)s），%(cosignatures)d 个见证签名，%(timestamps)d 个可信时间戳均已核验；"
                "审计日志 %(events)d 条事件的哈希链完整，%(anchors)d 个锚定相符。"
            ),
            {
                "timestamps": self.timestamps,
                "entries": self.entries,
                "hashes": self.hashes,
                "checkpoints": self.checkpoints,
                "latest": "-" if self.latest_size is None else self.latest_size,
                "cosignatures": self.cosignatures,
                "events": self.audit_events,
                "anchors": self.audit_anchors,
            },
        )
        if self.saved_size is None:
            return text
        saved = LazyMessage(_("账本延续了保存的检查点（%(size)d 条记录），没有回滚或分叉。"), {"size": self.saved_size})
        return LazyMessage("%(text)s %(saved)s", {"text": text, "saved": saved})

    def text(self) -> str:
        """Every problem (or the summary), Chinese then English, one per line: what the command prints."""
        messages = [p.message for p in self.problems] or [self.summary()]
        return "\n".join(m.bilingual() for m in messages)


_VERIFY_CHUNK = 5000


def _label(checkpoint: Checkpoint) -> LazyMessage:
    return LazyMessage(_("检查点 #%(id)d（大小 %(size)d）"), {"id": checkpoint.id, "size": checkpoint.size})


def _flat(exc: BaseException) -> str:
    """An exception's text on one line (parsers' messages span several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def verify_log(*, saved_checkpoint: str | bytes | None = None, now: dt.datetime | None = None) -> LogReport:
    """Recompute every stored hash from the entries and check the checkpoints, cosignatures, tokens and audit trail.

    ``saved_checkpoint``: the text of a checkpoint this log signed earlier; the log must still extend it.
    """
    report = LogReport()
    head = current_head()
    report.size = head.size
    checkpoints = list(Checkpoint.objects.order_by("seq", "id"))
    recorded = _recorded_checkpoints()
    saved = _open_saved(report, saved_checkpoint)
    wanted = {c.size for c in checkpoints} | {r.size for r in recorded if r.signed}
    if saved is not None:
        wanted.add(saved.size)
    roots = _check_entries(report, head, wanted_roots={s for s in wanted if s <= head.size})
    if roots is not None:
        _check_checkpoints(report, checkpoints, roots)
        _check_sequence(report, head, checkpoints)
        _check_coverage(report, head, checkpoints, now or timezone.now())
        if saved is not None:
            _check_saved(report, head, saved)
        _check_recorded(report, head, checkpoints, recorded, roots)
    _check_audit_trail(report)
    return report


# --- entries and stored hashes -----------------------------------------------------------------------------------


def _entry_chunks(size: int) -> Iterator[list[tuple[int, bytes, bytes]]]:
    for start in range(0, size, _VERIFY_CHUNK):
        rows = (
            LogEntry.objects.filter(index__gte=start, index__lt=start + _VERIFY_CHUNK)
            .order_by("index")
            .values_list("index", "leaf_hash", "data")
        )
        yield [(index, _bytes(leaf), _bytes(data)) for index, leaf, data in rows]


def _check_stored(expected: list[tuple[int, int, bytes]], reader: DatabaseHashReader) -> LazyMessage | None:
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
                return LazyMessage(
                    _("子树哈希（层 %(level)d，序号 %(index)d）缺失。"), {"level": level, "index": index}
                )
            if stored[pos] != value:
                return LazyMessage(
                    _("子树哈希（层 %(level)d，序号 %(index)d）与记录重算的结果不符。"),
                    {"level": level, "index": index},
                )
    return None


def _check_entries(report: LogReport, head: LogHead, *, wanted_roots: set[int]) -> dict[int, bytes] | None:
    """Entries in order: consecutive indices, leaf hashes that match the data, and every stored hash.

    Returns the recomputed roots at ``wanted_roots`` sizes, or None after recording the first problem.
    """
    roots: dict[int, bytes] = {}
    if 0 in wanted_roots:
        roots[0] = CompactRange().root()
    reader = DatabaseHashReader()
    tree = CompactRange()
    for chunk in _entry_chunks(head.size):
        expected: list[tuple[int, int, bytes]] = []
        for index, stored_leaf, data in chunk:
            problem = _check_entry(index, stored_leaf, data, tree)
            if problem:
                report.add("entry", problem.template, **problem.params)
                return None
            expected.extend(tree.append(leaf_hash(data)))
            if tree.size in wanted_roots:
                roots[tree.size] = tree.root()
        problem = _check_stored(expected, reader)
        if problem:
            report.add("stored_hash", problem.template, **problem.params)
            return None
        report.entries = tree.size
    problem = _check_log_state(report, head, tree)
    if problem:
        report.add("log_state", problem.template, **problem.params)
        return None
    return roots


def _check_entry(index: int, stored_leaf: bytes, data: bytes, tree: CompactRange) -> LazyMessage | None:
    if index != tree.size:
        return LazyMessage(_("第 %(index)d 条记录缺失。"), {"index": tree.size})
    if stored_leaf != leaf_hash(data):
        return LazyMessage(_("第 %(index)d 条记录的叶哈希与其内容不符。"), {"index": index})
    return None


def _check_log_state(report: LogReport, head: LogHead, tree: CompactRange) -> LazyMessage | None:
    """No entry missing or beyond the head, no extra hash, and the head's root and edge as recomputed."""
    if tree.size != head.size:
        return LazyMessage(_("第 %(index)d 条记录缺失。"), {"index": tree.size})
    extra_entries = LogEntry.objects.filter(index__gte=head.size).order_by("index").first()
    if extra_entries is not None:
        return LazyMessage(
            _("第 %(index)d 条记录超出账本大小 %(size)d。"), {"index": extra_entries.index, "size": head.size}
        )
    # Every expected hash was found above; an equal count means there is no extra (forged) one either.
    want_hashes = 2 * head.size - head.size.bit_count()
    report.hashes = LogHash.objects.count()
    if report.hashes != want_hashes:
        return LazyMessage(_("子树哈希数量为 %(have)d，应为 %(want)d。"), {"have": report.hashes, "want": want_hashes})
    if _bytes(head.root_hash) != tree.root() or b"".join(tree.edge) != _bytes(head.edge):
        return LazyMessage(_("账本状态（根哈希或右边界）与记录重算的结果不符。"))
    return None


# --- checkpoints ---------------------------------------------------------------------------------------------------


def _check_checkpoints(report: LogReport, checkpoints: list[Checkpoint], roots: dict[int, bytes]) -> None:
    """Checkpoints: signature, text and root, consistency with the one before, and the RFC 3161 token."""
    current_key = keys.log_verifier_key()
    previous: Checkpoint | None = None
    counts = {
        row["checkpoint_id"]: row["n"] for row in Cosignature.objects.values("checkpoint_id").annotate(n=Count("id"))
    }
    for checkpoint in checkpoints:
        problem = _check_checkpoint(
            checkpoint, roots, previous, is_latest=checkpoint is checkpoints[-1], current_key=current_key
        )
        if problem is None:
            problem = _check_checkpoint_token(checkpoint)
        if problem is not None:
            report.add(problem[0], problem[1].template, **problem[1].params)
            return
        if checkpoint.timestamp_token is not None and _bytes(checkpoint.timestamp_token):
            report.timestamps += 1
        report.cosignatures += counts.get(checkpoint.id, 0)
        report.checkpoints += 1
        previous = checkpoint
    if checkpoints:
        report.latest_size = checkpoints[-1].size


def _check_checkpoint_token(checkpoint: Checkpoint) -> tuple[str, LazyMessage] | None:
    """The checkpoint's RFC 3161 token, if it has one, must be a valid token over its note text."""
    stored = checkpoint.timestamp_token
    if stored is None:
        return None
    label = _label(checkpoint)
    if not isinstance(stored, bytes | bytearray | memoryview):
        return "checkpoint_token_invalid", LazyMessage(
            _("%(label)s的可信时间戳已损坏：存储的不是二进制数据（%(type)s）。"),
            {"label": label, "type": type(stored).__name__},
        )
    token = bytes(stored)
    if not token:
        return None
    try:
        timestamps.check_token(token, checkpoint.note.encode())
    except TimestampError as exc:
        return "checkpoint_token_invalid", LazyMessage(
            _("%(label)s的可信时间戳无效（%(check)s）：%(error)s"),
            {"label": label, "check": exc.check, "error": " ".join(exc.message.split())},
        )
    except Exception as exc:  # anything a mangled token makes a parser raise is still a bad token
        return "checkpoint_token_invalid", LazyMessage(
            _("%(label)s的可信时间戳无效（%(check)s）：%(error)s"),
            {"label": label, "check": type(exc).__name__, "error": _flat(exc)},
        )
    return None


def _check_checkpoint(
    checkpoint: Checkpoint,
    roots: dict[int, bytes],
    previous: Checkpoint | None,
    *,
    is_latest: bool,
    current_key: str,
) -> tuple[str, LazyMessage] | None:
    label = _label(checkpoint)
    if is_latest and checkpoint.key != current_key:
        return "checkpoint_key", LazyMessage(_("%(label)s不是用当前账本密钥签名的。"), {"label": label})
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
        return "checkpoint_signature", LazyMessage(
            _("%(label)s的签名无效：%(error)s"), {"label": label, "error": _flat(exc)}
        )
    if len(signed.note.sigs) != 1 + len(cosignatures) or signed.note.unverified_sigs:
        return "cosignature_invalid", LazyMessage(_("%(label)s的见证签名无法全部核验。"), {"label": label})
    if signed.checkpoint.size != checkpoint.size or signed.checkpoint.root_hash != _bytes(checkpoint.root_hash):
        return "checkpoint_body", LazyMessage(_("%(label)s的签名内容与其大小或根哈希不符。"), {"label": label})
    if roots.get(checkpoint.size) != signed.checkpoint.root_hash:
        return "checkpoint_root", LazyMessage(_("%(label)s的根哈希与记录重算的结果不符。"), {"label": label})
    if previous is not None and previous.size > 0:
        if checkpoint.size < previous.size:
            return "checkpoint_smaller", LazyMessage(_("%(label)s比前一个检查点小。"), {"label": label})
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
            return "checkpoint_inconsistent", LazyMessage(
                _("%(label)s与前一个检查点不一致：%(error)s"), {"label": label, "error": _flat(exc)}
            )
    return None


def _check_sequence(report: LogReport, head: LogHead, checkpoints: list[Checkpoint]) -> None:
    """Checkpoint numbers run 1, 2, 3 … and the head counts every checkpoint ever signed."""
    for expected, checkpoint in enumerate(checkpoints, start=1):
        if checkpoint.seq != expected:
            report.add(
                "checkpoint_missing",
                _("第 %(seq)d 个检查点缺失（已被删除）：下一个现存的是%(next)s，序号 %(next_seq)d。"),
                seq=expected,
                next=_label(checkpoint),
                next_seq=checkpoint.seq,
            )
            return
    last = checkpoints[-1].seq if checkpoints else 0
    if head.checkpoints > last:
        report.add(
            "latest_checkpoint_missing",
            _(
                "最新的 %(missing)d 个检查点缺失（已被删除）：账本已签发 %(signed)d 个检查点，"
                "现存的只到第 %(last)d 个。"
            ),
            missing=head.checkpoints - last,
            signed=head.checkpoints,
            last=last,
        )
    elif head.checkpoints < last:
        report.add(
            "checkpoint_count",
            _("账本状态记录签发了 %(signed)d 个检查点，但现存第 %(last)d 个。"),
            signed=head.checkpoints,
            last=last,
        )


def _check_coverage(report: LogReport, head: LogHead, checkpoints: list[Checkpoint], now: dt.datetime) -> None:
    """The oldest entry no checkpoint covers must be younger than the grace period."""
    covered = max((c.size for c in checkpoints), default=0)
    if covered >= head.size:
        return
    first = LogEntry.objects.filter(index=covered).values_list("created_at", flat=True).first()
    if first is not None and now - first > CHECKPOINT_GRACE:
        report.add(
            "entries_not_checkpointed",
            _(
                "第 %(index)d 条记录在 %(at)s 记入，超过 %(minutes)d 分钟仍没有检查点覆盖它："
                "最新的检查点可能被删除，或签发检查点的后台任务没有运行。"
            ),
            index=covered,
            at=first.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            minutes=int(CHECKPOINT_GRACE.total_seconds() // 60),
        )


# --- what the audit trail recorded about the log -----------------------------------------------------------------


@dataclass(frozen=True)
class _Recorded:
    """A checkpoint the audit trail saw being signed (``changes.new`` of its ``create`` event)."""

    event_seq: int
    id: int
    size: int
    note: str
    token: str | None  # "<N bytes>" as the audit snapshot writes binary values, or None
    signed: NoteCheckpoint | None  # the note, when the log's current key signed it


def _recorded_checkpoints() -> list[_Recorded]:
    log_key = keys.log_verifier_key()
    origin = keys.log_origin()
    out: list[_Recorded] = []
    rows = AuditEvent.objects.filter(object_type="ledger.checkpoint", action="create").order_by("seq")
    for event_seq, changes in rows.values_list("seq", "changes"):
        new = changes.get("new") if isinstance(changes, dict) else None
        if not isinstance(new, dict) or not isinstance(new.get("id"), int) or not isinstance(new.get("note"), str):
            continue  # a malformed record is the audit chain's to report
        try:
            signed: NoteCheckpoint | None = open_checkpoint(
                new["note"], [new_verifier(log_key)], origin=origin
            ).checkpoint
        except (NoteError, ValueError):
            signed = None
        size = new.get("size")
        out.append(
            _Recorded(
                event_seq=event_seq,
                id=new["id"],
                size=size if isinstance(size, int) else -1,
                note=new["note"],
                token=new.get("timestamp_token") if isinstance(new.get("timestamp_token"), str) else None,
                signed=signed,
            )
        )
    return out


def _check_recorded(
    report: LogReport,
    head: LogHead,
    checkpoints: list[Checkpoint],
    recorded: list[_Recorded],
    roots: dict[int, bytes],
) -> None:
    """Every checkpoint and cosignature the audit trail saw must still be there, as it was."""
    by_id = {c.id: c for c in checkpoints}
    for record in recorded:
        checkpoint = by_id.get(record.id)
        signed = record.signed
        if signed is not None and signed.size > head.size:
            report.add(
                "recorded_checkpoint_beyond_log",
                _(
                    "账本被回滚：审计日志第 %(event)d 条事件记录了账本密钥签发的检查点 #%(id)d，"
                    "大小 %(size)d，而账本现在只有 %(head)d 条记录。"
                ),
                event=record.event_seq,
                id=record.id,
                size=signed.size,
                head=head.size,
            )
        elif signed is not None and roots.get(signed.size) != signed.root_hash:
            report.add(
                "recorded_checkpoint_forked",
                _(
                    "账本分叉：审计日志第 %(event)d 条事件记录的检查点 #%(id)d（大小 %(size)d）"
                    "的根哈希与现在的记录不符。"
                ),
                event=record.event_seq,
                id=record.id,
                size=signed.size,
            )
        if checkpoint is None:
            report.add(
                "checkpoint_deleted",
                _("检查点 #%(id)d（大小 %(size)d）已被删除：审计日志第 %(event)d 条事件记录了它的签发。"),
                id=record.id,
                size=record.size,
                event=record.event_seq,
            )
            continue
        if checkpoint.note != record.note:
            report.add(
                "checkpoint_replaced",
                _("%(label)s与审计日志第 %(event)d 条事件记录的签发内容不符。"),
                label=_label(checkpoint),
                event=record.event_seq,
            )
        stored = checkpoint.timestamp_token
        if stored is None or (isinstance(stored, bytes | bytearray | memoryview) and not len(stored)):
            now_token = None
        elif isinstance(stored, bytes | bytearray | memoryview):
            now_token = f"<{len(stored)} bytes>"
        else:
            now_token = "<not binary>"
        if record.token is not None and now_token is None:
            report.add(
                "checkpoint_token_deleted",
                _("%(label)s的可信时间戳已被删除：审计日志第 %(event)d 条事件记录签发时它有时间戳。"),
                label=_label(checkpoint),
                event=record.event_seq,
            )
        elif record.token is not None and now_token != record.token:
            report.add(
                "checkpoint_token_replaced",
                _("%(label)s的可信时间戳已被替换：长度与审计日志第 %(event)d 条事件记录的不同。"),
                label=_label(checkpoint),
                event=record.event_seq,
            )
    _check_recorded_cosignatures(report, by_id)


def _check_recorded_cosignatures(report: LogReport, checkpoints: dict[int, Checkpoint]) -> None:
    stored = {c.id: c for c in Cosignature.objects.all()}
    names = dict(Witness.objects.values_list("id", "name"))
    rows = AuditEvent.objects.filter(object_type="ledger.cosignature", action="create").order_by("seq")
    for event_seq, changes in rows.values_list("seq", "changes"):
        new = changes.get("new") if isinstance(changes, dict) else None
        if not isinstance(new, dict) or not isinstance(new.get("id"), int):
            continue
        checkpoint = checkpoints.get(new.get("checkpoint_id"))  # type: ignore[arg-type]
        where = (
            _label(checkpoint)
            if checkpoint is not None
            else LazyMessage(_("检查点 #%(id)s"), {"id": new.get("checkpoint_id")})
        )
        witness = names.get(new.get("witness_id"), str(new.get("witness_id")))  # type: ignore[arg-type]
        cosignature = stored.get(new["id"])
        if cosignature is None:
            report.add(
                "cosignature_deleted",
                _("%(checkpoint)s上见证方 %(witness)s 的联署已被删除：审计日志第 %(event)d 条事件记录了它。"),
                checkpoint=where,
                witness=witness,
                event=event_seq,
            )
        elif (cosignature.checkpoint_id, cosignature.witness_id, cosignature.line) != (
            new.get("checkpoint_id"),
            new.get("witness_id"),
            new.get("line"),
        ):
            report.add(
                "cosignature_replaced",
                _("%(checkpoint)s上见证方 %(witness)s 的联署与审计日志第 %(event)d 条事件记录的不同。"),
                checkpoint=where,
                witness=witness,
                event=event_seq,
            )


# --- a checkpoint someone saved --------------------------------------------------------------------------------------


def _open_saved(report: LogReport, text: str | bytes | None) -> NoteCheckpoint | None:
    if text is None:
        return None
    try:
        return open_saved_checkpoint(text, log_key=keys.log_verifier_key(), origin=keys.log_origin())
    except BilingualError as exc:
        report.add(exc.code, "%(error)s", error=exc)
        return None


def _check_saved(report: LogReport, head: LogHead, saved: NoteCheckpoint) -> None:
    try:
        proof = consistency_proof(saved.size, head.size, DatabaseHashReader()) if 0 < saved.size <= head.size else []
        check_log_extends(saved, size=head.size, root=_bytes(head.root_hash), proof=proof)
    except BilingualError as exc:
        report.add(exc.code, "%(error)s", error=exc)
        return
    except (ProofError, LookupError) as exc:
        report.add("log_forked", _("账本分叉：无法从现存的记录给出一致性证明（%(error)s）。"), error=_flat(exc))
        return
    report.saved_size = saved.size


# --- the audit trail -----------------------------------------------------------------------------------------------


def _anchors() -> Iterator[tuple[int, Any]]:
    rows = LogEntry.objects.filter(kind=StatementType.AUDIT_ANCHOR).order_by("index").values_list("index", "data")
    for index, data in rows:
        try:
            yield index, check_audit_anchor(json.loads(_bytes(data)))
        except ValueError as exc:
            yield index, exc


def _check_audit_trail(report: LogReport) -> None:
    """The hash chain from the first event, then every anchor of it in the log."""
    anchors = list(_anchors())
    chain = audit.verify_chain(wanted={a[0] for _i, a in anchors if isinstance(a, tuple)})
    report.audit_events = chain.count
    if chain.problem is not None:
        report.add(chain.problem_code, "%(problem)s", problem=chain.problem)
    for index, anchor in anchors:
        if not isinstance(anchor, tuple):
            report.add(
                "audit_anchor_malformed",
                _("第 %(index)d 条记录不是有效的审计日志锚定：%(error)s"),
                index=index,
                error=_flat(anchor),
            )
            continue
        count, head_hash = anchor
        if chain.problem_seq is not None and count >= chain.problem_seq:
            continue  # the break itself is reported; anchors past it cannot be checked
        if count > chain.count:
            report.add(
                "audit_truncated",
                _("审计日志被截短：第 %(index)d 条记录锚定了 %(count)d 条审计事件，现在只有 %(have)d 条。"),
                index=index,
                count=count,
                have=chain.count,
            )
        elif chain.hashes.get(count) != head_hash:
            report.add(
                "audit_anchor_mismatch",
                _("审计日志与第 %(index)d 条记录的锚定不符：前 %(count)d 条审计事件中有被改写的。"),
                index=index,
                count=count,
            )
        else:
            report.audit_anchors += 1
