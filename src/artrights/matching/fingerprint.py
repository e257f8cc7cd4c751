"""Image fingerprints for copy detection (framework-free).

A fingerprint has two parts, because neither alone survives every attack:

* **local features** - up to ``REF_KEYPOINTS`` SIFT keypoints (RootSIFT, PCA-64, int8) with their
  position, scale and orientation.  They find a work after cropping, rotation, padding,
  embedding in a collage and photographing at an angle, and give the matched region through a
  RANSAC homography.
* **global DCT hashes** - 256-bit perceptual hashes of the whole picture (and, for queries, of
  its 8 rotations/mirrors and of the picture with uniform borders trimmed).  They survive heavy
  blur, downscaling to 0.15x, JPEG q5 and colour changes, where keypoints become unreliable.

Queries are extracted with more keypoints and additionally from their mirror image, so a
flipped copy is found without making reference fingerprints bigger.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image

from artrights.matching.imageio import ImageRejected, load_image, to_rgb_array
from artrights.matching.vocabulary import get_vocabulary

__all__ = [
    "QUERY_KEYPOINTS",
    "REF_KEYPOINTS",
    "Fingerprint",
    "ImageRejected",
    "extract",
    "load_image",
    "rootsift_features",
]

REF_KEYPOINTS = 512
QUERY_KEYPOINTS = 1500
_MAX_SIDE = 1024  # larger images add keypoints at scales no copy preserves
_MIN_SIDE = 512  # small (downscaled) copies are upsampled so SIFT still finds coarse blobs
_MAGIC = b"ARF1"
cv2.setNumThreads(1)  # parallelism comes from processes; threads only fight over 2 cores


@dataclass
class Fingerprint:
    """Everything the index needs about one image.  Coordinates are in the pixels of the image
    as given to :func:`extract` (after EXIF orientation)."""

    width: int
    height: int
    xy: np.ndarray  # (n, 2) float32
    size_angle: np.ndarray  # (n, 2) uint8: log2(scale) * 32, angle / 360 * 256
    desc: np.ndarray  # (n, 64) int8 PCA-RootSIFT
    mirrored: np.ndarray  # (n,) bool: extracted from the mirrored query (queries only)
    hashes: np.ndarray  # (m, 32) uint8: DCT hashes; row 0 = image as is
    is_query: bool = False
    vocab_version: int = 1
    # Queries only, not serialised: a small greyscale copy used to re-check a local match by
    # hashing the matched region rectified into the reference's frame.
    thumb: np.ndarray | None = field(default=None, repr=False, compare=False)
    _cells: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.xy)

    def cells_and_codes(self, probes: int = 1) -> tuple[np.ndarray, np.ndarray]:
        if probes not in self._cells:
            self._cells[probes] = get_vocabulary().cells_and_codes(self.desc, probes)
        return self._cells[probes]

    def to_bytes(self) -> bytes:
        """Compact, versioned serialisation (about 70 bytes per keypoint + 32 per hash)."""
        n, m = len(self.xy), len(self.hashes)
        head = struct.pack(
            "<4sBBIIIH", _MAGIC, self.vocab_version, int(self.is_query), self.width, self.height, n, m
        )
        # Positions as fractions of the image side in 1/65535 steps: sub-pixel up to 65k px.
        wh = np.array([max(self.width - 1, 1), max(self.height - 1, 1)], np.float32)
        qxy = np.clip(np.rint(self.xy / wh * 65535.0), 0, 65535).astype("<u2")
        return b"".join(
            [
                head,
                qxy.tobytes(),
                self.size_angle.astype(np.uint8).tobytes(),
                self.desc.astype(np.int8).tobytes(),
                np.packbits(self.mirrored.astype(np.uint8)).tobytes(),
                self.hashes.astype(np.uint8).tobytes(),
            ]
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> Fingerprint:
        hsize = struct.calcsize("<4sBBIIIH")
        if len(raw) < hsize:
            raise ValueError("fingerprint too short")
        magic, ver, isq, w, h, n, m = struct.unpack_from("<4sBBIIIH", raw, 0)
        if magic != _MAGIC:
            raise ValueError("not an ArtRights fingerprint")
        off = hsize

        def take(nbytes: int) -> bytes:
            nonlocal off
            if off + nbytes > len(raw):
                raise ValueError("fingerprint truncated")
            chunk = raw[off : off + nbytes]
            off += nbytes
            return chunk

        qxy = np.frombuffer(take(4 * n), "<u2").reshape(n, 2).astype(np.float32)
        wh = np.array([max(w - 1, 1), max(h - 1, 1)], np.float32)
        sa = np.frombuffer(take(2 * n), np.uint8).reshape(n, 2).copy()
        desc = np.frombuffer(take(64 * n), np.int8).reshape(n, 64).copy()
        mir = np.unpackbits(np.frombuffer(take((n + 7) // 8), np.uint8))[:n].astype(bool)
        hashes = np.frombuffer(take(32 * m), np.uint8).reshape(m, 32).copy()
        return cls(w, h, qxy / 65535.0 * wh, sa, desc, mir, hashes, bool(isq), ver)


def _gray(image: Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(image, Image.Image):
        arr = to_rgb_array(image)
    else:
        arr = np.asarray(image)
    if arr.ndim == 3:
        return cv2.cvtColor(np.ascontiguousarray(arr[:, :, :3]), cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(arr.astype(np.uint8))


def _working_scale(w: int, h: int) -> float:
    long_side = max(w, h)
    if long_side > _MAX_SIDE:
        return _MAX_SIDE / long_side
    if long_side < _MIN_SIDE:
        return min(_MIN_SIDE / long_side, 4.0)
    return 1.0


_SIFT_CACHE: dict[int, Any] = {}


def _sift(n: int) -> Any:
    if n not in _SIFT_CACHE:
        # A lower contrast threshold than Lowe's 0.04 keeps features on flat drawings and blurred
        # copies; the index's Hamming check and RANSAC reject the extra noise.
        _SIFT_CACHE[n] = cv2.SIFT_create(nfeatures=n, contrastThreshold=0.025)  # type: ignore[attr-defined]
    return _SIFT_CACHE[n]


def _detect(gray: np.ndarray, n: int) -> tuple[list[cv2.KeyPoint], np.ndarray]:
    kps, desc = _sift(n).detectAndCompute(gray, None)
    if desc is None or not kps:
        return [], np.zeros((0, 128), np.float32)
    # Strongest first (OpenCV may also return a few extra ties): an index can then keep a
    # prefix of a fingerprint's keypoints when memory is tight.
    order = np.argsort([-k.response for k in kps], kind="stable")[:n]
    return [kps[i] for i in order], desc[order]


def _rootsift(desc: np.ndarray) -> np.ndarray:
    d = desc.astype(np.float32)
    d /= d.sum(1, keepdims=True) + 1e-7
    return np.sqrt(d)


def rootsift_features(
    image: Image.Image | np.ndarray, max_keypoints: int = REF_KEYPOINTS, mirrored: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xy (n,2) in image pixels, RootSIFT (n,128), size/angle (n,2) float) of an image."""
    gray = _gray(image)
    h, w = gray.shape
    s = _working_scale(w, h)
    if s != 1.0:
        interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, (max(1, round(w * s)), max(1, round(h * s))), interpolation=interp)
    if mirrored:
        gray = np.ascontiguousarray(gray[:, ::-1])
    kps, desc = _detect(gray, max_keypoints)
    if not kps:
        return np.zeros((0, 2), np.float32), desc, np.zeros((0, 2), np.float32)
    pts = np.array([k.pt for k in kps], np.float32)
    if mirrored:
        pts[:, 0] = gray.shape[1] - 1 - pts[:, 0]
    xy = pts / s
    sa = np.array([[k.size / s, k.angle] for k in kps], np.float32)
    return xy, _rootsift(desc), sa


