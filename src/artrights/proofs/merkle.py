"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and an incremental appender.

Everything here is pure Python over ``bytes``; storage is reached only through
the :class:`HashReader` protocol, so the same code serves an in-memory tree, a
database table of stored hashes, or static tlog-tiles fetched by a client.

Hash addressing: ``(level, index)`` names the root of the *full* subtree that
covers leaves ``[index * 2**level, (index + 1) * 2**level)``. Such a node never
changes once the tree has grown past it, which is what makes it storable. This
is the same addressing that tlog-tiles uses (a tile at tile-level ``L`` holds the
level ``8 * L`` hashes).

Subtree proofs (``[start, end)`` with ``start`` a multiple of
``bit_ceil(end - start)``) follow draft-ietf-plants-merkle-tree-certs, "Subtrees",
as implemented by transparency-dev/merkle; for ``start == 0`` they are exactly
the RFC 9162 proofs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
# Tree sizes and indices are uint64 on the wire everywhere (checkpoints, Go
# verifiers); accepting larger Python ints would let two parsers disagree.
MAX_UINT64 = (1 << 64) - 1

_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A proof, hash or tree size failed verification; the message names the check."""


class HashNotFoundError(LookupError):
    """A :class:`HashReader` does not hold a requested ``(level, index)`` hash."""


class StoredHash(NamedTuple):
    """A newly completed full subtree to persist, addressed like every stored hash."""

    level: int
    # Shadows tuple.index deliberately: (level, index) is the addressing used throughout.
    index: int  # type: ignore[assignment]
    hash: bytes


NodeID = tuple[int, int]


@runtime_checkable
class HashReader(Protocol):
    """Source of stored full-subtree hashes, addressed by ``(level, index)``.

    Implementations return the hashes in the order requested and raise
    :class:`HashNotFoundError` for any node they do not hold. Requests are
    batched so a database-backed reader can answer a whole proof in one query.
    """

    def read_hashes(self, ids: Sequence[NodeID]) -> Sequence[bytes]: ...


def leaf_hash(data: bytes) -> bytes:
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(NODE_PREFIX + left + right).digest()


def _check_uint64(name: str, value: int) -> None:
    if not 0 <= value <= MAX_UINT64:
        raise ProofError(f"{name} {value} is not a uint64")


def _check_hash(name: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{name} has length {len(value)}, want {HASH_SIZE}")


def _check_proof_hashes(proof: Sequence[bytes]) -> None:
    for i, h in enumerate(proof):
        if len(h) != HASH_SIZE:
            raise ProofError(f"proof element {i} has length {len(h)}, want {HASH_SIZE}")


def _largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k, for n >= 2 (the RFC 6962 split point)."""
    return 1 << ((n - 1).bit_length() - 1)


