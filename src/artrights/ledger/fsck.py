"""The whole-log checker behind ``artrights log verify``: recompute everything the log stores and signed.

Like tessera's ``fsck``: every leaf hash from its entry, every stored subtree hash, the head's root and edge, every
checkpoint's signature, root and consistency with the one before, every witness cosignature and every checkpoint's
RFC 3161 token. It stops at the first problem and names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from artrights.proofs.merkle import CompactRange, ProofError, consistency_proof, leaf_hash, verify_consistency
from artrights.proofs.note import Ed25519Verifier, NoteError, Verifier, new_verifier, open_checkpoint
from artrights.timestamps import services as timestamps

from . import keys
from .models import Checkpoint, Cosignature, LogEntry, LogHash, LogHead, _bytes
from .selectors import current_head
from .storage import DatabaseHashReader


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
    roots = _check_entries(report, head, wanted_roots={c.size for c in checkpoints})
    if roots is not None:
        _check_checkpoints(report, checkpoints, roots)
    return report


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
                report.problems.append(problem)
                return None
            expected.extend(tree.append(leaf_hash(data)))
            if tree.size in wanted_roots:
                roots[tree.size] = tree.root()
        problem = _check_stored(expected, reader)
        if problem:
            report.problems.append(problem)
            return None
        report.entries = tree.size
    problem = _check_log_state(report, head, tree)
    if problem:
        report.problems.append(problem)
        return None
    return roots


def _check_entry(index: int, stored_leaf: bytes, data: bytes, tree: CompactRange) -> str | None:
    if index != tree.size:
        return _("第 %(index)d 条记录缺失。") % {"index": tree.size}
    if stored_leaf != leaf_hash(data):
        return _("第 %(index)d 条记录的叶哈希与其内容不符。") % {"index": index}
    return None


def _check_log_state(report: LogReport, head: LogHead, tree: CompactRange) -> str | None:
    """No entry missing or beyond the head, no extra hash, and the head's root and edge as recomputed."""
    if tree.size != head.size:
        return _("第 %(index)d 条记录缺失。") % {"index": tree.size}
    extra_entries = LogEntry.objects.filter(index__gte=head.size).order_by("index").first()
    if extra_entries is not None:
        return _("第 %(index)d 条记录超出账本大小 %(size)d。") % {"index": extra_entries.index, "size": head.size}
    # Every expected hash was found above; an equal count means there is no extra (forged) one either.
    want_hashes = 2 * head.size - head.size.bit_count()
    report.hashes = LogHash.objects.count()
    if report.hashes != want_hashes:
        return _("子树哈希数量为 %(have)d，应为 %(want)d。") % {"have": report.hashes, "want": want_hashes}
    if _bytes(head.root_hash) != tree.root() or b"".join(tree.edge) != _bytes(head.edge):
        return _("账本状态（根哈希或右边界）与记录重算的结果不符。")
    return None


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
        ) or _check_checkpoint_token(checkpoint)
        if problem:
            report.problems.append(problem)
            return
        if checkpoint.timestamp_token:
            report.timestamps += 1
        report.cosignatures += counts.get(checkpoint.id, 0)
        report.checkpoints += 1
        previous = checkpoint
    if checkpoints:
        report.latest_size = checkpoints[-1].size


def _check_checkpoint_token(checkpoint: Checkpoint) -> str | None:
    """The checkpoint's RFC 3161 token, if it has one, must be a valid token over its note text."""
    if not checkpoint.timestamp_token:
        return None
    try:
        timestamps.check_token(bytes(checkpoint.timestamp_token), checkpoint.note.encode())
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
