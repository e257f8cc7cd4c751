"""Posting lists of the match index: the storage of its inverted multi-index (framework-free).

Every indexed keypoint of a reference is one posting in the list of its cell (one of 65,536):
the reference's number, the keypoint's 64-bit Hamming-embedding code, its position (1/65535
fractions of the image side), log-scale and angle, i.e. 18 bytes.  Postings live in two segments:

* **main** - compressed sparse rows by cell: ``off[c]:off[c + 1]`` are the rows of cell ``c`` in
  each field, so a probe reads one contiguous slice;
* **delta** - what was added since the last merge, kept unsorted until a search needs it, then
  sorted once into the same layout.  It is merged into the main segment when it grows past a
  fraction of it, so adding a reference does not re-sort the whole index.

Keypoints in stop cells are not indexed at all (:func:`stop_mask`): no search probes them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from artrights.matching.vocabulary import get_vocabulary

__all__ = ["N_CELLS", "Postings", "Segment", "stop_mask"]

N_CELLS = 256 * 256
_NO_ROWS = np.zeros(0, np.uint8)


class Segment(NamedTuple):
    """Postings sorted by cell: those of cell ``c`` are rows ``off[c]:off[c + 1]`` of the fields."""

    off: np.ndarray  # (N_CELLS + 1,) int64
    ref: np.ndarray  # (n,) uint32 reference number
    code: np.ndarray  # (n,) uint64 Hamming-embedding code
    xy: np.ndarray  # (n, 2) uint16 position, 1/65535 of the image side
    sa: np.ndarray  # (n, 2) uint8 log2(scale) * 32, angle / 360 * 256


class Postings:
    """The main and delta segments of an index's postings."""

    def __init__(self) -> None:
        # main segment: CSR by cell
        self.off = np.zeros(N_CELLS + 1, np.int64)
        self.ref = np.zeros(0, np.uint32)
        self.code = np.zeros(0, np.uint64)
        self.xy = np.zeros((0, 2), np.uint16)
        self.sa = np.zeros((0, 2), np.uint8)
        # delta segment, unsorted until needed
        self._dcell: list[np.ndarray] = []
        self._dref: list[np.ndarray] = []
        self._dcode: list[np.ndarray] = []
        self._dxy: list[np.ndarray] = []
        self._dsa: list[np.ndarray] = []
        self._delta: Segment | None = None
        self._delta_size = 0

    @classmethod
    def from_main(cls, off: np.ndarray, ref: np.ndarray, code: np.ndarray, xy: np.ndarray, sa: np.ndarray) -> Postings:
        """Postings whose main segment is given, already in cell order (as :meth:`main` returns it)."""
        postings = cls()
        postings.off, postings.ref, postings.code, postings.xy, postings.sa = off, ref, code, xy, sa
        return postings

    @classmethod
    def sorted_by_cell(
        cls, cell: np.ndarray, ref: np.ndarray, code: np.ndarray, xy: np.ndarray, sa: np.ndarray
    ) -> Postings:
        """Postings whose main segment holds the given postings, in any order (a stable sort by cell)."""
        order = _cell_order(cell)
        off = np.zeros(N_CELLS + 1, np.int64)
        np.cumsum(np.bincount(cell, minlength=N_CELLS), out=off[1:])
        return cls.from_main(off, ref[order], code[order], xy[order], sa[order])

    def nbytes(self) -> int:
        n = self.ref.nbytes + self.code.nbytes + self.xy.nbytes + self.sa.nbytes + self.off.nbytes
        n += sum(a.nbytes for lst in (self._dcell, self._dref, self._dcode, self._dxy, self._dsa) for a in lst)
        return n

    def main(self) -> Segment:
        return Segment(self.off, self.ref, self.code, self.xy, self.sa)

    def append(self, ref: int, cells: np.ndarray, codes: np.ndarray, xy: np.ndarray, size_angle: np.ndarray) -> None:
        """Add the postings of reference number ``ref`` to the delta segment."""
        n = len(cells)
        if n:
            self._dcell.append(cells.astype(np.int32))
            self._dref.append(np.full(n, ref, np.uint32))
            self._dcode.append(codes.astype(np.uint64))
            self._dxy.append(xy.astype(np.uint16))
            self._dsa.append(size_angle.astype(np.uint8))
            self._delta_size += n
            self._delta = None

    def maybe_merge(self) -> None:
        if self._delta_size > max(200_000, len(self.ref) // 8):
            self.merge()

    def merge(self) -> None:
        """Move the delta segment into the main one."""
        if not self._dcell:
            return
        # Only the delta is sorted.  Each main field grows in place (a large array is remapped, not
        # copied) and its postings move towards the end, last cells first, each run of cells that moves
        # by the same number of rows in one copy; the delta rows then fill the gaps.  Delta postings land
        # after the main postings of their cell, in the order they were added (what a stable sort of
        # main + delta would give).  A million references then need the index's size plus the delta
        # while merging, not a second copy of a field.
        dcell = np.concatenate(self._dcell)
        self._dcell = []
        dorder = np.argsort(dcell, kind="stable")
        dcell = dcell[dorder]
        n_main, n_delta = len(self.ref), len(dcell)
        old_off = self.off
        # the delta postings in the cells before each cell: how far that cell's main postings move
        before = np.zeros(N_CELLS + 1, np.int64)
        np.cumsum(np.bincount(dcell, minlength=N_CELLS), out=before[1:])
        dest = old_off[dcell + 1] + np.arange(n_delta)
        del dcell
        self.off = old_off + before  # a new array: a running search may hold the old one
        # runs of consecutive cells whose main postings move by the same number of rows, last run first
        starts = np.flatnonzero(np.diff(before[:N_CELLS], prepend=-1))
        runs = [
            (int(old_off[c0]), int(old_off[c1]), int(before[c0]))
            for c0, c1 in zip(starts[::-1], np.append(starts[1:], N_CELLS)[::-1], strict=True)
            if before[c0] and old_off[c1] > old_off[c0]
        ]
        for main, delta in (("ref", "_dref"), ("code", "_dcode"), ("xy", "_dxy"), ("sa", "_dsa")):
            part = np.concatenate(getattr(self, delta))[dorder]
            setattr(self, delta, [])
            field = _grown(self._take(main), n_main + n_delta)
            setattr(self, main, field)
            for first, end, shift in runs:
                # rows only move towards the end, so a run lands on rows already moved (or its own, which
                # numpy copies first when they overlap)
                field[first + shift : end + shift] = field[first:end]
            field[dest] = part
            del part, field
        self._delta, self._delta_size = None, 0
        return_freed_memory()

    def _take(self, name: str) -> np.ndarray:
        """The field ``name``, no longer held by self (so that :func:`_grown` can grow it in place)."""
        field: np.ndarray = getattr(self, name)
        setattr(self, name, _NO_ROWS)
        return field

    def segments(self) -> list[Segment]:
        """What a search probes: the main segment, and the delta sorted by cell if there is one."""
        segs = [self.main()]
        if self._dcell:
            if self._delta is None:
                cell = np.concatenate(self._dcell)
                order = np.argsort(cell, kind="stable")
                off = np.zeros(N_CELLS + 1, np.int64)
                np.cumsum(np.bincount(cell, minlength=N_CELLS), out=off[1:])
                self._delta = Segment(
                    off,
                    np.concatenate(self._dref)[order],
                    np.concatenate(self._dcode)[order],
                    np.concatenate(self._dxy)[order],
                    np.concatenate(self._dsa)[order],
                )
            segs.append(self._delta)
        return segs

    def cell_of_main(self) -> np.ndarray:
        """The cell of each posting of the main segment."""
        return np.repeat(np.arange(N_CELLS, dtype=np.int32), np.diff(self.off))

    def renumbered(self, remap: np.ndarray, cell: np.ndarray) -> Postings:
        """The main segment's postings of the references that ``remap`` keeps (old number -> new
        number, -1 for those dropped), renumbered.  ``cell`` is :meth:`cell_of_main`, which a
        caller splitting into several parts computes once.  Merge first: the delta is not read."""
        keep = (remap >= 0)[self.ref]  # a bool per reference looked up: 1 byte per posting, not 8
        return Postings.sorted_by_cell(
            cell[keep],
            remap[self.ref[keep]].astype(np.uint32),
            self.code[keep],
            self.xy[keep],
            self.sa[keep],
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The main segment under the names of the saved index format.  Merge first."""
        return {"off": self.off, "pref": self.ref, "pcode": self.code, "pxy": self.xy, "psa": self.sa}

    @classmethod
    def from_arrays(cls, z: Mapping[str, np.ndarray]) -> Postings:
        return cls.from_main(z["off"], z["pref"], z["pcode"], z["pxy"], z["psa"])


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the symbols the process already has
    except (OSError, AttributeError):
        return None
    return trim


def return_freed_memory() -> None:
    """Give the pages a merge freed back to the system.  Each added reference leaves a few small delta
    arrays on the C heap, and glibc keeps their pages after the merge frees them: a process that had
    loaded 200,000 references held 1.02 GB for a 0.70 GB index, 0.79 GB once trimmed."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _grown(field: np.ndarray, rows: int) -> np.ndarray:
    """``field`` with ``rows`` rows (the added rows are zeros), grown in place when the caller's reference
    is the only one left; otherwise (another array or a running search holds it) a grown copy."""
    shape = (rows, *field.shape[1:])
    if field.flags.owndata and field.flags.c_contiguous:
        # ndarray.resize refuses (ValueError) while anything but this argument holds the field
        try:
            field.resize(shape, refcheck=True)
            return field
        except ValueError:
            pass
    grown = np.zeros(shape, field.dtype)
    grown[: len(field)] = field
    return grown


def _cell_order(cell: np.ndarray) -> np.ndarray:
    """Stable order of postings by cell (32-bit positions while they fit: half the memory)."""
    order = np.argsort(cell, kind="stable")
    return order.astype(np.uint32) if len(order) < 2**32 else order


@lru_cache(maxsize=1)
def stop_mask() -> np.ndarray:
    """Which of the N_CELLS cells are the vocabulary's stop cells."""
    mask = np.zeros(N_CELLS, bool)
    mask[get_vocabulary().stop_cells] = True
    return mask
