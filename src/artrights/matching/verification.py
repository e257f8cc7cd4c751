"""Geometric verification of a candidate reference (framework-free).

RANSAC fits a homography reference->query to the candidate's keypoint matches; a match counts
only if it also agrees in orientation and scale with the homography's local Jacobian.  The
inliers give the matched region in the query.  A region check then rectifies that region of the
query into the reference's frame and compares its DCT hash with the reference's: a true copy,
even one found with few keypoints, rectifies to (nearly) the reference itself.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from artrights.matching.fingerprint import Fingerprint, dct_hash

__all__ = ["MIN_MATCHES", "RANSAC_SEED", "region_hash_distance", "verify"]

MIN_MATCHES = 5
REGION_CHECK = True
RANSAC_SEED = 20211
RANSAC_THR = 0.012  # reprojection tolerance as a fraction of the query diagonal
ANGLE_TOL_DEG = 25.0  # keypoint orientation vs. homography
SCALE_TOL_OCT = 0.6  # keypoint scale vs. homography, in octaves


def verify(
    fp: Fingerprint,
    ref_xy: np.ndarray,
    ref_sa: np.ndarray,
    qi: np.ndarray,
    *,
    ref_size: np.ndarray,
    ref_hash: np.ndarray,
    mirrored: bool,
) -> tuple[int, np.ndarray | None, int, np.ndarray]:
    """(inliers, homography reference->query or None, region hash distance, the query keypoints that
    are inliers) of one candidate.

    ``ref_xy`` (quantised, 1/65535 of the side) and ``ref_sa`` are the reference keypoints of its
    matches, ``qi`` the query keypoints they matched; ``ref_size``: the reference's (w, h),
    ``ref_hash``: its DCT hash as 4 words; ``mirrored``: the matches are with the query's mirror."""
    wh = np.maximum(ref_size - 1, 1)
    src = ref_xy.astype(np.float32) / 65535.0 * wh
    dst = fp.xy[qi]
    inl, H, mask = _ransac(src, dst, ref_sa, fp.size_angle[qi], fp.width, fp.height, mirrored=mirrored, ref_width=wh[0])
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
            dv = region_hash_distance(fp, hyp, ref_size, ref_hash)
            if dv < vdist:
                vdist = dv
                if H is None:
                    H = hyp
    return inl, H, vdist, np.unique(qi[mask]) if mask is not None else np.zeros(0, np.int64)


def region_hash_distance(fp: Fingerprint, H: np.ndarray, ref_size: np.ndarray, ref_hash: np.ndarray) -> int:
    """Hash the query region that the homography says is the reference (of size ``ref_size``),
    rectified into the reference frame, and compare it with the reference's own hash.  A
    coincidental keypoint fit rectifies to unrelated content (distance ~128); a true copy, even
    one found with few keypoints, rectifies to (nearly) the reference itself."""
    assert fp.thumb is not None
    th, tw = fp.thumb.shape
    s = np.diag([tw / fp.width, th / fp.height, 1.0])
    w, h = ref_size
    d = np.diag([w / 64.0, h / 64.0, 1.0])
    m = s @ H @ d  # 64x64 reference grid -> query thumbnail pixels
    src = cv2.GaussianBlur(fp.thumb, (0, 0), 0.8)
    warped = cv2.warpPerspective(
        src, m, (64, 64), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE
    )
    hq = dct_hash(warped).view("<u8")
    return int(np.bitwise_count(hq ^ ref_hash).sum())


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
) -> tuple[int, np.ndarray | None, np.ndarray | None]:
    """Number of geometrically consistent matches of the best plausible homography
    reference->query (0 if none), the homography, and which matches are its inliers."""
    if len(src) < MIN_MATCHES:
        return 0, None, None
    thr = max(4.0, RANSAC_THR * math.hypot(qw, qh))
    # USAC rejects samples whose homography reverses orientation, so a mirrored copy is fitted
    # against the mirrored reference and the mirror is folded back in afterwards.
    flip = _mirror(ref_width) if mirrored else np.eye(3)
    fitted = src.copy()
    if mirrored:
        fitted[:, 0] = ref_width - fitted[:, 0]
    H, mask = cv2.findHomography(fitted, dst, cv2.USAC_MAGSAC, thr, maxIters=2000, confidence=0.995)
    if H is None or mask is None:
        return 0, None, None
    H = H @ flip
    inl = mask.reshape(-1).astype(bool)
    if not _plausible(H, src[inl], mirrored):
        return 0, None, None
    # A homography with 8 degrees of freedom fits a handful of random matches by position
    # alone; a true match must also agree in orientation and scale with the homography's local
    # Jacobian.  This check is what separates weak true copies from coincidences.
    inl &= _shape_consistent(H, src, src_sa, dst_sa, mirrored)
    if inl.sum() < 4:
        return 0, None, None
    # Several query keypoints may hit one reference keypoint (repeated texture): count each
    # reference point once so a single blob cannot fake many inliers.
    n = len(np.unique(np.round(src[inl] / 2.0), axis=0))
    n_q = len(np.unique(np.round(dst[inl] / 2.0), axis=0))
    return int(min(n, n_q)), H, inl


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
    consistent: np.ndarray = (dang < np.deg2rad(ANGLE_TOL_DEG)) & (dscale < SCALE_TOL_OCT)
    return consistent


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
