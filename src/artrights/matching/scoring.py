"""Calibrated scores of the match index and the matches it reports (framework-free).

Each piece of evidence - the agreeing keypoints (local), the global hash distance and the region hash
distance (global) and, with a learned descriptor, the embedding similarity - is a fixed logistic
mapping to a probability p.  Combined as independent evidence, they give the total evidence
``L = -sum(log(1 - p))``, computed in the log domain so that it never rounds: the old
``1 - prod(1 - p)`` reached exactly 1.0 for a few dozen inliers, so strong matches tied at the top
and a wrong pair could not be told from a right one.

The score is a logistic calibration (:data:`CALIBRATION`) of four features of a match
(:func:`score_features`): ``log L``; the global and the region hash evidence on their own, because a
near-duplicate that is not a copy (a shared background) is strong on all three at once while a
rotated, cropped or photographed copy is strong on the region hash alone, and independent evidence
would count the first three times; and the *area* the match explains - the share of the textured
parts of the matched area that hold agreeing keypoints (:func:`explained_cells`), so that a frame,
a border or a logo that covers a ring or a corner of the picture weighs less than the picture.
Keypoints are also discounted by how many registered works share them (``inliers`` is a weighted
count, see :mod:`~artrights.matching.index`).  Every weight is positive, so more evidence never
lowers a score, and the calibration stays below 1.0: distinct evidence keeps its order.  It was
fitted by ``bench/fit_calibration.py`` on development sets from some sources and reported on sets
from others.  It uses no rank normalisation, so results from shards merge by sorting
(:func:`merge_results`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from artrights.matching.fingerprint import WHOLE_QUERY_HASHES, Fingerprint

__all__ = [
    "GLOBAL_MID",
    "Match",
    "clip_to_image",
    "combined_score",
    "evidence",
    "explained_cells",
    "global_probability",
    "local_probability",
    "match_region",
    "matched_areas",
    "merge_results",
    "picture_difference",
    "picture_holding",
    "polygon_area",
    "score_features",
    "without_geometry",
]

Point = tuple[float, float]

# Fixed calibration (fitted once on background images, see bench/bench_matching_accuracy.py).
LOCAL_MID, LOCAL_SLOPE = 12.0, 6.0  # inliers at which p = 0.5, and steepness
GLOBAL_MID, GLOBAL_SLOPE = 62.0, 0.25  # hash distance (of 256) at p = 0.5, steepness
# score = sigmoid(w . score_features + offset): weights of log L, of the global and the region hash
# evidence, and of the explained area, then the offset.  A match without geometry (a whole-picture or
# panel hash: a featureless picture, a tiny copy) has no area to explain; it has a calibration of its
# own, on its global hash evidence alone (GLOBAL_CALIBRATION: weight, offset).  Both were fitted by
# bench/fit_calibration.py on the default development set and reported on sets from other sources.
CALIBRATION = (0.415, 1.471, 1.22, 3.155, -2.436)
GLOBAL_CALIBRATION = (3.945, -6.498)
# The explained area is counted on the inner cells of an AREA_GRID x AREA_GRID grid over the matched area.
AREA_GRID = 8


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
    # Why the match was found: the agreeing keypoints counted with less weight where many registered works
    # share them, and the inner cells of the matched area (AREA_GRID x AREA_GRID, the outer ring left out)
    # that hold agreeing keypoints, out of those that hold any keypoint of the query (its textured parts).
    weighted_inliers: float = 0.0
    regions: int = 0
    textured_regions: int = 0
    # The picture on the query page that shows the work (a collage panel, the picture of a shop page, the
    # borderless part), x0, y0, x1, y1 in query pixels; None when it is the whole query.
    panel: tuple[float, float, float, float] | None = None

    @property
    def area_explained(self) -> float:
        """Share of the textured parts of the matched area that hold agreeing keypoints (0 without any)."""
        return self.regions / self.textured_regions if self.textured_regions else 0.0


def _sigmoid(x: float) -> float:
    if x < 0:  # exp(-x) would overflow for x below about -709
        e = math.exp(x)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(-x))


def local_probability(inliers: float) -> float:
    # Logistic in log(inliers): it does not saturate to exactly 1.0 within float precision for
    # strong matches, so 40 vs 70 inliers still rank in the right order across queries.
    return 1.0 / (1.0 + (LOCAL_MID / inliers) ** LOCAL_SLOPE) if inliers > 0 else 0.0


def global_probability(distance: int) -> float:
    return _sigmoid(GLOBAL_SLOPE * (GLOBAL_MID - distance))


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _hash_evidence(distance: int) -> float:
    """``-log(1 - p)`` of a hash distance, computed without forming ``1 - p``."""
    return _softplus(GLOBAL_SLOPE * (GLOBAL_MID - distance))


def evidence(inliers: float, hash_distance: int, region_distance: int, embedded: float) -> float:
    """Total evidence ``-log(1 - p)`` of independent pieces of evidence, each ``-log(1 - p_i)`` computed
    without forming ``1 - p_i`` (which rounds to 0 for strong evidence)."""
    local = math.log1p((inliers / LOCAL_MID) ** LOCAL_SLOPE) if inliers > 0 else 0.0
    emb = -math.log1p(-min(embedded, 1.0 - 1e-12)) if embedded > 0 else 0.0
    return local + _hash_evidence(hash_distance) + _hash_evidence(region_distance) + emb


def score_features(
    inliers: float, hash_distance: int, region_distance: int, area_explained: float
) -> tuple[float, float, float, float]:
    """What the calibration weighs: log of the total evidence of keypoints and hashes, the global and the
    region hash evidence, and the explained area (0 to 1)."""
    total = evidence(inliers, hash_distance, region_distance, 0.0)
    return (
        math.log(max(total, 1e-300)),
        math.log1p(_hash_evidence(hash_distance)),
        math.log1p(_hash_evidence(region_distance)),
        min(max(area_explained, 0.0), 1.0),
    )


def without_geometry(inliers: float, region_distance: int) -> bool:
    """Is a match only a global (whole-picture or panel) hash match: no agreeing keypoints, no region?"""
    return inliers <= 0 and region_distance >= 256


def calibrated(features: Sequence[float], *, global_only: bool = False) -> float:
    """The calibrated probability for :func:`score_features` (:data:`CALIBRATION`, or for a match
    :func:`without_geometry` :data:`GLOBAL_CALIBRATION`); increasing in each feature."""
    if global_only:
        weight, offset = GLOBAL_CALIBRATION
        return _sigmoid(weight * features[1] + offset)
    *weights, offset = CALIBRATION
    return _sigmoid(sum(w * x for w, x in zip(weights, features, strict=True)) + offset)


def combined_score(
    inliers: float, hash_distance: int, region_distance: int, embedded: float, area_explained: float = 0.0
) -> float:
    """Calibrated probability that the reference is in the query, from its evidence.  A learned
    descriptor's probability (``embedded``) is calibrated on its own (:mod:`~artrights.matching.descriptor`)
    and joins as independent evidence: ``1 - (1 - s)(1 - p)``, computed without rounding to 1.0."""
    features = score_features(inliers, hash_distance, region_distance, area_explained)
    score = calibrated(features, global_only=without_geometry(inliers, region_distance))
    if embedded <= 0:
        return score
    return -math.expm1(math.log1p(-score) + math.log1p(-min(embedded, 1.0 - 1e-12)))


def explained_cells(fp: Fingerprint, inliers: np.ndarray, polygon: Sequence[Point]) -> tuple[int, int]:
    """(cells holding agreeing keypoints, cells holding any keypoint of the query) of the inside of an
    AREA_GRID x AREA_GRID grid over the matched area ``polygon`` (convex, query pixels), its outer ring
    left out; ``inliers``: the query keypoints that agree.  A shared frame or border explains only the
    ring, a logo a corner; a copy explains most of its textured cells whatever its keypoint count.  Flat
    cells (sky, a plain background) hold no keypoints and count for nothing."""
    if len(polygon) < 3 or not len(inliers):
        return 0, 0
    poly = np.asarray(polygon, np.float64)
    low, high = poly.min(axis=0), poly.max(axis=0)
    span = np.maximum(high - low, 1e-6)

    def cells(xy: np.ndarray) -> np.ndarray:
        xy = xy[_inside_convex(xy, poly)]
        c = np.floor((xy - low) / span * AREA_GRID).astype(np.int64)
        c = c[np.all((c >= 1) & (c <= AREA_GRID - 2), axis=1)]
        return np.unique(c[:, 0] * AREA_GRID + c[:, 1])

    # mirrored keypoints sit where the others do: one orientation is enough
    textured = cells(fp.xy[~fp.mirrored].astype(np.float64))
    agreeing = np.intersect1d(cells(fp.xy[inliers].astype(np.float64)), textured)
    return len(agreeing), len(textured)


def _inside_convex(pts: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Which points lie inside a convex polygon of either orientation (edges included)."""
    edges = np.roll(poly, -1, axis=0) - poly
    rel = pts[:, None, :] - poly[None, :, :]
    cross = edges[None, :, 0] * rel[:, :, 1] - edges[None, :, 1] * rel[:, :, 0]
    inside: np.ndarray = np.all(cross >= -1e-9, axis=1) | np.all(cross <= 1e-9, axis=1)
    return inside


