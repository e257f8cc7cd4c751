"""Calibrated scores of the match index and the matches it reports (framework-free).

A score is a fixed logistic mapping of the inlier count (local evidence), of the global hash
distance and of the region hash distance (global evidence) and, with a learned descriptor, of the
embedding similarity, combined as independent evidence.  It uses nothing about other references
(no idf, no rank normalisation), so a score means the same in every query, index size and shard,
and results from shards merge by sorting (:func:`merge_results`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from artrights.matching.fingerprint import Fingerprint

__all__ = [
    "GLOBAL_MID",
    "Match",
    "combined_score",
    "global_probability",
    "local_probability",
    "match_region",
    "merge_results",
]

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


def combined_score(inliers: int, hash_distance: int, region_distance: int, embedded: float) -> float:
    """Probability that the reference is in the query, from independent pieces of evidence."""
    pl = local_probability(inliers)
    pg = global_probability(hash_distance)
    pv = global_probability(region_distance)
    return 1.0 - (1.0 - pl) * (1.0 - pg) * (1.0 - pv) * (1.0 - embedded)


def match_region(
    fp: Fingerprint, homography: np.ndarray | None, ref_size: np.ndarray, hash_variant: int | None
) -> list[tuple[float, float]]:
    """Where the reference is in the query: its corners mapped by the homography; without one,
    the box the matching query hash covers (``hash_variant``, None if no hash matched); else the
    whole query."""
    if homography is not None:
        w, h = ref_size
        corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64).reshape(-1, 1, 2)
        reg = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
        return [(float(x), float(y)) for x, y in reg]
    if fp.hash_boxes is not None and hash_variant is not None:
        # a global-only match covers the part of the query whose hash matched
        x0, y0, x1, y1 = (float(v) for v in fp.hash_boxes[hash_variant])
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    qw, qh = float(fp.width), float(fp.height)
    return [(0.0, 0.0), (qw, 0.0), (qw, qh), (0.0, qh)]


def merge_results(results: Iterable[Sequence[Match]], k: int = 10) -> list[Match]:
    """Merge per-shard results: scores are absolute, so sorting is enough."""
    allm = [m for r in results for m in r]
    allm.sort(key=lambda m: (-m.score, m.ref_id))
    return allm[:k]
