"""Reads for the log: head, checkpoints, entries and the bytes of tlog-tiles."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, overload

from django.utils.translation import gettext as _

from artrights.proofs.merkle import HASH_SIZE
from artrights.proofs.statements import StatementType, check_audit_anchor
from artrights.proofs.tiles import TILE_WIDTH, Tile, TileError, encode_entry_bundle, tile_for_size

from .models import HEAD_ID, Checkpoint, LogEntry, LogHead, _bytes
from .storage import DatabaseHashReader


def current_head() -> LogHead:
    """The committed head (an unsaved empty head before the first append); does not lock."""
    return LogHead.objects.filter(pk=HEAD_ID).first() or LogHead(id=HEAD_ID)


def latest_checkpoint() -> Checkpoint | None:
    """The most recently signed checkpoint, or None before the first one."""
    return Checkpoint.objects.order_by("-id").first()


def audit_anchor_of(entry: LogEntry) -> tuple[int, str]:
    """The ``(count, head)`` an audit anchor entry pins (ValueError if the entry is not a sound anchor)."""
    return check_audit_anchor(json.loads(_bytes(entry.data)))


def latest_audit_anchor() -> tuple[LogEntry, int, str] | None:
    """The newest audit anchor in the log, with the ``(count, head)`` it pins."""
    entry = LogEntry.objects.filter(kind=StatementType.AUDIT_ANCHOR).order_by("-index").first()
    if entry is None:
        return None
    return (entry, *audit_anchor_of(entry))


def cosigning_witnesses(checkpoint: Checkpoint) -> list[str]:
    """Names of the witnesses whose cosignatures the log accepted on ``checkpoint``, in the order received."""
    return list(checkpoint.cosignatures.order_by("id").values_list("witness__name", flat=True))


class NewestEntries(Sequence[LogEntry]):
    """The committed entries, newest first, for a paginator: a page is an index range, not an OFFSET scan, so
    the last page of a log of millions costs what the first does."""

    def __init__(self) -> None:
        self.size = current_head().size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, key: int) -> LogEntry: ...
    @overload
    def __getitem__(self, key: slice) -> list[LogEntry]: ...
    def __getitem__(self, key: int | slice) -> LogEntry | list[LogEntry]:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop, _step = key.indices(self.size)
        # Position p (newest first) is the entry with index size-1-p.
        top, bottom = self.size - start, self.size - stop
        return list(LogEntry.objects.filter(index__gte=bottom, index__lt=top).order_by("-index"))


def get_entry(index: int) -> LogEntry | None:
    return LogEntry.objects.filter(index=index).first()


def statement_at(index: int) -> dict[str, Any]:
    """The statement of entry ``index`` exactly as logged (the leaf data is its canonical JSON)."""
    value = json.loads(_bytes(LogEntry.objects.get(index=index).data))
    if not isinstance(value, dict):
        raise ValueError(f"log entry {index} is not a JSON object")
    return value


def published_size() -> int:
    """Size of the latest checkpoint: tiles beyond it are not served, since nothing signed covers them yet."""
    checkpoint = latest_checkpoint()
    return checkpoint.size if checkpoint is not None else 0


def _check_tile_exists(tile: Tile, size: int) -> None:
    try:
        available = tile_for_size(max(tile.level, 0), tile.index, size)
    except TileError:
        raise TileError(_("该瓦片在已发布的检查点中不存在。")) from None
    # A partial tile of any width up to what exists is a valid, immutable prefix; a full tile needs 256.
    if tile.width > available.width:
        raise TileError(_("该瓦片在已发布的检查点中不存在。"))


def tile_data(tile: Tile) -> bytes:
    """Concatenated hashes of a hash tile within the latest checkpoint (C2SP tlog-tiles)."""
    _check_tile_exists(tile, published_size())
    hashes = DatabaseHashReader().read_range(tile.hash_level(), tile.first_hash_index(), tile.width)
    if len(hashes) != tile.width or any(len(h) != HASH_SIZE for h in hashes):
        raise TileError(_("瓦片数据不完整。"))
    return b"".join(hashes)


def entry_bundle(tile: Tile) -> bytes:
    """An entry bundle (uint16-length-prefixed leaf data) within the latest checkpoint."""
    _check_tile_exists(tile, published_size())
    start = tile.index * TILE_WIDTH
    rows = list(
        LogEntry.objects.filter(index__gte=start, index__lt=start + tile.width)
        .order_by("index")
        .values_list("data", flat=True)
    )
    if len(rows) != tile.width:
        raise TileError(_("瓦片数据不完整。"))
    return encode_entry_bundle([_bytes(d) for d in rows])