def match_region(
    fp: Fingerprint, homography: np.ndarray | None, ref_size: np.ndarray, hash_variant: int | None
) -> list[tuple[float, float]]:
    """Where the reference is in the query: its corners mapped by the homography; without one,
    the outline of the part whose hash matched (``hash_variant``, None if no hash matched: a box, or
    a picture seen at an angle); else the whole query."""
    if homography is not None:
        w, h = ref_size
        corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64).reshape(-1, 1, 2)
        reg = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
        return [(float(x), float(y)) for x, y in reg]
    if fp.hash_outlines is not None and hash_variant is not None:
        # a global-only match covers the part of the query whose hash matched: a box, or a picture at an angle
        return [(float(x), float(y)) for x, y in fp.hash_outlines[hash_variant]]
    qw, qh = float(fp.width), float(fp.height)
    return [(0.0, 0.0), (qw, 0.0), (qw, qh), (0.0, qh)]


def picture_holding(fp: Fingerprint, inliers: np.ndarray) -> tuple[float, float, float, float] | None:
    """The smallest picture laid out on the query page (the borderless part, a collage panel, the picture of a
    shop page: the boxes the query's layout hashes cover) that holds at least 90 % of the agreeing keypoints
    ``inliers``; None when only the whole query does.  A crop pasted onto a larger page is seen only inside
    its picture: the homography would place the rest of the work on the page around it."""
    if fp.hash_boxes is None or len(fp.hash_boxes) <= WHOLE_QUERY_HASHES or not len(inliers):
        return None
    xy = fp.xy[inliers].astype(np.float64)
    best: tuple[float, float, float, float] | None = None
    for x0, y0, x1, y1 in (tuple(float(v) for v in box) for box in fp.hash_boxes[WHOLE_QUERY_HASHES:]):
        holds = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        if holds.mean() >= 0.9 and (best is None or (x1 - x0) * (y1 - y0) < (best[2] - best[0]) * (best[3] - best[1])):
            best = (x0, y0, x1, y1)
    return best


