"""Searchable index of reference fingerprints (framework-free).

Search has three stages:

1. **candidates** - every query keypoint probes 4 cells of a 65,536-cell inverted multi-index;
   postings whose 64-bit Hamming-embedding code is close vote for their reference.  Global
   DCT hashes are compared exhaustively (32 bytes per reference) and add candidates.
2. **verification** - for the best-voted references, RANSAC fits a homography between matched
   keypoints; the inliers give the matched region in the query.
3. **calibrated score** - a fixed logistic mapping of the inlier count (local evidence) and of
   the hash distance (global evidence), combined as independent evidence.  It uses nothing
   about other references (no idf, no rank normalisation), so a score means the same in every
   query, index size and shard, and results from shards merge by sorting.

Memory per reference: 18 bytes per indexed keypoint (ref number, 64-bit code, position, scale and
angle) + 32 bytes of hash + bookkeeping, i.e. about 3.6 KB at 200 keypoints.  Keypoints in stop
cells are not indexed at all: no search probes them.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from artrights.matching.descriptor import active_descriptor
from artrights.matching.fingerprint import Fingerprint, dct_hash
from artrights.matching.vocabulary import get_vocabulary

__all__ = ["Match", "MatchIndex", "merge_results"]

N_CELLS = 256 * 256
MAX_REF_KEYPOINTS = 512
HAMMING_MAX = 24  # of 64 bits; true matches are mostly < 20, random pairs ~ 32 +- 4
VOTE_HAMMING = 20  # pairs that vote for a reference; RANSAC sees all up to HAMMING_MAX
CANDIDATES = 40  # (reference, orientation) pairs verified by RANSAC per query
MIN_MATCHES = 5
PROBES = 2  # words probed per half of the multi-index for a query descriptor (2 x 2 cells)
QUERY_CELLS = 2  # the nearest 2 of the 2 x 2 probed cells: as accurate as 4 on the dev set, half the work
QUERY_KEYPOINTS_USED = 1500
ANGLE_BINS = 16
REGION_CHECK = True
RANSAC_SEED = 20211
RANSAC_THR = 0.012  # reprojection tolerance as a fraction of the query diagonal
ANGLE_TOL_DEG = 25.0  # keypoint orientation vs. homography
SCALE_TOL_OCT = 0.6  # keypoint scale vs. homography, in octaves
SCALE_BINS = 24  # half-octave bins of the scale change

# Fixed calibration (fitted once on background images, see bench/bench_matching_accuracy.py).
LOCAL_MID, LOCAL_SLOPE = 12.0, 6.0  # inliers at which p = 0.5, and steepness
GLOBAL_MID, GLOBAL_SLOPE = 62.0, 0.25  # hash distance (of 256) at p = 0.5, steepness


@dataclass(frozen=True)
class Match:
    """A reference found in a query.  ``region``: the reference's 4 corners mapped into the
    query (clockwise from top-left); ``homography``: 3x3 reference->query, or None if the match
    is global-only (then region is the whole query)."""

    ref_id: str
    score: float
    region: list[tuple[float, float]]
    homography: list[list[float]] | None = None
    inliers: int = 0
    hash_distance: int = 256  # global DCT hash, best orientation
    region_distance: int = 256  # DCT hash of the query region rectified into the reference frame


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def local_probability(inliers: int) -> float:
    # Logistic in log(inliers): it does not saturate to exactly 1.0 within float precision for
    # strong matches, so 40 vs 70 inliers still rank in the right order across queries.
    return 1.0 / (1.0 + (LOCAL_MID / inliers) ** LOCAL_SLOPE) if inliers > 0 else 0.0


def global_probability(distance: int) -> float:
    return _sigmoid(GLOBAL_SLOPE * (GLOBAL_MID - distance))


def merge_results(results: Iterable[Sequence[Match]], k: int = 10) -> list[Match]:
    """Merge per-shard results: scores are absolute, so sorting is enough."""
    allm = [m for r in results for m in r]
    allm.sort(key=lambda m: (-m.score, m.ref_id))
    return allm[:k]


class MatchIndex:
    """In-memory index; ``add``/``remove`` are incremental (new postings go to a small sorted
    delta segment that is merged into the main one when it grows past a fraction of it)."""

    def __init__(self, *, max_keypoints_per_ref: int = MAX_REF_KEYPOINTS) -> None:
        # Fingerprints list keypoints strongest first, so keeping a prefix keeps the best ones;
        # this is the knob that trades recall for memory (16-18 bytes per keypoint).
        self.max_keypoints_per_ref = max_keypoints_per_ref
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._alive = np.zeros(0, bool)
        self._wh = np.zeros((0, 2), np.float32)
        self._hashes = np.zeros((0, 4), np.uint64)
        self._emb: np.ndarray | None = None  # (cap, d) float16 learned-descriptor embeddings, if any
        self._n_dead = 0
        # main segment: CSR by cell
        self._off = np.zeros(N_CELLS + 1, np.int64)
        self._pref = np.zeros(0, np.uint32)
        self._pcode = np.zeros(0, np.uint64)
        self._pxy = np.zeros((0, 2), np.uint16)
        self._psa = np.zeros((0, 2), np.uint8)
        # delta segment, unsorted until needed
        self._dcell: list[np.ndarray] = []
        self._dref: list[np.ndarray] = []
        self._dcode: list[np.ndarray] = []
        self._dxy: list[np.ndarray] = []
        self._dsa: list[np.ndarray] = []
        self._delta: tuple[np.ndarray, ...] | None = None
        self._delta_size = 0
        self._cap = 16
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

    def memory_bytes(self) -> int:
        n = self._pref.nbytes + self._pcode.nbytes + self._pxy.nbytes + self._psa.nbytes + self._off.nbytes
        n += self._alive.nbytes + self._wh.nbytes + self._hashes.nbytes
        n += 0 if self._emb is None else self._emb.nbytes
        n += sum(a.nbytes for lst in (self._dcell, self._dref, self._dcode, self._dxy, self._dsa) for a in lst)
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
        keep = np.flatnonzero(~_stop_mask()[cells[:, 0]])[: self.max_keypoints_per_ref]
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
        n = len(cells)
        if n:
            self._dcell.append(cells.astype(np.int32))
            self._dref.append(np.full(n, i, np.uint32))
            self._dcode.append(codes.astype(np.uint64))
            self._dxy.append(xy.astype(np.uint16))
            self._dsa.append(size_angle.astype(np.uint8))
            self._delta_size += n
            self._delta = None

    def _maybe_merge(self) -> None:
        if self._delta_size > max(200_000, len(self._pref) // 8):
            self._merge()

    def remove(self, ref_id: str) -> None:
        i = self._pos.pop(ref_id)
        self._alive[i] = False
        self._n_dead += 1
        # Postings of removed references are skipped at search; compacting pays off once a
        # sizeable fraction is dead.
        if self._n_dead > 1000 and self._n_dead > len(self._ids) // 4:
            self._compact()

    def _merge(self) -> None:
        if not self._dcell:
            return
        # Only the delta is sorted; the main segment, already in cell order, is moved across in one
        # sequential pass per field.  Delta postings land after the main postings of their cell, in the
        # order they were added (what a stable sort of main + delta would give).  One field at a time:
        # a million references then need the index's size plus one field while merging.
        dcell = np.concatenate(self._dcell)
        self._dcell = []
        dorder = np.argsort(dcell, kind="stable")
        dcell = dcell[dorder]
        n_main, n_delta = len(self._pref), len(dcell)
        dest = self._off[dcell + 1] + np.arange(n_delta)
        from_main = np.ones(n_main + n_delta, bool)
        from_main[dest] = False
        self._off[1:] += np.cumsum(np.bincount(dcell, minlength=N_CELLS))
        del dcell
        for main, delta in (("_pref", "_dref"), ("_pcode", "_dcode"), ("_pxy", "_dxy"), ("_psa", "_dsa")):
            part = np.concatenate(getattr(self, delta))[dorder]
            setattr(self, delta, [])
            old = getattr(self, main)
            merged = np.empty((n_main + n_delta, *old.shape[1:]), old.dtype)
            merged[from_main] = old
            merged[dest] = part
            setattr(self, main, merged)
            del old, part, merged
        self._delta, self._delta_size = None, 0

    def _cell_of_main(self) -> np.ndarray:
        return np.repeat(np.arange(N_CELLS, dtype=np.int32), np.diff(self._off))

    def _set_main(self, cell: np.ndarray, ref: np.ndarray, code: np.ndarray, xy: np.ndarray, sa: np.ndarray) -> None:
        order = _cell_order(cell)
        self._off = np.zeros(N_CELLS + 1, np.int64)
        np.cumsum(np.bincount(cell, minlength=N_CELLS), out=self._off[1:])
        self._pref, self._pcode, self._pxy, self._psa = ref[order], code[order], xy[order], sa[order]

    def _compact(self) -> None:
        self._merge()
        alive_idx = np.flatnonzero(self._alive[: len(self._ids)])
        remap = np.full(len(self._ids), -1, np.int64)
        remap[alive_idx] = np.arange(len(alive_idx))
        cell = self._cell_of_main()
        keep = self._alive[self._pref]
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
        self._set_main(
            cell[keep],
            remap[self._pref[keep]].astype(np.uint32),
            self._pcode[keep],
            self._pxy[keep],
            self._psa[keep],
        )

    def _delta_csr(self) -> tuple[np.ndarray, ...] | None:
        if not self._dcell:
            return None
        if self._delta is None:
            cell = np.concatenate(self._dcell)
            order = np.argsort(cell, kind="stable")
            off = np.zeros(N_CELLS + 1, np.int64)
            np.cumsum(np.bincount(cell, minlength=N_CELLS), out=off[1:])
            self._delta = (
                off,
                np.concatenate(self._dref)[order],
                np.concatenate(self._dcode)[order],
                np.concatenate(self._dxy)[order],
                np.concatenate(self._dsa)[order],
            )
        return self._delta

    # ---------------------------------------------------------------- search
    def search(self, fp: Fingerprint, *, k: int = 10, min_score: float = 0.0) -> list[Match]:
        if len(self) == 0:
            return []
        # RANSAC draws from OpenCV's process-wide generator: reseeding makes a query's answer
        # independent of whatever this process searched before (and of worker scheduling).
        cv2.setRNGSeed(RANSAC_SEED)
        n_refs = len(self._ids)
        alive = self._alive[:n_refs]
        results: dict[int, Match] = {}

        # --- global hashes: exhaustive Hamming scan (32 bytes per reference)
        dist, best_variant = _hash_distances(self._hashes[:n_refs], fp.hashes.view("<u8").reshape(-1, 4))
        dist[~alive] = 256
        g_cand = np.flatnonzero(dist <= GLOBAL_MID + 24)

        # --- local features
        local: dict[int, tuple[int, np.ndarray | None, int]] = {}
        if len(fp):
            qi, ref, dq, rxy, rsa = self._gather(fp)
            if len(qi):
                keep = alive[ref]
                qi, ref, dq, rxy, rsa = qi[keep], ref[keep], dq[keep], rxy[keep], rsa[keep]
            if len(qi):
                local = self._verify(fp, qi, ref, dq, rxy, rsa)

        embedded = self._embedding_probabilities(fp, alive)
        cand = set(int(c) for c in g_cand) | set(local) | set(embedded)
        qw, qh_ = float(fp.width), float(fp.height)
        full = [(0.0, 0.0), (qw, 0.0), (qw, qh_), (0.0, qh_)]
        for c in cand:
            inl, H, vdist = local.get(c, (0, None, 256))
            pl = local_probability(inl)
            pg = global_probability(int(dist[c]))
            pv = global_probability(vdist)
            pe = embedded.get(c, 0.0)
            score = 1.0 - (1.0 - pl) * (1.0 - pg) * (1.0 - pv) * (1.0 - pe)
            if score < min_score:
                continue
            if H is not None:
                w, h = self._wh[c]
                corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64).reshape(-1, 1, 2)
                reg = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
                region = [(float(x), float(y)) for x, y in reg]
                hom = H.tolist()
            elif fp.hash_boxes is not None and dist[c] < 256:
                # a global-only match covers the part of the query whose hash matched
                x0, y0, x1, y1 = (float(v) for v in fp.hash_boxes[best_variant[c]])
                region, hom = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], None
            else:
                region, hom = full, None
            results[c] = Match(self._ids[c], float(score), region, hom, int(inl), int(dist[c]), int(vdist))
        out = sorted(results.values(), key=lambda m: (-m.score, m.ref_id))
        return out[:k]

    def _embedding_probabilities(self, fp: Fingerprint, alive: np.ndarray) -> dict[int, float]:
        """Learned-descriptor evidence: reference -> probability, for references whose embedding
        is close to the query's (or its mirror's).  Empty unless a descriptor is configured and
        both sides carry embeddings of the same model."""
        descriptor = active_descriptor()
        if descriptor is None or self._emb is None or fp.embedding is None:
            return {}
        if fp.embedding.shape[1] != self._emb.shape[1]:
            return {}
        n = len(self._ids)
        sims = np.zeros(n, np.float32)
        q = fp.embedding.astype(np.float32)
        for lo in range(0, n, 65536):
            block = self._emb[lo : min(lo + 65536, n)].astype(np.float32)
            sims[lo : lo + len(block)] = (block @ q.T).max(1)
        p = descriptor.probability(sims)
        hits = np.flatnonzero((p >= 0.01) & alive)
        return {int(c): float(p[c]) for c in hits}

    def _region_hash_distance(self, fp: Fingerprint, c: int, H: np.ndarray) -> int:
        """Hash the query region that the homography says is reference ``c``, rectified into the
        reference frame, and compare it with the reference's own hash.  A coincidental keypoint
        fit rectifies to unrelated content (distance ~128); a true copy, even one found with few
        keypoints, rectifies to (nearly) the reference itself."""
        assert fp.thumb is not None
        th, tw = fp.thumb.shape
        s = np.diag([tw / fp.width, th / fp.height, 1.0])
        w, h = self._wh[c]
        d = np.diag([w / 64.0, h / 64.0, 1.0])
        m = s @ H @ d  # 64x64 reference grid -> query thumbnail pixels
        src = cv2.GaussianBlur(fp.thumb, (0, 0), 0.8)
        warped = cv2.warpPerspective(
            src, m, (64, 64), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE
        )
        hq = dct_hash(warped).view("<u8")
        return int(np.bitwise_count(hq ^ self._hashes[c]).sum())

    def _gather(self, fp: Fingerprint) -> tuple[np.ndarray, ...]:
        """All (query keypoint, posting) pairs in probed cells within the Hamming threshold:
        (query kp index, ref number, Hamming distance, ref xy, ref size/angle)."""
        cells, codes = fp.cells_and_codes(PROBES)
        # the strongest keypoints of each orientation (fingerprints list them strongest first)
        rank = np.arange(len(fp)) - np.where(fp.mirrored, int((~fp.mirrored).sum()), 0)
        used = np.flatnonzero(rank < QUERY_KEYPOINTS_USED)
        cells = cells[used, :QUERY_CELLS]
        stop = _stop_mask()
        flat = cells.reshape(-1)
        qidx = np.repeat(used, cells.shape[1])
        # "Stop words": a few cells (flat patches, star dots) hold a large share of all postings,
        # cost most of the search time and carry almost no evidence.
        keep = ~stop[flat]
        flat, qidx = flat[keep], qidx[keep]
        # One step per probed cell, comparing its whole posting list with every query keypoint
        # that probes it: list slices are contiguous, so this streams through memory instead of
        # building index arrays as long as all probed lists together.
        order = np.argsort(flat, kind="stable")
        flat, qidx = flat[order], qidx[order]
        bounds = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1], True])
        segs: list[tuple[np.ndarray, ...]] = [(self._off, self._pref, self._pcode, self._pxy, self._psa)]
        delta = self._delta_csr()
        if delta is not None:
            segs.append(delta)
        parts: list[tuple[np.ndarray, ...]] = []
        for off, pref, pcode, pxy, psa in segs:
            if len(pref) == 0:
                continue
            hit_q: list[np.ndarray] = []
            hit_p: list[np.ndarray] = []
            hit_d: list[np.ndarray] = []
            probed = flat[bounds[:-1]]
            starts, ends = off[probed].tolist(), off[probed + 1].tolist()
            for (b0, b1), lo, hi in zip(itertools.pairwise(bounds.tolist()), starts, ends, strict=True):
                if hi == lo:
                    continue
                q = qidx[b0:b1]
                d = np.bitwise_count(pcode[lo:hi][None, :] ^ codes[q][:, None])
                qq, pp = np.nonzero(d <= HAMMING_MAX)
                if len(pp):
                    hit_q.append(q[qq])
                    hit_p.append(pp + lo)
                    hit_d.append(d[qq, pp])
            if hit_p:
                idx = np.concatenate(hit_p)
                part: tuple[np.ndarray, ...] = (
                    np.concatenate(hit_q),
                    pref[idx],
                    np.concatenate(hit_d).astype(np.uint8),
                    pxy[idx],
                    psa[idx],
                )
                parts.append(part)
        if not parts:
            z = np.zeros(0, np.int64)
            return (z, z.astype(np.uint32), z.astype(np.uint8), np.zeros((0, 2), np.uint16), np.zeros((0, 2), np.uint8))
        return tuple(np.concatenate([pt[i] for pt in parts]) for i in range(5))

    def _verify(
        self, fp: Fingerprint, qi: np.ndarray, ref: np.ndarray, d: np.ndarray, rxy: np.ndarray, rsa: np.ndarray
    ) -> dict[int, tuple[int, np.ndarray | None, int]]:
        mir = fp.mirrored[qi].astype(np.int64)
        key = ref.astype(np.int64) * 2 + mir  # the two orientations of the query are separate
        # Votes count only close descriptor pairs: a random code passes Hamming <= 20 about 17
        # times less often than <= 24, so ranking the references gets cheap, while RANSAC later
        # sees every pair of the few references that won.
        strong = np.flatnonzero(d <= VOTE_HAMMING)
        if len(strong) == 0:
            return {}
        sel = strong[_closest_per_pair(key[strong], qi[strong], d[strong])]
        ukeys, inv = np.unique(key[sel], return_inverse=True)
        nk = len(ukeys)
        w = np.exp(-((d[sel].astype(np.float32) / 16.0) ** 2))
        # Weak geometric consistency: true matches share one rotation and one scale change, so
        # a reference's vote is the peak of its rotation and log-scale histograms, not the raw
        # number of descriptor matches (which rewards busy, repetitive images).
        abin, sbin = _angle_scale_bins(fp.size_angle[qi[sel]], rsa[sel])
        ha = np.bincount(inv * ANGLE_BINS + abin, weights=w, minlength=nk * ANGLE_BINS).reshape(nk, ANGLE_BINS)
        hs = np.bincount(inv * SCALE_BINS + sbin, weights=w, minlength=nk * SCALE_BINS).reshape(nk, SCALE_BINS)
        # bin pairs: tolerate estimates on a bin border (angles wrap around, scales do not)
        last_angle = ha[:, -1].copy()
        ha[:, 1:] += ha[:, :-1].copy()
        ha[:, 0] += last_angle
        hs[:, 1:] += hs[:, :-1].copy()
        hs[:, 0] = 0
        apk, spk = ha.argmax(1), hs.argmax(1)
        votes = np.minimum(ha[np.arange(nk), apk], hs[np.arange(nk), spk])
        top = np.argsort(-votes)[:CANDIDATES]
        top = top[votes[top] >= MIN_MATCHES * 0.5]
        out: dict[int, tuple[int, np.ndarray | None, int]] = {}
        if len(top) == 0:
            return out
        # every pair (weak ones too) of the winning references, grouped by reference
        which = np.full(int(key.max()) + 1, -1, np.int64)
        which[ukeys[top]] = np.arange(len(top))
        mine = np.flatnonzero(which[key] >= 0)
        mine = mine[_closest_per_pair(key[mine], qi[mine], d[mine])]
        group = which[key[mine]]
        abin, sbin = _angle_scale_bins(fp.size_angle[qi[mine]], rsa[mine])
        order2 = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order2], np.arange(len(top) + 1))
        for j, t in enumerate(top):
            grp = order2[bounds[j] : bounds[j + 1]]
            # keep pairs in (or next to) the peak rotation and scale bins
            da = (abin[grp] - apk[t] + 1) % ANGLE_BINS
            ds = sbin[grp] - spk[t] + 1
            ok = (da <= 2) & (ds >= -1) & (ds <= 2)
            grp = grp[ok]
            if len(grp) < 4:
                continue
            s = mine[grp]
            kk = int(ukeys[t])
            c = kk // 2
            mirrored = bool(kk % 2)
            wh = np.maximum(self._wh[c] - 1, 1)
            src = rxy[s].astype(np.float32) / 65535.0 * wh
            dst = fp.xy[qi[s]]
            inl, H = _ransac(
                src, dst, rsa[s], fp.size_angle[qi[s]], fp.width, fp.height, mirrored=mirrored, ref_width=wh[0]
            )
            vdist = 256
            if fp.thumb is not None and REGION_CHECK:
                hyps = [H] if H is not None else []
                if inl < 15:
                    # Few keypoints survive heavy blur/downscaling/perspective; a 4-parameter
                    # similarity needs only 2 correct matches, and the region hash then decides.
                    sim = _similarity(src, dst, wh, fp.width, fp.height, mirrored)
                    if sim is not None:
                        hyps.append(sim)
                for hyp in hyps:
                    dv = self._region_hash_distance(fp, c, hyp)
                    if dv < vdist:
                        vdist = dv
                        if H is None:
                            H = hyp
            prev = out.get(c)
            if prev is None or (inl, -vdist) > (prev[0], -prev[2]):
                out[c] = (inl, H, vdist)
        return out

    # ---------------------------------------------------------------- shards & persistence
    def shard(self, n: int) -> list[MatchIndex]:
        """Split into ``n`` indexes by a stable hash of ref_id (use :func:`shard_of` to route
        new references).  Scores do not depend on the other references, so
        ``merge_results`` over the shards equals searching the whole index."""
        self._merge()
        shards = [MatchIndex() for _ in range(n)]
        for s in shards:
            s._grow(len(self) // n + 1)
        cell = self._cell_of_main()
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
            keep = remap[self._pref] >= 0
            sh._set_main(
                cell[keep],
                remap[self._pref[keep]].astype(np.uint32),
                self._pcode[keep],
                self._pxy[keep],
                self._psa[keep],
            )
        return shards

    def save(self, path: str | Path) -> None:
        self._compact() if self._n_dead else self._merge()
        n = len(self._ids)
        arrays: dict[str, np.ndarray] = {
            "off": self._off,
            "pref": self._pref,
            "pcode": self._pcode,
            "pxy": self._pxy,
            "psa": self._psa,
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
            idx._off, idx._pref, idx._pcode = z["off"], z["pref"], z["pcode"]
            idx._pxy, idx._psa = z["pxy"], z["psa"]
        idx._pos = {r: i for i, r in enumerate(ids) if idx._alive[i]}
        idx._n_dead = n - len(idx._pos)
        return idx


HASH_BLOCK = 8192  # references per step of the hash scan: its temporaries stay in the CPU cache
# The scan first compares the lower-frequency half of each hash (128 bits, the half a copy
# changes least); random hashes differ there in 64 +- 6 bits, so a bound of 46 drops
# 99.9 % of them and only the rest are compared in full.
HALF_HASH_BOUND = 46


def _hash_distances(refs: np.ndarray, variants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest Hamming distance of each reference hash (n, 4 words) to any query hash variant,
    and which variant; 256 where no variant passes the half-hash bound."""
    dist = np.full(len(refs), 256, np.int32)
    best = np.zeros(len(refs), np.int32)
    v0, v1 = variants[None, :, 0], variants[None, :, 1]
    for lo in range(0, len(refs), HASH_BLOCK):
        block = refs[lo : lo + HASH_BLOCK]
        half = np.bitwise_count(block[:, 0, None] ^ v0)
        half += np.bitwise_count(block[:, 1, None] ^ v1)
        row, var = np.nonzero(half <= HALF_HASH_BOUND)
        if len(row) == 0:
            continue
        full = (
            half[row, var].astype(np.int32)
            + np.bitwise_count(block[row, 2] ^ variants[var, 2])
            + np.bitwise_count(block[row, 3] ^ variants[var, 3])
        )
        order = np.lexsort((full, row))  # per reference, its closest variant first
        row, var, full = row[order], var[order], full[order]
        first = np.r_[True, row[1:] != row[:-1]]
        dist[lo + row[first]] = full[first]
        best[lo + row[first]] = var[first]
    return dist, best