def bit_ceil(n: int) -> int:
    """Smallest power of two >= n."""
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH over the given leaf hashes (RFC 9162 §2.1.1), in O(n) hashing."""
    if not hashes:
        return EMPTY_ROOT
    # Fold into the same right edge the appender keeps, then combine the edge.
    edge: list[bytes] = []
    for i, h in enumerate(hashes):
        n = i
        while n & 1:
            h = node_hash(edge.pop(), h)
            n >>= 1
        edge.append(h)
    return _fold_edge(edge)


def _fold_edge(edge: Sequence[bytes]) -> bytes:
    """Combine full-subtree roots (largest first) into the tree root."""
    if not edge:
        return EMPTY_ROOT
    root = edge[-1]
    for h in reversed(edge[:-1]):
        root = node_hash(h, root)
    return root


def covering_nodes(start: int, end: int) -> list[NodeID]:
    """The maximal full subtrees that exactly cover leaves ``[start, end)``, left to right.

    For a valid subtree range (and so for every range a proof needs) folding their
    hashes right-to-left with :func:`node_hash` yields ``MTH(D[start:end])``.
    """
    ids: list[NodeID] = []
    while start < end:
        # Largest aligned block starting at `start` that still fits.
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while start + (1 << level) > end:
            level -= 1
        ids.append((level, start >> level))
        start += 1 << level
    return ids


def check_subtree(start: int, end: int) -> None:
    """Raise unless ``[start, end)`` is a non-empty, aligned subtree."""
    _check_uint64("subtree start", start)
    _check_uint64("subtree end", end)
    if start >= end:
        raise ProofError(f"subtree invalid: start {start} must be less than end {end}")
    if start and start % bit_ceil(end - start):
        ceil = bit_ceil(end - start)
        raise ProofError(f"subtree invalid: start {start} is not a multiple of bit_ceil(end - start) = {ceil}")


# --- verification -----------------------------------------------------------------


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1-4)."""
    _check_uint64("index", index)
    _check_uint64("tree size", size)
    if index >= size:
        raise ProofError(f"index {index} is beyond tree size {size}")
    _check_hash("leaf hash", leaf)
    _check_proof_hashes(proof)
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof has too many hashes ({len(proof)})")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof has too few hashes ({len(proof)})")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise :class:`ProofError` unless ``leaf`` is at ``index`` in the tree ``(size, root)``."""
    calculated = root_from_inclusion_proof(index, size, leaf, proof)
    if calculated != root:
        raise ProofError(f"inclusion proof root mismatch: calculated {calculated.hex()}, expected {root.hex()}")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Raise unless ``(size1, root1)`` is a prefix of ``(size2, root2)`` (RFC 9162 §2.1.4.2).

    Like transparency-dev/merkle, equal sizes need an empty proof and equal roots,
    and a proof from the empty tree is rejected as meaningless: any tree extends
    it, so accepting one would only hide a caller's mistake.
    """
    _check_uint64("size1", size1)
    _check_uint64("size2", size2)
    if size2 < size1:
        raise ProofError(f"size2 ({size2}) < size1 ({size1})")
    if size1 == 0:
        raise ProofError("consistency proof from an empty tree is meaningless")
    if size1 == size2:
        if proof:
            raise ProofError("size1 == size2 but the consistency proof is not empty")
        if root1 != root2:
            raise ProofError("size1 == size2 but the roots differ")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    _check_proof_hashes(proof)
    _check_hash("root1", root1)
    fr, sr = _roots_from_consistency_proof(size1, size2, proof, root1)
    if fr != root1:
        raise ProofError(f"consistency proof root1 mismatch: calculated {fr.hex()}, expected {root1.hex()}")
    if sr != root2:
        raise ProofError(f"consistency proof root2 mismatch: calculated {sr.hex()}, expected {root2.hex()}")


def _roots_from_consistency_proof(size1: int, size2: int, proof: Sequence[bytes], root1: bytes) -> tuple[bytes, bytes]:
    """The (old, new) roots a consistency proof leads to, for ``0 < size1 < size2`` (RFC 9162 §2.1.4.2)."""
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof has too many hashes ({len(proof)})")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"consistency proof has too few hashes ({len(proof)})")
    return fr, sr


def verify_subtree_inclusion(
    index: int, start: int, end: int, leaf: bytes, proof: Sequence[bytes], subtree_root: bytes
) -> None:
    """Raise unless ``leaf`` is at ``index`` in the subtree ``[start, end)`` with ``subtree_root``."""
    check_subtree(start, end)
    if not start <= index < end:
        raise ProofError(f"index {index} out of bounds for subtree [{start}, {end})")
    calculated = root_from_inclusion_proof(index - start, end - start, leaf, proof)
    if calculated != subtree_root:
        raise ProofError(
            f"subtree inclusion root mismatch: calculated {calculated.hex()}, expected {subtree_root.hex()}"
        )