def matched_areas(
    homography: Sequence[Sequence[float]] | np.ndarray,
    ref_size: Sequence[float],
    query_size: Sequence[float],
    panel: Sequence[float] | None = None,
) -> tuple[list[Point], list[Point]]:
    """What of each image the match covers: (the part of the query that shows the reference, in query
    pixels; the part of the reference shown in the query, in reference pixels).

    ``match_region`` maps the reference's corners into the query; for a crop most of them lie outside it.
    Here that polygon is clipped to the query, and the clipped area is mapped back through the inverse
    homography, so both areas lie inside their images.  Before mapping, the reference is cut at the
    homography's horizon (where its denominator changes sign): points beyond it would be drawn on the far
    side of the query.  ``panel`` (x0, y0, x1, y1; :func:`picture_holding`) narrows the query to the
    picture that shows the work.  Both polygons are empty when the areas do not overlap."""
    H = np.asarray(homography, np.float64)
    w, h = (float(v) for v in ref_size)
    qw, qh = (float(v) for v in query_size)
    try:
        inverse = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return [], []
    # The side of the horizon the query is on: the denominator at the query centre's preimage has the
    # sign of the third coordinate of that preimage (H maps it back to the centre with weight 1).
    pre = inverse @ np.array([qw / 2, qh / 2, 1.0])
    sign = 1.0 if pre[2] >= 0 else -1.0
    a, b, c = (sign * H[2, 0], sign * H[2, 1], sign * H[2, 2])
    scale = max(abs(a) * w, abs(b) * h, abs(c), 1e-12)
    ahead = _clip([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], a, b, c - 1e-6 * scale)
    in_query = clip_to_image(_project(H, ahead), qw, qh)
    if panel is not None:
        x0, y0, x1, y1 = (float(v) for v in panel)
        for a, b, c in ((1.0, 0.0, -x0), (-1.0, 0.0, x1), (0.0, 1.0, -y0), (0.0, -1.0, y1)):
            in_query = _clip(in_query, a, b, c)
    if polygon_area(in_query) <= 0.0:
        return [], []
    in_ref = clip_to_image(_project(inverse, in_query), w, h)
    return in_query, in_ref


