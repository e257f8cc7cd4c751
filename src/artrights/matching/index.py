"""Searchable index of reference fingerprints (framework-free).

Search has three stages:

1. **candidates** (:mod:`~artrights.matching.candidates`) - every query keypoint probes the
   nearest cells of a 65,536-cell inverted multi-index; postings whose 64-bit Hamming-embedding
   code is close vote for their reference.  Global DCT hashes are compared exhaustively
   (32 bytes per reference) and add candidates.
2. **verification** (:mod:`~artrights.matching.verification`) - for the best-voted references,
   RANSAC fits a homography between matched keypoints; the inliers give the matched region in
   the query.
3. **calibrated score** (:mod:`~artrights.matching.scoring`) - a fixed logistic calibration of the
   agreeing keypoints (local evidence), of the hash distances (global evidence) and of the area of the
   match they explain.  With ``explain_away`` (on by default), candidates are scored strongest first
   and a candidate's inliers count only for the query keypoints that no stronger candidate explains:
   a work that shares only a frame, a background or a logo with the query rests on what is its own.
   A candidate whose inliers cover the inside of a stronger one's matched area is a registered copy
   of it (or its original), not a work sharing an element, and keeps its evidence: the report's
   priority rule needs both at full strength.  On three development sets from disjoint sources:
   µAP 0.966 -> 0.967, 0.945 -> 0.948, 0.983 -> 0.983; recall@P90 on the default set 0.938 -> 0.948
   (the exemption's constants were set from the priority tests, not from these sets).  The remaining
   inliers are weighed by document frequency: one that many references share (within
   :data:`SHARED_HAMMING` bits) counts less, so an element common to many works - however strong the
   candidate that explains it - does not make a copy.  Those are the places where other references
   matter; across shards, results merge by sorting, and shared elements are explained away and
   counted within each shard.

This module keeps the references (ids, sizes, hashes, embeddings) and their postings
(:mod:`~artrights.matching.postings`), and runs the stages.

Memory per reference: 18 bytes per indexed keypoint (ref number, 64-bit code, position, scale and
angle) + 32 bytes of hash + bookkeeping, i.e. about 3.6 KB at 200 keypoints.  Keypoints in stop
cells are not indexed at all: no search probes them.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from artrights.matching.candidates import Pairs, embedding_probabilities, gather, hash_distances, winning_pairs
from artrights.matching.fingerprint import Fingerprint
from artrights.matching.postings import Postings, return_freed_memory, stop_mask
from artrights.matching.scoring import (
    GLOBAL_MID,
    Match,
    combined_score,
    evidence,
    explained_cells,
    match_region,
    matched_areas,
    merge_results,
    picture_holding,
)
from artrights.matching.verification import RANSAC_SEED, verify

__all__ = ["Match", "MatchIndex", "merge_results"]

MAX_REF_KEYPOINTS = 512

# What local verification found for a reference: (inliers, homography or None, region hash distance,
# the query keypoints that are inliers).
Verified = tuple[int, np.ndarray | None, int, np.ndarray]
# Explaining away exempts a candidate whose inliers spread over this share of the inner part of a
# stronger candidate's matched area (a grid of DUPLICATE_GRID x DUPLICATE_GRID cells over it, the
# outer ring left out): the two references are copies of one another (the registered original and a
# later filing of its copy), and the report's priority rule needs both at full strength.  A shared
# frame, border or logo covers the ring or a corner of that area, not its inside.
DUPLICATE_COVER = 0.5
DUPLICATE_GRID = 8
# A query keypoint is shared by the references that hold a keypoint within this Hamming distance of it
# (of 64 bits): random codes come that close about 3 times in 100,000, so even at a million references
# (some 8,000 postings per probed cell) chance adds well under one reference, while a copied element
# comes within a few bits.  An inlier then counts 1 / (n - 1) for n > 2 such references: a registered
# copy and its original (n = 2) keep their full weight.
SHARED_HAMMING = 16


def _spans_the_same_work(xy: np.ndarray, stronger: np.ndarray, weaker: np.ndarray) -> bool:
    """Do the weaker candidate's inlier keypoints cover the inside of the stronger one's matched area?"""
    pts = xy[stronger]
    low, high = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(high - low, 1e-6)

    def inner_cells(idx: np.ndarray) -> set[tuple[int, int]]:
        cells = np.floor((xy[idx] - low) / span * DUPLICATE_GRID).astype(np.int64)
        inside = np.all((cells >= 1) & (cells <= DUPLICATE_GRID - 2), axis=1)
        return {(int(a), int(b)) for a, b in cells[inside]}

    theirs = inner_cells(stronger)
    return bool(theirs) and len(inner_cells(weaker) & theirs) >= DUPLICATE_COVER * len(theirs)


_NOT_VERIFIED: Verified = (0, None, 256, np.zeros(0, np.int64))


class MatchIndex:
    """In-memory index; ``add``/``remove`` are incremental (new postings go to a small sorted
    delta segment that is merged into the main one when it grows past a fraction of it)."""

    def __init__(self, *, max_keypoints_per_ref: int = MAX_REF_KEYPOINTS, explain_away: bool = True) -> None:
        # Fingerprints list keypoints strongest first, so keeping a prefix keeps the best ones;
        # this is the knob that trades recall for memory (16-18 bytes per keypoint).
        self.max_keypoints_per_ref = max_keypoints_per_ref
        # See the module docstring: shared frames, backgrounds and logos count for the strongest
        # candidate only; a registered copy and its original both keep theirs.
        self.explain_away = explain_away
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._alive = np.zeros(0, bool)
        self._wh = np.zeros((0, 2), np.float32)
        self._hashes = np.zeros((0, 4), np.uint64)
        self._emb: np.ndarray | None = None  # (cap, d) float16 learned-descriptor embeddings, if any
        self._n_dead = 0
        self._postings = Postings()
        self._grow(16)

    # ---------------------------------------------------------------- bookkeeping
    def _grow(self, need: int) -> None:
        if need <= len(self._alive) and len(self._alive) > 0:
            return
        cap = max(need, 2 * len(self._alive), 16)
        for name, shape, dt in (
            ("_alive", (cap,), bool),
            ("_wh", (cap, 2), np.float32),
            ("_hashes", (cap, 4), np.uint64),
        ):
            old = getattr(self, name)
            new = np.zeros(shape, dt)
            new[: len(old)] = old
            setattr(self, name, new)
        if self._emb is not None:
            emb = np.zeros((cap, self._emb.shape[1]), np.float16)
            emb[: len(self._emb)] = self._emb
            self._emb = emb

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._pos

    @property
    def ref_ids(self) -> list[str]:
        return list(self._pos)

    def size_of(self, ref_id: str) -> tuple[float, float]:
        """(width, height) of a reference's fingerprinted picture (the frame its homographies map from)."""
        w, h = self._wh[self._pos[ref_id]]
        return float(w), float(h)

    def memory_bytes(self) -> int:
        n = self._postings.nbytes()
        n += self._alive.nbytes + self._wh.nbytes + self._hashes.nbytes
        n += 0 if self._emb is None else self._emb.nbytes
        n += len(self._ids) * 120  # ids list + dict entries (approximate CPython overhead)
        return n

    # ---------------------------------------------------------------- add / remove
    def add(self, ref_id: str, fp: Fingerprint) -> None:
        """Add (or replace) a reference."""
        self._add(ref_id, fp)
        self._maybe_merge()

    def add_many(self, items: Iterable[tuple[str, Fingerprint]]) -> None:
        """Bulk add: one merge at the end instead of geometric intermediate merges."""
        for ref_id, fp in items:
            self._add(ref_id, fp)
        self._merge()

    def _add(self, ref_id: str, fp: Fingerprint) -> None:
        if fp.is_query:
            raise ValueError("add() takes reference fingerprints (extract(image, query=False))")
        cells, codes = fp.cells_and_codes(1)
        # Keypoints in stop cells are never probed, so they would only take memory: the budget of
        # max_keypoints_per_ref goes to the strongest keypoints that searches can reach.
        keep = np.flatnonzero(~stop_mask()[cells[:, 0]])[: self.max_keypoints_per_ref]
        wh = np.array([max(fp.width - 1, 1), max(fp.height - 1, 1)], np.float32)
        self.add_postings(
            ref_id,
            (fp.width, fp.height),
            fp.hashes[0],
            cells[keep, 0],
            codes[keep],
            np.clip(np.rint(fp.xy[keep] / wh * 65535), 0, 65535).astype(np.uint16),
            fp.size_angle[keep],
            embedding=None if fp.embedding is None else fp.embedding[0],
        )

    def add_postings(
        self,
        ref_id: str,
        size: tuple[int, int],
        dct_hash: np.ndarray,
        cells: np.ndarray,
        codes: np.ndarray,
        xy: np.ndarray,
        size_angle: np.ndarray,
        embedding: np.ndarray | None = None,
    ) -> None:
        """Low-level add of already quantised data (xy as 1/65535 fractions of the image side);
        used by :meth:`add` and by benchmarks that synthesise millions of references."""
        if embedding is not None and self._emb is not None and len(embedding) != self._emb.shape[1]:
            raise ValueError("embedding from another descriptor model (dimension differs); re-fingerprint")
        if ref_id in self._pos:
            self.remove(ref_id)
        i = len(self._ids)
        self._grow(i + 1)
        self._ids.append(ref_id)
        self._pos[ref_id] = i
        self._alive[i] = True
        self._wh[i] = size
        self._hashes[i] = np.ascontiguousarray(dct_hash, dtype=np.uint8).view("<u8")
        if embedding is not None:
            if self._emb is None:
                self._emb = np.zeros((len(self._alive), len(embedding)), np.float16)
            self._emb[i] = embedding
        self._postings.append(i, cells, codes, xy, size_angle)

    def _maybe_merge(self) -> None:
        self._postings.maybe_merge()

    def _merge(self) -> None:
        self._postings.merge()

    def remove(self, ref_id: str) -> None:
        i = self._pos.pop(ref_id)
        self._alive[i] = False
        self._n_dead += 1
        # Postings of removed references are skipped at search; compacting pays off once a
        # sizeable fraction is dead.
        if self._n_dead > 1000 and self._n_dead > len(self._ids) // 4:
            self._compact()

    def _compact(self) -> None:
        self._merge()
        alive_idx = np.flatnonzero(self._alive[: len(self._ids)])
        remap = np.full(len(self._ids), -1, np.int64)
        remap[alive_idx] = np.arange(len(alive_idx))
        cell = self._postings.cell_of_main()
        self._ids = [self._ids[j] for j in alive_idx]
        self._pos = {r: k for k, r in enumerate(self._ids)}
        n = len(alive_idx)
        self._alive = np.ones(max(n, 16), bool)
        self._alive[n:] = False
        self._wh = self._wh[alive_idx].copy()
        self._hashes = self._hashes[alive_idx].copy()
        if self._emb is not None:
            self._emb = self._emb[alive_idx].copy()
        self._grow(max(n, 16))
        self._n_dead = 0
        self._postings = self._postings.renumbered(remap, cell)

    # ---------------------------------------------------------------- search
    def search(
        self, fp: Fingerprint, *, k: int = 10, min_score: float = 0.0, shared_by: np.ndarray | None = None
    ) -> list[Match]:
        """The ``k`` best references found in the query, best first.  ``shared_by``: per query keypoint,
        how many references share it, summed over every shard (:meth:`shared_counts`) when this index
        is one shard of many; by default, those of this index."""
        try:
            return self._search(fp, k=k, min_score=min_score, shared_by=shared_by)
        finally:
            # A query's fingerprint and its pairs leave tens to hundreds of MB of freed pages on the C heap;
            # a process serving a million references then held 4.2 GB for its 3.5 GB index.  Trimming
            # takes under 10 ms.
            return_freed_memory()

    def _search(self, fp: Fingerprint, *, k: int, min_score: float, shared_by: np.ndarray | None) -> list[Match]:
        if len(self) == 0:
            return []
        # RANSAC draws from OpenCV's process-wide generator: reseeding makes a query's answer
        # independent of whatever this process searched before (and of worker scheduling).
        cv2.setRNGSeed(RANSAC_SEED)
        n_refs = len(self._ids)
        alive = self._alive[:n_refs]

        # --- global hashes: exhaustive Hamming scan (32 bytes per reference)
        dist, best_variant = hash_distances(self._hashes[:n_refs], fp.hashes.view("<u8").reshape(-1, 4))
        dist[~alive] = 256
        g_cand = np.flatnonzero(dist <= GLOBAL_MID + 24)

        # --- local features
        local, counted = self._local_matches(fp, alive)
        if shared_by is None:
            shared_by = counted

        embedded = embedding_probabilities(fp, self._emb, alive)
        cand = set(int(c) for c in g_cand) | set(local) | set(embedded)

        def strength(c: int) -> float:
            inl, _, vdist, _ = local.get(c, _NOT_VERIFIED)
            return evidence(inl, int(dist[c]), vdist, embedded.get(c, 0.0))

        # Explaining away: strongest candidate first, a candidate's inliers count only for the query
        # keypoints that no stronger candidate explains.  Works that share a frame, a background or a
        # logo with the query then rest on what is theirs alone, not on the shared element.  A
        # candidate that reproduces most of a stronger one's evidence is a registered copy of it (or
        # its original), not a work sharing an element: it keeps the keypoints they share.
        explained_by = np.full(len(fp.xy), -1, np.int64)
        results: list[Match] = []
        for c in sorted(cand, key=lambda c: (-strength(c), c)):
            inl, H, vdist, kq = local.get(c, _NOT_VERIFIED)
            own = kq
            if self.explain_away and inl and len(kq):
                owners = explained_by[kq]
                shared = owners >= 0
                for owner in np.unique(owners[shared]):
                    if _spans_the_same_work(fp.xy, local[int(owner)][3], kq):
                        shared &= owners != owner
                inl = round(inl * float(np.mean(~shared)))
                own = kq[~shared]
                explained_by[kq[owners < 0]] = c
            # Document frequency: a keypoint that many registered works share (a common frame, logo or
            # style element) says little about which of them is in the query.
            weighted = inl * float(np.mean(1.0 / np.maximum(1.0, shared_by[own] - 1.0))) if len(own) else float(inl)
            regions = textured = 0
            panel = None
            if H is not None and len(kq):
                panel = picture_holding(fp, kq)
                in_query = matched_areas(H, self._wh[c], (fp.width, fp.height), panel)[0]
                regions, textured = explained_cells(fp, kq, in_query)
            area = regions / textured if textured else 0.0
            score = combined_score(weighted, int(dist[c]), vdist, embedded.get(c, 0.0), area)
            if score < min_score:
                continue
            region = match_region(fp, H, self._wh[c], int(best_variant[c]) if dist[c] < 256 else None)
            hom = None if H is None else H.tolist()
            results.append(
                Match(
                    self._ids[c],
                    float(score),
                    region,
                    hom,
                    int(inl),
                    int(dist[c]),
                    int(vdist),
                    weighted_inliers=round(weighted, 3),
                    regions=regions,
                    textured_regions=textured,
                    panel=panel,
                )
            )
        results.sort(key=lambda m: (-m.score, m.ref_id))
        return results[:k]

    def _local_matches(self, fp: Fingerprint, alive: np.ndarray) -> tuple[dict[int, Verified], np.ndarray]:
        """Reference number -> what verification found, for the references whose keypoints won
        the vote (best of both orientations of the query); and, per query keypoint, how many
        references have a nearly identical keypoint (:data:`SHARED_HAMMING`)."""
        shared_by = np.zeros(len(fp), np.float64)
        if not len(fp):
            return {}, shared_by
        pairs = self._live_pairs(fp, alive)
        if not len(pairs.qi):
            return {}, shared_by
        shared_by += _shared_counts(pairs, len(fp))
        out: dict[int, Verified] = {}
        for c, mirrored, s in winning_pairs(fp, pairs):
            found = verify(
                fp,
                pairs.xy[s],
                pairs.sa[s],
                pairs.qi[s],
                ref_size=self._wh[c],
                ref_hash=self._hashes[c],
                mirrored=mirrored,
            )
            prev = out.get(c)
            if prev is None or (found[0], -found[2]) > (prev[0], -prev[2]):
                out[c] = found
        return out, shared_by

    # ---------------------------------------------------------------- shards & persistence
    def shared_counts(self, fp: Fingerprint) -> np.ndarray:
        """Per query keypoint, how many references of this index hold a nearly identical keypoint
        (:data:`SHARED_HAMMING`); summed over shards, it is what the whole index would count."""
        if not len(fp) or not len(self._ids):
            return np.zeros(len(fp), np.float64)
        return _shared_counts(self._live_pairs(fp, self._alive[: len(self._ids)]), len(fp))

    def _live_pairs(self, fp: Fingerprint, alive: np.ndarray) -> Pairs:
        """The query's (keypoint, posting) pairs with references that are still in the index."""
        pairs = gather(fp, self._postings.segments())
        return pairs.take(alive[pairs.ref]) if len(pairs.qi) else pairs

    def shard(self, n: int) -> list[MatchIndex]:
        """Split into ``n`` indexes by a stable hash of ref_id (use :func:`shard_of` to route
        new references).  A score depends on other references only through the shared keypoints
        (pass the sum of every shard's :meth:`shared_counts`) and through explaining away, which
        stays within a shard; ``merge_results`` over the shards then equals searching the whole
        index unless a stronger candidate in another shard explains a candidate's keypoints."""
        self._merge()
        shards = [MatchIndex(explain_away=self.explain_away) for _ in range(n)]
        for s in shards:
            s._grow(len(self) // n + 1)
        cell = self._postings.cell_of_main()
        alive_idx = np.flatnonzero(self._alive[: len(self._ids)])
        which = np.array([shard_of(self._ids[j], n) for j in alive_idx], np.int64)
        for si, sh in enumerate(shards):
            mine = alive_idx[which == si]
            remap = np.full(len(self._ids), -1, np.int64)
            remap[mine] = np.arange(len(mine))
            sh._ids = [self._ids[j] for j in mine]
            sh._pos = {r: k for k, r in enumerate(sh._ids)}
            sh._alive = np.ones(max(len(mine), 16), bool)
            sh._alive[len(mine) :] = False
            sh._wh = np.zeros((len(sh._alive), 2), np.float32)
            sh._wh[: len(mine)] = self._wh[mine]
            sh._hashes = np.zeros((len(sh._alive), 4), np.uint64)
            sh._hashes[: len(mine)] = self._hashes[mine]
            if self._emb is not None:
                sh._emb = np.zeros((len(sh._alive), self._emb.shape[1]), np.float16)
                sh._emb[: len(mine)] = self._emb[mine]
            sh._postings = self._postings.renumbered(remap, cell)
        return shards

    def save(self, path: str | Path) -> None:
        self._compact() if self._n_dead else self._merge()
        n = len(self._ids)
        arrays: dict[str, np.ndarray] = {
            **self._postings.to_arrays(),
            "wh": self._wh[:n],
            "hashes": self._hashes[:n],
            "alive": self._alive[:n],
            "ids": np.frombuffer(json.dumps(self._ids).encode(), np.uint8),
            "version": np.array([1]),
        }
        if self._emb is not None:
            arrays["emb"] = self._emb[:n]
        buf = io.BytesIO()
        np.savez(buf, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
        Path(path).write_bytes(buf.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> MatchIndex:
        idx = cls()
        with np.load(Path(path)) as z:
            ids = json.loads(z["ids"].tobytes().decode())
            idx._ids = ids
            n = len(ids)
            idx._alive = np.zeros(max(n, 16), bool)
            idx._alive[:n] = z["alive"]
            idx._wh = np.zeros((len(idx._alive), 2), np.float32)
            idx._wh[:n] = z["wh"]
            idx._hashes = np.zeros((len(idx._alive), 4), np.uint64)
            idx._hashes[:n] = z["hashes"]
            if "emb" in z:
                idx._emb = np.zeros((len(idx._alive), z["emb"].shape[1]), np.float16)
                idx._emb[:n] = z["emb"]
            idx._postings = Postings.from_arrays(z)
        idx._pos = {r: i for i, r in enumerate(ids) if idx._alive[i]}
        idx._n_dead = n - len(idx._pos)
        return idx


def _shared_counts(pairs: Pairs, n_keypoints: int) -> np.ndarray:
    """Per query keypoint, the number of distinct references among its pairs within SHARED_HAMMING."""
    close = pairs.dist <= SHARED_HAMMING
    couples = np.unique(pairs.qi[close].astype(np.int64) << 32 | pairs.ref[close].astype(np.int64))
    return np.bincount(couples >> 32, minlength=n_keypoints).astype(np.float64)


def shard_of(ref_id: str, n: int) -> int:
    return zlib.crc32(ref_id.encode()) % n