def _quantise_size_angle(sa: np.ndarray) -> np.ndarray:
    if not len(sa):
        return np.zeros((0, 2), np.uint8)
    logs = np.clip(np.rint(np.log2(np.maximum(sa[:, 0], 1e-3)) * 32 + 64), 0, 255)
    ang = np.rint(sa[:, 1] / 360.0 * 256) % 256
    return np.stack([logs, ang], 1).astype(np.uint8)


def dct_hash(gray: np.ndarray) -> np.ndarray:
    """256-bit hash: signs of the 16x16 lowest DCT coefficients of a 64x64 thumbnail against
    their median (PDQ-like; robust to blur, rescaling, JPEG and global tone changes)."""
    g = np.asarray(gray, np.float32)
    if g.shape != (64, 64):
        g = np.asarray(cv2.resize(g, (64, 64), interpolation=cv2.INTER_AREA), np.float32)
    c = cv2.dct(g)[:16, :16].reshape(-1).copy()
    c[0] = 0.0  # DC carries only brightness
    med = np.median(c[1:])
    return np.packbits(c > med)


def _thumb(gray: np.ndarray) -> np.ndarray:
    # Area-average first to 64x64 (needs a mild pre-blur for tiny inputs to avoid aliasing).
    return cv2.resize(gray, (64, 64), interpolation=cv2.INTER_AREA).astype(np.float32)


