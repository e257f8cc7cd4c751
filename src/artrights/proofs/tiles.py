"""C2SP tlog-tiles: tile paths, tile contents, entry bundles and a tile-backed HashReader.

A tile at tile-level ``L`` and index ``N`` holds up to 256 consecutive hashes of
Merkle level ``8 * L`` starting at hash index ``256 * N``. Levels in between are
recomputed from the tile, which is why a client holding tiles can produce any
proof without the log's help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .merkle import HASH_SIZE, HashNotFoundError, HashReader, NodeID, leaf_hash, node_hash

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256 hashes, 8,192 bytes when full
MAX_TILE_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF


class TileError(ValueError):
    pass


def encode_index(n: int) -> str:
    """``1234067`` -> ``x001/x234/067``: 3-digit groups, all but the last prefixed with ``x``."""
    if n < 0:
        raise TileError(f"negative tile index {n}")
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join([*("x" + g for g in groups[:-1]), groups[-1]])


@dataclass(frozen=True, order=True)
class Tile:
    """A hash tile (``level >= 0``) or, with ``level == -1``, an entry bundle."""

    level: int
    index: int
    width: int = TILE_WIDTH

    ENTRIES = -1

    def __post_init__(self) -> None:
        if not (self.level == self.ENTRIES or 0 <= self.level <= MAX_TILE_LEVEL):
            raise TileError(f"tile level {self.level} out of range")
        if self.index < 0:
            raise TileError(f"negative tile index {self.index}")
        if not 1 <= self.width <= TILE_WIDTH:
            raise TileError(f"tile width {self.width} out of range 1..256")

    @property
    def is_partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def is_entries(self) -> bool:
        return self.level == self.ENTRIES

    def path(self) -> str:
        head = "tile/entries" if self.is_entries else f"tile/{self.level}"
        tail = f".p/{self.width}" if self.is_partial else ""
        return f"{head}/{encode_index(self.index)}{tail}"

    def hash_level(self) -> int:
        """Merkle level of the hashes in this tile (0 for entry bundles)."""
        return 0 if self.is_entries else self.level * TILE_HEIGHT

    def first_hash_index(self) -> int:
        return self.index * TILE_WIDTH


_PATH_RE = re.compile(
    r"tile/(?P<level>entries|0|[1-9][0-9]?)/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})(?:\.p/(?P<width>[1-9][0-9]{0,2}))?"
)


def parse_tile_path(path: str) -> Tile:
    """Strict inverse of :meth:`Tile.path` (no leading zeroes, no redundant groups)."""
    m = _PATH_RE.fullmatch(path)
    if not m:
        raise TileError(f"malformed tile path {path!r}")
    groups = m["index"].replace("x", "").split("/")
    if len(groups) > 1 and groups[0] == "000":
        raise TileError(f"tile path {path!r} has a redundant leading index group")
    index = int("".join(groups))
    width = int(m["width"]) if m["width"] else TILE_WIDTH
    if m["width"] and width >= TILE_WIDTH:
        raise TileError(f"partial tile width {width} must be below 256")
    level = Tile.ENTRIES if m["level"] == "entries" else int(m["level"])
    return Tile(level, index, width)


def tiles_for_size(size: int) -> Iterator[Tile]:
    """Every hash tile (full and the partial rightmost ones) of a tree of ``size``."""
    level = 0
    while True:
        n = size >> (TILE_HEIGHT * level)  # hashes at Merkle level 8 * level
        if n == 0:
            return
        for i in range(n // TILE_WIDTH):
            yield Tile(level, i)
        if n % TILE_WIDTH:
            yield Tile(level, n // TILE_WIDTH, n % TILE_WIDTH)
        level += 1


def new_tiles(old_size: int, new_size: int) -> list[Tile]:
    """Hash tiles a log must publish when growing from ``old_size`` to ``new_size``.

    Includes full tiles completed by the growth and the new partial tiles; tiles
    that already existed unchanged at ``old_size`` are left out.
    """
    if not 0 <= old_size <= new_size:
        raise TileError(f"cannot grow from {old_size} to {new_size}")
    out: list[Tile] = []
    level = 0
    while True:
        old_n = old_size >> (TILE_HEIGHT * level)
        new_n = new_size >> (TILE_HEIGHT * level)
        if new_n == 0:
            return out
        for i in range(old_n // TILE_WIDTH, new_n // TILE_WIDTH):
            out.append(Tile(level, i))
        if new_n % TILE_WIDTH and new_n != old_n:
            out.append(Tile(level, new_n // TILE_WIDTH, new_n % TILE_WIDTH))
        level += 1


def entry_bundles_for_size(size: int) -> Iterator[Tile]:
    for t in tiles_for_size(size):
        if t.level != 0:
            return
        yield Tile(Tile.ENTRIES, t.index, t.width)


def tile_for_size(level: int, index: int, size: int) -> Tile:
    """The (possibly partial) tile ``(level, index)`` as it exists in a tree of ``size``."""
    n = size >> (TILE_HEIGHT * level)
    width = min(TILE_WIDTH, n - index * TILE_WIDTH)
    if width <= 0:
        raise TileError(f"tile {level}/{index} does not exist in a tree of size {size}")
    return Tile(level, index, width)


def read_tile_data(tile: Tile, reader: HashReader) -> bytes:
    """Tile contents (concatenated hashes) from stored hashes; the log side of tlog-tiles."""
    if tile.is_entries:
        raise TileError("entry bundles are not built from hashes")
    lvl, first = tile.hash_level(), tile.first_hash_index()
    hashes = reader.read_hashes([(lvl, first + i) for i in range(tile.width)])
    return b"".join(hashes)


def _perfect_root(hashes: Sequence[bytes]) -> bytes:
    level = list(hashes)
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


class TileHashReader:
    """:class:`HashReader` over tiles of a tree of fixed ``size``.

    ``fetch`` returns the bytes of a tile (e.g. an HTTP GET or a file read). Tiles
    are not trusted here: a wrong tile yields a proof that fails verification
    against the signed checkpoint, which is the check that matters.
    """

    def __init__(self, size: int, fetch: Callable[[Tile], bytes]) -> None:
        self._size = size
        self._fetch = fetch
        self._cache: dict[Tile, bytes] = {}

    def _tile_data(self, tile: Tile) -> bytes:
        data = self._cache.get(tile)
        if data is None:
            data = self._fetch(tile)
            if len(data) != tile.width * HASH_SIZE:
                raise TileError(f"tile {tile.path()} has {len(data)} bytes, want {tile.width * HASH_SIZE}")
            self._cache[tile] = data
        return data

    def read_hashes(self, ids: Sequence[NodeID]) -> list[bytes]:
        out: list[bytes] = []
        for level, index in ids:
            tile_level, sub = divmod(level, TILE_HEIGHT)
            first = index << sub  # first hash index at the tile's base level
            count = 1 << sub
            # The node must be complete within this tree size.
            if (index + 1) << level > self._size:
                raise HashNotFoundError(f"node ({level}, {index}) is not complete at tree size {self._size}")
            tile = tile_for_size(tile_level, first // TILE_WIDTH, self._size)
            off = first % TILE_WIDTH
            data = self._tile_data(tile)
            hashes = [data[(off + i) * HASH_SIZE : (off + i + 1) * HASH_SIZE] for i in range(count)]
            out.append(_perfect_root(hashes))
        return out


# --- entry bundles -------------------------------------------------------------------


def encode_entry_bundle(entries: Sequence[bytes]) -> bytes:
    """Big-endian uint16 length-prefixed entries, concatenated."""
    if not 1 <= len(entries) <= TILE_WIDTH:
        raise TileError(f"an entry bundle holds 1..256 entries, got {len(entries)}")
    out = bytearray()
    for e in entries:
        if len(e) > MAX_ENTRY_SIZE:
            raise TileError(f"entry of {len(e)} bytes does not fit a uint16 length prefix")
        out += len(e).to_bytes(2, "big") + e
    return bytes(out)


def decode_entry_bundle(data: bytes, width: int | None = None) -> list[bytes]:
    """Split a bundle; with ``width`` given, the count must match exactly."""
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise TileError("entry bundle ends inside a length prefix")
        n = int.from_bytes(data[pos : pos + 2], "big")
        pos += 2
        if pos + n > len(data):
            raise TileError("entry bundle ends inside an entry")
        entries.append(bytes(data[pos : pos + n]))
        pos += n
    if width is not None and len(entries) != width:
        raise TileError(f"entry bundle has {len(entries)} entries, want {width}")
    return entries


def check_entry_bundle(entries: Sequence[bytes], level0_tile: bytes) -> None:
    """Raise unless the bundle's entries hash to the matching level-0 tile."""
    if len(level0_tile) != len(entries) * HASH_SIZE:
        raise TileError(f"{len(entries)} entries but a tile of {len(level0_tile) // HASH_SIZE} hashes")
    for i, e in enumerate(entries):
        if leaf_hash(e) != level0_tile[i * HASH_SIZE : (i + 1) * HASH_SIZE]:
            raise TileError(f"entry {i} of the bundle does not match its leaf hash in the tile")