def _cell_order(cell: np.ndarray) -> np.ndarray:
    """Stable order of postings by cell (32-bit positions while they fit: half the memory)."""
    order = np.argsort(cell, kind="stable")
    return order.astype(np.uint32) if len(order) < 2**32 else order


def _closest_per_pair(key: np.ndarray, qi: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Positions of one pair per (reference orientation, query keypoint): the closest code."""
    order = np.lexsort((d, qi, key))
    key_s, qi_s = key[order], qi[order]
    first = np.ones(len(order), bool)
    first[1:] = (key_s[1:] != key_s[:-1]) | (qi_s[1:] != qi_s[:-1])
    return order[first]


def _angle_scale_bins(query_sa: np.ndarray, ref_sa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotation and log-scale change of matched keypoint pairs, as histogram bins."""
    qsa, rs = query_sa.astype(np.int32), ref_sa.astype(np.int32)
    abin = ((qsa[:, 1] - rs[:, 1]) % 256) // (256 // ANGLE_BINS)
    sbin = np.clip((qsa[:, 0] - rs[:, 0] + 16 * SCALE_BINS // 2) // 16, 0, SCALE_BINS - 1)
    return abin, sbin


@lru_cache(maxsize=1)
def _stop_mask() -> np.ndarray:
    mask = np.zeros(N_CELLS, bool)
    mask[get_vocabulary().stop_cells] = True
    return mask


def shard_of(ref_id: str, n: int) -> int:
    return zlib.crc32(ref_id.encode()) % n


def _ransac(
    src: np.ndarray,
    dst: np.ndarray,
    src_sa: np.ndarray,
    dst_sa: np.ndarray,
    qw: int,
    qh: int,
    *,
    mirrored: bool,
    ref_width: float,
) -> tuple[int, np.ndarray | None]:
    """Number of geometrically consistent matches of the best plausible homography
    reference->query (0 if none), and the homography."""
    if len(src) < MIN_MATCHES:
        return 0, None
    thr = max(4.0, RANSAC_THR * math.hypot(qw, qh))
    # USAC rejects samples whose homography reverses orientation, so a mirrored copy is fitted
    # against the mirrored reference and the mirror is folded back in afterwards.
    flip = _mirror(ref_width) if mirrored else np.eye(3)
    fitted = src.copy()
    if mirrored:
        fitted[:, 0] = ref_width - fitted[:, 0]
    H, mask = cv2.findHomography(fitted, dst, cv2.USAC_MAGSAC, thr, maxIters=2000, confidence=0.995)
    if H is None or mask is None:
        return 0, None
    H = H @ flip
    inl = mask.reshape(-1).astype(bool)
    if not _plausible(H, src[inl], mirrored):
        return 0, None
    # A homography with 8 degrees of freedom fits a handful of random matches by position
    # alone; a true match must also agree in orientation and scale with the homography's local
    # Jacobian.  This check is what separates weak true copies from coincidences.
    inl &= _shape_consistent(H, src, src_sa, dst_sa, mirrored)
    if inl.sum() < 4:
        return 0, None
    # Several query keypoints may hit one reference keypoint (repeated texture): count each
    # reference point once so a single blob cannot fake many inliers.
    n = len(np.unique(np.round(src[inl] / 2.0), axis=0))
    n_q = len(np.unique(np.round(dst[inl] / 2.0), axis=0))
    return int(min(n, n_q)), H


def _similarity(
    src: np.ndarray, dst: np.ndarray, wh: np.ndarray, qw: int, qh: int, mirrored: bool
) -> np.ndarray | None:
    """RANSAC similarity reference->query as a 3x3 matrix (with the mirror folded in)."""
    flip = _mirror(wh[0]) if mirrored else np.eye(3)
    s2 = src.copy()
    if mirrored:
        s2[:, 0] = wh[0] - s2[:, 0]
    thr = max(4.0, RANSAC_THR * math.hypot(qw, qh))
    a, mask = cv2.estimateAffinePartial2D(s2, dst, method=cv2.RANSAC, ransacReprojThreshold=thr)
    if a is None or mask is None or int(mask.sum()) < 3:
        return None
    m = np.vstack([a, [0.0, 0.0, 1.0]])
    scale = math.sqrt(abs(np.linalg.det(m[:2, :2])))
    if not 0.02 < scale < 50:
        return None
    return np.asarray(m @ flip, np.float64)


def _mirror(width: float) -> np.ndarray:
    return np.array([[-1.0, 0.0, float(width)], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


def _shape_consistent(
    H: np.ndarray, src: np.ndarray, src_sa: np.ndarray, dst_sa: np.ndarray, mirrored: bool
) -> np.ndarray:
    x, y = src[:, 0].astype(np.float64), src[:, 1].astype(np.float64)
    w = H[2, 0] * x + H[2, 1] * y + H[2, 2]
    u = (H[0, 0] * x + H[0, 1] * y + H[0, 2]) / w
    v = (H[1, 0] * x + H[1, 1] * y + H[1, 2]) / w
    # Jacobian of the projective map at each reference point
    j00 = (H[0, 0] - u * H[2, 0]) / w
    j01 = (H[0, 1] - u * H[2, 1]) / w
    j10 = (H[1, 0] - v * H[2, 0]) / w
    j11 = (H[1, 1] - v * H[2, 1]) / w
    # OpenCV keypoint angles run counter-clockwise on screen (y down): image angle = -angle.
    ar = src_sa[:, 1].astype(np.float64) / 256.0 * 2 * np.pi
    aq_cv = dst_sa[:, 1].astype(np.float64) / 256.0 * 2 * np.pi
    if mirrored:  # angle measured in the mirrored image; mirror it back
        aq_cv = np.pi - aq_cv
    aq = aq_cv
    dx, dy = np.cos(ar), np.sin(ar)
    px, py = j00 * dx + j01 * dy, j10 * dx + j11 * dy
    pred = np.arctan2(py, px)
    dang = np.abs((aq - pred + np.pi) % (2 * np.pi) - np.pi)
    det = np.abs(j00 * j11 - j01 * j10)
    pred_log_scale = 0.5 * np.log2(np.maximum(det, 1e-12))
    obs_log_scale = (dst_sa[:, 0].astype(np.float64) - src_sa[:, 0].astype(np.float64)) / 32.0
    dscale = np.abs(obs_log_scale - pred_log_scale)
    return (dang < np.deg2rad(ANGLE_TOL_DEG)) & (dscale < SCALE_TOL_OCT)


def _plausible(H: np.ndarray, pts: np.ndarray, mirrored: bool) -> bool:
    """Reject degenerate fits: collapsed, extremely skewed or wrongly oriented mappings."""
    if len(pts) < 4:
        return False
    a = H[:2, :2] / H[2, 2] if abs(H[2, 2]) > 1e-12 else None
    if a is None:
        return False
    det = float(np.linalg.det(a))
    if (det < 0) != mirrored:
        return False
    sv = np.linalg.svd(a, compute_uv=False)
    if sv[1] < 1e-3 or sv[0] / sv[1] > 8.0:
        return False
    # inliers must span some area of the reference, not a single spot
    span = pts.max(0) - pts.min(0)
    return bool(span.min() > 8.0)