def _trim_borders(gray: np.ndarray) -> np.ndarray | None:
    """Crop uniform (solid or blurred) borders - padding, letterboxing, frames - if present."""
    h, w = gray.shape
    g = cv2.GaussianBlur(gray, (0, 0), 1.5).astype(np.int16)
    # A row/column is "border" if it is nearly flat.
    row_flat = g.std(1) < 6
    col_flat = g.std(0) < 6
    rows = np.flatnonzero(~row_flat)
    cols = np.flatnonzero(~col_flat)
    if len(rows) < 16 or len(cols) < 16:
        return None
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    if (y1 - y0) * (x1 - x0) > 0.92 * h * w:
        return None
    return gray[y0:y1, x0:x1]


def global_hashes(gray: np.ndarray, query: bool) -> np.ndarray:
    t = _thumb(gray)
    if not query:
        return dct_hash(t)[None]
    variants = []
    for k in range(4):
        r = np.rot90(t, k)
        variants.append(dct_hash(np.ascontiguousarray(r)))
        variants.append(dct_hash(np.ascontiguousarray(r[:, ::-1])))
    trimmed = _trim_borders(gray)
    if trimmed is not None:
        tt = _thumb(trimmed)
        variants.append(dct_hash(tt))
        variants.append(dct_hash(np.ascontiguousarray(tt[:, ::-1])))
    return np.stack(variants)


def extract(
    image: Image.Image | np.ndarray | bytes | str | os.PathLike[str], *, query: bool = False
) -> Fingerprint:
    """Fingerprint an image.  ``query=True`` for suspect images: more keypoints, mirrored
    keypoints and rotated/mirrored/trimmed hashes (the reference side stays small)."""
    if isinstance(image, bytes | str | os.PathLike):
        image = load_image(image)
    gray = _gray(image)
    h, w = gray.shape
    vocab = get_vocabulary()
    n = QUERY_KEYPOINTS if query else REF_KEYPOINTS
    parts = [rootsift_features(gray, n)]
    if query:
        parts.append(rootsift_features(gray, n, mirrored=True))
    xy = np.concatenate([p[0] for p in parts]).astype(np.float32)
    rs = np.concatenate([p[1] for p in parts])
    sa = np.concatenate([p[2] for p in parts])
    mirrored = np.concatenate([np.full(len(p[0]), i == 1) for i, p in enumerate(parts)]).astype(bool)
    desc = vocab.project(rs) if len(rs) else np.zeros((0, 64), np.int8)
    return Fingerprint(
        width=w,
        height=h,
        xy=xy,
        size_angle=_quantise_size_angle(sa),
        desc=desc,
        mirrored=mirrored,
        hashes=global_hashes(gray, query),
        is_query=query,
        vocab_version=vocab.version,
        thumb=query_thumb(gray) if query else None,
    )


THUMB_SIDE = 384


def query_thumb(gray: np.ndarray) -> np.ndarray:
    h, w = gray.shape
    s = min(1.0, THUMB_SIDE / max(h, w))
    if s < 1.0:
        gray = cv2.resize(gray, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(gray)