def root_from_subtree_consistency_proof(
    start: int, end: int, size: int, proof: Sequence[bytes], subtree_root: bytes
) -> bytes:
    """Root of the tree of ``size`` implied by a subtree consistency proof.

    Also checks that the proof hashes back to ``subtree_root``.
    """
    check_subtree(start, end)
    _check_uint64("tree size", size)
    if size < end:
        raise ProofError(f"tree size ({size}) < subtree end ({end})")
    if start == 0 and end == size:
        if proof:
            raise ProofError("subtree is the whole tree but the proof is not empty")
        return subtree_root
    if not proof:
        raise ProofError("subtree consistency proof is empty")
    _check_proof_hashes(proof)

    height = ((end - 1) ^ start).bit_length()  # height of the subtree's node
    if end == size:
        # The subtree root is on the right border; only left siblings remain.
        want = (start >> height).bit_count()
        if len(proof) != want:
            raise ProofError(f"subtree consistency proof has {len(proof)} hashes, want {want}")
        r = subtree_root
        for p in proof:
            r = node_hash(p, r)
        return r

    fork = ((end - 1) ^ (size - 1)).bit_length()  # where paths to end-1 and size-1 split
    shift = ((end - start) & -(end - start)).bit_length() - 1  # rightmost full subtree inside
    if end - start == 1 << shift:
        seed, rest = subtree_root, list(proof)  # a full subtree is its own seed
    else:
        seed, rest = proof[0], list(proof[1:])
    want = (len(proof) - len(rest)) + (fork - shift) + ((end - 1) >> fork).bit_count()
    if len(proof) != want:
        raise ProofError(f"subtree consistency proof has {len(proof)} hashes, want {want}")

    # Rebuild the subtree both as it was at `end` (to check against subtree_root)
    # and grown to `size` (to continue to the root).
    old, grown, i = seed, seed, 0
    for lvl in range(shift, height):
        if ((end - 1) >> lvl) & 1:
            old = node_hash(rest[i], old)
            grown = node_hash(rest[i], grown)
            i += 1
        elif lvl < fork:
            grown = node_hash(grown, rest[i])
            i += 1
    if old != subtree_root:
        raise ProofError(
            f"subtree consistency proof does not match the subtree root: calculated {old.hex()}, "
            f"expected {subtree_root.hex()}"
        )
    # What is left is an inclusion proof of the grown node, one level `height` up.
    return root_from_inclusion_proof(start >> height, ((size - 1) >> height) + 1, grown, rest[i:])


def verify_subtree_consistency(
    start: int, end: int, size: int, proof: Sequence[bytes], subtree_root: bytes, root: bytes
) -> None:
    """Raise unless subtree ``[start, end)`` with ``subtree_root`` is part of the tree ``(size, root)``.

    An empty subtree ``[n, n)`` is trivially part of every tree of size >= n, so,
    as in transparency-dev/merkle's vectors, it is accepted with an empty proof when
    its hash is the empty-tree hash, whatever ``root`` is.
    """
    if start == end:
        _check_uint64("subtree start", start)
        _check_uint64("tree size", size)
        if size < end:
            raise ProofError(f"tree size ({size}) < subtree end ({end})")
        if proof:
            raise ProofError("subtree is empty but the proof is not empty")
        if subtree_root != EMPTY_ROOT:
            raise ProofError("subtree is empty but its hash is not the empty-tree hash")
        return
    calculated = root_from_subtree_consistency_proof(start, end, size, proof, subtree_root)
    if calculated != root:
        raise ProofError(f"subtree consistency root mismatch: calculated {calculated.hex()}, expected {root.hex()}")


# --- proof generation from stored hashes ------------------------------------------

Range = tuple[int, int]


def _inclusion_ranges(index: int, lo: int, hi: int) -> list[Range]:
    """PATH(index, D[lo:hi]) as leaf ranges, leaf sibling first (RFC 9162 §2.1.3.1)."""
    out: list[Range] = []
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()
    return out