def picture_difference(a: np.ndarray, b: np.ndarray) -> float:
    """How much two whole pictures differ, in percent of the full colour range: both RGB arrays are
    averaged down to 32x32 cells and compared cell by cell.  Re-encoding or resizing leaves well under
    1 %; recolouring, cropping or mirroring changes several percent."""
    cells = [cv2.resize(np.asarray(x, np.float32), (32, 32), interpolation=cv2.INTER_AREA) for x in (a, b)]
    return float(np.abs(cells[0] - cells[1]).mean() / 255.0 * 100.0)


def polygon_area(polygon: Sequence[Point]) -> float:
    """Area of a simple polygon (either orientation), by the shoelace formula."""
    if len(polygon) < 3:
        return 0.0
    xs = np.array([p[0] for p in polygon])
    ys = np.array([p[1] for p in polygon])
    return float(abs(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1))) / 2.0)


def _project(H: np.ndarray, polygon: Sequence[Point]) -> list[Point]:
    if not polygon:
        return []
    pts = np.hstack([np.asarray(polygon, np.float64), np.ones((len(polygon), 1))]) @ H.T
    return [(float(x / z), float(y / z)) for x, y, z in pts]


def _clip(polygon: Sequence[Point], a: float, b: float, c: float) -> list[Point]:
    """Sutherland-Hodgman: the part of ``polygon`` where a*x + b*y + c >= 0 (convex in, convex out)."""
    out: list[Point] = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        fp, fq = a * p[0] + b * p[1] + c, a * q[0] + b * q[1] + c
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def clip_to_image(polygon: Sequence[Point], width: float, height: float) -> list[Point]:
    """The part of a convex ``polygon`` inside an image of ``width`` x ``height`` pixels."""
    clipped = list(polygon)
    for a, b, c in ((1.0, 0.0, 0.0), (-1.0, 0.0, width), (0.0, 1.0, 0.0), (0.0, -1.0, height)):
        clipped = _clip(clipped, a, b, c)
    return clipped


def merge_results(results: Iterable[Sequence[Match]], k: int = 10) -> list[Match]:
    """Merge per-shard results: scores are absolute, so sorting is enough."""
    allm = [m for r in results for m in r]
    allm.sort(key=lambda m: (-m.score, m.ref_id))
    return allm[:k]
