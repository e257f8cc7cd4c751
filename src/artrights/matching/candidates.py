"""Candidate references for a query (framework-free).

* **local** - every query keypoint probes the nearest cells of the 65,536-cell inverted
  multi-index; postings whose 64-bit Hamming-embedding code is close are pairs (:func:`gather`).
  Close pairs vote for their reference, weighted by code distance and counted at the peak of the
  reference's rotation and scale histograms; the best-voted references go on to geometric
  verification with all their pairs that agree with the peak (:func:`winning_pairs`).
* **global** - the query's DCT hashes are compared exhaustively with every reference's (32 bytes
  per reference, :func:`hash_distances`), and, with a learned descriptor, its embeddings too
  (:func:`embedding_probabilities`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from artrights.matching.descriptor import active_descriptor
from artrights.matching.fingerprint import Fingerprint
from artrights.matching.postings import Segment, stop_mask
from artrights.matching.verification import MIN_MATCHES

__all__ = ["Pairs", "embedding_probabilities", "gather", "hash_distances", "winning_pairs"]

HAMMING_MAX = 24  # of 64 bits; true matches are mostly < 20, random pairs ~ 32 +- 4
VOTE_HAMMING = 20  # pairs that vote for a reference; RANSAC sees all up to HAMMING_MAX
CANDIDATES = 40  # (reference, orientation) pairs verified by RANSAC per query
PROBES = 2  # words probed per half of the multi-index for a query descriptor (2 x 2 cells)
QUERY_CELLS = 2  # the nearest 2 of the 2 x 2 probed cells: as accurate as 4 on the dev set, half the work
QUERY_KEYPOINTS_USED = 1500
ANGLE_BINS = 16
SCALE_BINS = 24  # half-octave bins of the scale change

HASH_BLOCK = 8192  # references per step of the hash scan: its temporaries stay in the CPU cache
# The scan first compares the lower-frequency half of each hash (128 bits, the half a copy
# changes least); random hashes differ there in 64 +- 6 bits, so a bound of 46 drops
# 99.9 % of them and only the rest are compared in full.
HALF_HASH_BOUND = 46


class Pairs(NamedTuple):
    """(query keypoint, posting) pairs, one row each."""

    qi: np.ndarray  # (n,) int64 query keypoint
    ref: np.ndarray  # (n,) uint32 reference number
    dist: np.ndarray  # (n,) uint8 Hamming distance of the codes
    xy: np.ndarray  # (n, 2) uint16 reference keypoint position (1/65535 of the side)
    sa: np.ndarray  # (n, 2) uint8 reference keypoint log-scale and angle

    def take(self, keep: np.ndarray) -> Pairs:
        return Pairs._make(a[keep] for a in self)


def hash_distances(refs: np.ndarray, variants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def embedding_probabilities(fp: Fingerprint, emb: np.ndarray | None, alive: np.ndarray) -> dict[int, float]:
    """Learned-descriptor evidence: reference -> probability, for references whose embedding
    (a row of ``emb``, one per reference of ``alive``) is close to the query's (or its mirror's).
    Empty unless a descriptor is configured and both sides carry embeddings of the same model."""
    descriptor = active_descriptor()
    if descriptor is None or emb is None or fp.embedding is None:
        return {}
    if fp.embedding.shape[1] != emb.shape[1]:
        return {}
    n = len(alive)
    sims = np.zeros(n, np.float32)
    q = fp.embedding.astype(np.float32)
    for lo in range(0, n, 65536):
        block = emb[lo : min(lo + 65536, n)].astype(np.float32)
        sims[lo : lo + len(block)] = (block @ q.T).max(1)
    p = descriptor.probability(sims)
    hits = np.flatnonzero((p >= 0.01) & alive)
    return {int(c): float(p[c]) for c in hits}


def gather(fp: Fingerprint, segments: list[Segment]) -> Pairs:
    """All (query keypoint, posting) pairs in probed cells within the Hamming threshold."""
    cells, codes = fp.cells_and_codes(PROBES)
    # the strongest keypoints of each orientation (fingerprints list them strongest first)
    rank = np.arange(len(fp)) - np.where(fp.mirrored, int((~fp.mirrored).sum()), 0)
    used = np.flatnonzero(rank < QUERY_KEYPOINTS_USED)
    cells = cells[used, :QUERY_CELLS]
    stop = stop_mask()
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
    parts: list[Pairs] = []
    for off, pref, pcode, pxy, psa in segments:
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
            parts.append(
                Pairs(np.concatenate(hit_q), pref[idx], np.concatenate(hit_d).astype(np.uint8), pxy[idx], psa[idx])
            )
    if not parts:
        z = np.zeros(0, np.int64)
        z2 = np.zeros((0, 2), np.uint8)
        return Pairs(z, z.astype(np.uint32), z.astype(np.uint8), z2.astype(np.uint16), z2)
    return Pairs._make(np.concatenate([pt[i] for pt in parts]) for i in range(len(Pairs._fields)))


def winning_pairs(fp: Fingerprint, pairs: Pairs) -> Iterator[tuple[int, bool, np.ndarray]]:
    """The (reference, orientation) couples that win the vote, best first, as (reference number,
    whether the query matched mirrored, positions in ``pairs`` of its pairs to verify): every pair
    of the couple (weak ones too, the closest per query keypoint) in or next to its peak rotation
    and scale bins.  Couples with fewer than 4 such pairs are left out."""
    mir = fp.mirrored[pairs.qi].astype(np.int64)
    key = pairs.ref.astype(np.int64) * 2 + mir  # the two orientations of the query are separate
    ballot = _vote(fp, pairs, key)
    if ballot is None:
        return
    ukeys, top, apk, spk = ballot
    # every pair (weak ones too) of the winning references, grouped by reference
    which = np.full(int(key.max()) + 1, -1, np.int64)
    which[ukeys[top]] = np.arange(len(top))
    mine = np.flatnonzero(which[key] >= 0)
    mine = mine[_closest_per_pair(key[mine], pairs.qi[mine], pairs.dist[mine])]
    group = which[key[mine]]
    abin, sbin = _angle_scale_bins(fp.size_angle[pairs.qi[mine]], pairs.sa[mine])
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
        kk = int(ukeys[t])
        yield kk // 2, bool(kk % 2), mine[grp]


def _vote(
    fp: Fingerprint, pairs: Pairs, key: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Ballot of the close pairs: (the distinct keys, positions in them of the winners best
    first, each key's peak angle bin and peak scale bin), or None if no key has enough votes."""
    d, qi = pairs.dist, pairs.qi
    # Votes count only close descriptor pairs: a random code passes Hamming <= 20 about 17
    # times less often than <= 24, so ranking the references gets cheap, while RANSAC later
    # sees every pair of the few references that won.
    strong = np.flatnonzero(d <= VOTE_HAMMING)
    if len(strong) == 0:
        return None
    sel = strong[_closest_per_pair(key[strong], qi[strong], d[strong])]
    ukeys, inv = np.unique(key[sel], return_inverse=True)
    nk = len(ukeys)
    w = np.exp(-((d[sel].astype(np.float32) / 16.0) ** 2))
    # Weak geometric consistency: true matches share one rotation and one scale change, so
    # a reference's vote is the peak of its rotation and log-scale histograms, not the raw
    # number of descriptor matches (which rewards busy, repetitive images).
    abin, sbin = _angle_scale_bins(fp.size_angle[qi[sel]], pairs.sa[sel])
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
    if len(top) == 0:
        return None
    return ukeys, top, apk, spk


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