def _subtree_consistency_ranges(start: int, end: int, lo: int, hi: int) -> list[Range]:
    """SUBTREE_PROOF(start, end, D[lo:hi]); with start == lo it is RFC 9162 PROOF (§2.1.4.1)."""
    out: list[Range] = []
    known = True
    while not (start == lo and end == hi):
        k = _largest_power_of_two_below(hi - lo)
        mid = lo + k
        if end <= mid:
            out.append((mid, hi))
            hi = mid
        elif start >= mid:
            out.append((lo, mid))
            lo = mid
        else:
            # The subtree straddles the split, so start == lo: its left part is
            # D[lo:mid], which the verifier cannot rebuild alone.
            out.append((lo, mid))
            lo = start = mid
            known = False
    if not known:
        out.append((lo, hi))
    out.reverse()
    return out


def _hashes_for_ranges(ranges: Sequence[Range], reader: HashReader) -> list[bytes]:
    """MTH of each range, reading all needed stored hashes in one batch."""
    plans = [covering_nodes(a, b) for a, b in ranges]
    flat = [node for plan in plans for node in plan]
    hashes = list(reader.read_hashes(flat)) if flat else []
    if len(hashes) != len(flat):
        raise HashNotFoundError(f"hash reader returned {len(hashes)} hashes for {len(flat)} ids")
    out: list[bytes] = []
    pos = 0
    for plan in plans:
        out.append(_fold_edge(hashes[pos : pos + len(plan)]))
        pos += len(plan)
    return out


def tree_hash(size: int, reader: HashReader) -> bytes:
    """Root hash of the tree of ``size`` from stored hashes."""
    _check_uint64("tree size", size)
    if size == 0:
        return EMPTY_ROOT
    return _hashes_for_ranges([(0, size)], reader)[0]


def subtree_hash(start: int, end: int, reader: HashReader) -> bytes:
    """MTH(D[start:end]) of a valid subtree from stored hashes."""
    check_subtree(start, end)
    return _hashes_for_ranges([(start, end)], reader)[0]


def inclusion_proof(index: int, size: int, reader: HashReader) -> list[bytes]:
    _check_uint64("tree size", size)
    if not 0 <= index < size:
        raise ProofError(f"index {index} is beyond tree size {size}")
    return _hashes_for_ranges(_inclusion_ranges(index, 0, size), reader)


def consistency_proof(size1: int, size2: int, reader: HashReader) -> list[bytes]:
    _check_uint64("size2", size2)
    if not 0 < size1 <= size2:
        raise ProofError(f"consistency proof needs 0 < size1 <= size2, got {size1}, {size2}")
    return _hashes_for_ranges(_subtree_consistency_ranges(0, size1, 0, size2), reader)


def subtree_inclusion_proof(index: int, start: int, end: int, reader: HashReader) -> list[bytes]:
    check_subtree(start, end)
    if not start <= index < end:
        raise ProofError(f"index {index} out of bounds for subtree [{start}, {end})")
    return _hashes_for_ranges(_inclusion_ranges(index, start, end), reader)


def subtree_consistency_proof(start: int, end: int, size: int, reader: HashReader) -> list[bytes]:
    check_subtree(start, end)
    _check_uint64("tree size", size)
    if size < end:
        raise ProofError(f"tree size ({size}) < subtree end ({end})")
    return _hashes_for_ranges(_subtree_consistency_ranges(start, end, 0, size), reader)


# --- storage and appending ---------------------------------------------------------


class MemoryHashStore:
    """In-memory :class:`HashReader`: one contiguous ``bytearray`` per level.

    32 bytes per stored hash and no per-hash Python objects, so ten million
    leaves cost about 640 MB in total across all levels.
    """

    def __init__(self) -> None:
        self._levels: list[bytearray] = []

    @classmethod
    def from_leaf_hashes(cls, level0: bytes | bytearray) -> MemoryHashStore:
        """Build every level from concatenated leaf hashes in one pass per level."""
        if len(level0) % HASH_SIZE:
            raise ValueError("leaf hash buffer is not a multiple of 32 bytes")
        store = cls()
        cur = bytearray(level0)
        pair = 2 * HASH_SIZE
        while cur:
            store._levels.append(cur)
            view = memoryview(cur)
            end = (len(cur) // pair) * pair
            # A comprehension plus one join is several times faster than growing a buffer.
            cur = bytearray(
                b"".join([_sha256(NODE_PREFIX + view[off : off + pair]).digest() for off in range(0, end, pair)])
            )
            view.release()
        return store

    def count(self, level: int) -> int:
        return len(self._levels[level]) // HASH_SIZE if level < len(self._levels) else 0

    def read_hashes(self, ids: Sequence[NodeID]) -> list[bytes]:
        out: list[bytes] = []
        levels = self._levels
        for level, index in ids:
            if level >= len(levels) or index < 0:
                raise HashNotFoundError(f"no stored hash at level {level}, index {index}")
            buf = levels[level]
            off = index * HASH_SIZE
            if off + HASH_SIZE > len(buf):
                raise HashNotFoundError(f"no stored hash at level {level}, index {index}")
            out.append(bytes(buf[off : off + HASH_SIZE]))
        return out

    def write_hashes(self, hashes: Iterable[StoredHash]) -> None:
        """Store new hashes; stored hashes are immutable, so a differing rewrite is an error."""
        for level, index, h in hashes:
            _check_hash("stored hash", h)
            while len(self._levels) <= level:
                self._levels.append(bytearray())
            buf = self._levels[level]
            n = len(buf) // HASH_SIZE
            if index == n:
                buf += h
            elif index < n:
                if buf[index * HASH_SIZE : (index + 1) * HASH_SIZE] != h:
                    raise ValueError(f"refusing to overwrite stored hash at level {level}, index {index}")
            else:
                raise ValueError(f"gap in level {level}: writing index {index} with only {n} stored")


@dataclass(frozen=True)
class AppendResult:
    size: int
    root: bytes
    stored: list[StoredHash]


class CompactRange:
    """The right edge of a growing tree: enough to append leaves and compute the root.

    Holds one hash per set bit of ``size`` (the full subtrees covering ``[0, size)``,
    largest first). Appending touches only O(log n) hashes and reports every newly
    completed full subtree, which is exactly the set of hashes a log must persist.
    """

    def __init__(self, size: int = 0, edge: Sequence[bytes] = ()) -> None:
        _check_uint64("tree size", size)
        if len(edge) != size.bit_count():
            raise ValueError(f"a tree of size {size} needs {size.bit_count()} edge hashes, got {len(edge)}")
        for h in edge:
            _check_hash("edge hash", h)
        self._size = size
        self._edge = list(edge)

    @classmethod
    def from_reader(cls, size: int, reader: HashReader) -> CompactRange:
        """Resume appending to a stored tree of ``size`` leaves."""
        ids = covering_nodes(0, size)
        return cls(size, list(reader.read_hashes(ids)) if ids else [])

    @property
    def size(self) -> int:
        return self._size

    @property
    def edge(self) -> list[bytes]:
        """The right-edge hashes (largest subtree first): what a log persists to resume appending."""
        return list(self._edge)

    def root(self) -> bytes:
        return _fold_edge(self._edge)

    def append(self, leaf: bytes) -> list[StoredHash]:
        """Append one leaf hash; return the stored hashes it completes (leaf first)."""
        _check_hash("leaf hash", leaf)
        index = self._size
        if index == MAX_UINT64:
            raise ValueError("tree is full")
        stored = [StoredHash(0, index, leaf)]
        h, level, n = leaf, 0, index
        edge = self._edge
        while n & 1:
            h = node_hash(edge.pop(), h)
            n >>= 1
            level += 1
            stored.append(StoredHash(level, n, h))
        edge.append(h)
        self._size = index + 1
        return stored

    def append_many(self, leaves: Iterable[bytes]) -> AppendResult:
        stored: list[StoredHash] = []
        for leaf in leaves:
            stored.extend(self.append(leaf))
        return AppendResult(self._size, self.root(), stored)
