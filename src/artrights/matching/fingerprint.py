"""Image fingerprints for copy detection (framework-free).

A fingerprint has two parts, because neither alone survives every attack:

* **local features** - up to ``REF_KEYPOINTS`` SIFT keypoints (RootSIFT, PCA-64, int8) with their
  position, scale and orientation.  They find a work after cropping, rotation, padding,
  embedding in a collage and photographing at an angle, and give the matched region through a
  RANSAC homography.
* **global DCT hashes** - 256-bit perceptual hashes of the whole picture (and, for queries, of
  its 8 rotations/mirrors and of the picture with uniform borders trimmed).  They survive heavy
  blur, downscaling to 0.15x, JPEG q5 and colour changes, where keypoints become unreliable.

Queries are extracted with more keypoints and also carry the features of their mirror image
(derived from their own, see :func:`mirror_features`), so a flipped copy is found without making
reference fingerprints bigger.
"""

from __future__ import annotations

import math
import os
import struct
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from artrights.core.images import ImageRejected, load_image, to_rgb_array
from artrights.matching.descriptor import active_descriptor
from artrights.matching.vocabulary import get_vocabulary

__all__ = [
    "ENGINE_VERSION",
    "QUERY_KEYPOINTS",
    "REF_KEYPOINTS",
    "Fingerprint",
    "ImageRejected",
    "engine_id",
    "extract",
    "load_image",
    "mirror_features",
    "rootsift_features",
]

REF_KEYPOINTS = 512
QUERY_KEYPOINTS = 1500
_MAX_SIDE = 1024  # larger images add keypoints at scales no copy preserves
# References are described with their long side between REF_MIN_SIDE and REF_SIDE px, a coarser
# size than queries: SIFT's cost grows with the pixels, and the finest reference details are the
# first thing a copy loses anyway.  Small works (icons, thumbnails) are enlarged only to
# REF_MIN_SIDE: enlarged further, their keypoints drew more false matches (and cost more time).
# On the development set (half its references are under 384 px) the range 256-384 ranked copies
# better than enlarging small ones to 384 or 512 px or not at all (µAP 0.964 against 0.953, 0.957
# and 0.961) and fingerprints them twice as fast as 512; a 320 px ceiling lost 0.006.
REF_SIDE = 384
REF_MIN_SIDE = 256
# A reference with fewer keypoints than SPARSE_REF_KEYPOINTS at that size (clip art, line drawings, small
# icons: flat colour between thin lines) is described at 512-768 px instead, like a query: at 384 px a
# 734 px clip-art lime gave 16 keypoints and none of its copies was found.  On the scenes set (clip art
# and wallpapers) µAP 0.959 -> 0.973, padded copies 0.917 -> 1.000, photographed 0.917 -> 0.994; the
# other five sets moved by at most 0.002.
SPARSE_REF_KEYPOINTS = 64
SPARSE_REF_SIDE = 768
SPARSE_REF_MIN_SIDE = 512
# Raise it with any change that makes a fingerprint extracted now differ from one extracted before
# (working sizes, detector settings, hash layout): stored fingerprints of other versions are then
# extracted again by the worker (``artrights refingerprint``).  1: references enlarged to 512 px;
# 2: references described at 256-384 px; 3: sparse references described at 512-768 px.
ENGINE_VERSION = 3
_MIN_SIDE = 512  # small (downscaled) copies are upsampled so SIFT still finds coarse blobs
_MAGIC = b"ARF1"
_EMB_MAGIC = b"EMB1"
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
    # Queries only, not serialised: the box (x0, y0, x1, y1) of the query each hash covers, and its outline
    # (4 corners clockwise from the top-left: the box's own, or those of a picture seen at an angle).
    hash_boxes: np.ndarray | None = field(default=None, repr=False, compare=False)
    hash_outlines: np.ndarray | None = field(default=None, repr=False, compare=False)
    # (m, d) float16 embeddings from the operator's learned descriptor, if one is configured
    # (a reference: the image; a query: the image and its mirror).
    embedding: np.ndarray | None = field(default=None, repr=False, compare=False)
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
        head = struct.pack("<4sBBIIIH", _MAGIC, self.vocab_version, int(self.is_query), self.width, self.height, n, m)
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
                self._embedding_bytes(),
            ]
        )

    def _embedding_bytes(self) -> bytes:
        # An optional trailer, so fingerprints written without a descriptor stay readable and equal.
        if self.embedding is None:
            return b""
        emb = np.asarray(self.embedding, "<f2")
        return _EMB_MAGIC + struct.pack("<HI", *emb.shape) + emb.tobytes()

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
        embedding = None
        if off < len(raw):
            if take(4) != _EMB_MAGIC:
                raise ValueError("fingerprint has unknown trailing data")
            rows, dim = struct.unpack("<HI", take(6))
            embedding = np.frombuffer(take(2 * rows * dim), "<f2").reshape(rows, dim).copy()
        if off != len(raw):
            raise ValueError("fingerprint has unknown trailing data")
        fp = cls(w, h, qxy / 65535.0 * wh, sa, desc, mir, hashes, bool(isq), ver)
        fp.embedding = embedding
        return fp


def engine_id() -> str:
    """What a fingerprint extracted now is made with: the engine version, the vocabulary, and the
    operator's learned descriptor if one is configured (by the digest of its model file)."""
    eid = f"e{ENGINE_VERSION}.v{get_vocabulary().version}"
    descriptor = active_descriptor()
    if descriptor is not None:
        eid += f".onnx-{descriptor.digest[:16]}"
    return eid


def _gray(image: Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(image, Image.Image):
        arr = to_rgb_array(image)
    else:
        arr = np.asarray(image)
    if arr.ndim == 3:
        return cv2.cvtColor(np.ascontiguousarray(arr[:, :, :3]), cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(arr.astype(np.uint8))


def _working_scale(w: int, h: int, max_side: int, min_side: int) -> float:
    long_side = max(w, h)
    if long_side > max_side:
        return max_side / long_side
    if long_side < min_side:
        return min(min_side / long_side, 4.0)
    return 1.0


_SIFT_CACHE: dict[int, cv2.SIFT] = {}


def _sift(n: int) -> cv2.SIFT:
    if n not in _SIFT_CACHE:
        # A lower contrast threshold than Lowe's 0.04 keeps features on flat drawings and blurred
        # copies; the index's Hamming check and RANSAC reject the extra noise.
        _SIFT_CACHE[n] = cv2.SIFT.create(nfeatures=n, contrastThreshold=0.025)
    return _SIFT_CACHE[n]


def _detect(gray: np.ndarray, n: int) -> tuple[list[cv2.KeyPoint], np.ndarray]:
    kps, desc = _sift(n).detectAndCompute(gray, None)
    if desc is None or not kps:
        return [], np.zeros((0, 128), np.float32)
    # Strongest first (OpenCV may also return a few extra ties): an index can then keep a
    # prefix of a fingerprint's keypoints when memory is tight.
    order = np.argsort([-k.response for k in kps], kind="stable")[:n]
    return [kps[i] for i in order], desc[order]


MAX_CONTRAST_GAIN = 3.0


def _stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Spread the grey levels over the full range (up to 3x): SIFT's contrast threshold is
    absolute, so a faded or darkened copy would otherwise lose most of its keypoints."""
    lo, hi = np.percentile(gray[::4, ::4], [0.5, 99.5])
    if hi - lo >= 200 or hi <= lo:
        return gray
    gain = min(255.0 / (hi - lo), MAX_CONTRAST_GAIN)
    mid = (lo + hi) / 2.0
    out = (gray.astype(np.float32) - mid) * gain + 127.5
    # lo and hi come out of np.percentile untyped, and so does everything computed from them.
    stretched: np.ndarray = np.clip(out, 0, 255).astype(np.uint8)
    return stretched


def _rootsift(desc: np.ndarray) -> np.ndarray:
    d = desc.astype(np.float32)
    d /= d.sum(1, keepdims=True) + 1e-7
    return np.sqrt(d)


def _detect_at(
    gray: np.ndarray, max_side: int, min_side: int, max_keypoints: int
) -> tuple[float, list[cv2.KeyPoint], np.ndarray]:
    """(working scale, keypoints, SIFT descriptors) of a picture brought to its working size."""
    h, w = gray.shape
    s = _working_scale(w, h, max_side, min_side)
    if s != 1.0:
        interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, (max(1, round(w * s)), max(1, round(h * s))), interpolation=interp)
    kps, desc = _detect(_stretch_contrast(gray), max_keypoints)
    return s, kps, desc


def rootsift_features(
    image: Image.Image | np.ndarray,
    max_keypoints: int = REF_KEYPOINTS,
    query: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xy (n,2) in image pixels, RootSIFT (n,128), size/angle (n,2) float) of an image."""
    gray = _gray(image)
    if query:
        s, kps, desc = _detect_at(gray, _MAX_SIDE, _MIN_SIDE, max_keypoints)
    else:
        s, kps, desc = _detect_at(gray, REF_SIDE, REF_MIN_SIDE, max_keypoints)
        if len(kps) < SPARSE_REF_KEYPOINTS:
            s, kps, desc = _detect_at(gray, SPARSE_REF_SIDE, SPARSE_REF_MIN_SIDE, max_keypoints)
    if not kps:
        return np.zeros((0, 2), np.float32), desc, np.zeros((0, 2), np.float32)
    xy = np.array([k.pt for k in kps], np.float32) / s
    sa = np.array([[k.size / s, k.angle] for k in kps], np.float32)
    return xy, _rootsift(desc), sa


def mirror_features(xy: np.ndarray, rs: np.ndarray, sa: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The features SIFT finds in the mirror image, derived from those of the image itself.

    SIFT is mirror-covariant: the mirror image has the same keypoints (positions and scales, in the
    image's own coordinates), with angle 180 - a, and descriptors whose 4 x 4 grid is reflected across
    the keypoint's axis and whose 8 orientation bins run the other way.  Permuting the descriptors
    costs nothing; extracting the mirror image again cost half of a query's fingerprint, and on the
    development set found flipped copies as well (µAP 0.964 and 0.960 on two draws, against 0.964 and
    0.959)."""
    grid = rs.reshape(len(rs), 4, 4, 8)[:, ::-1, :, (-np.arange(8)) % 8]
    angle = (180.0 - sa[:, 1]) % 360.0
    return xy.copy(), np.ascontiguousarray(grid.reshape(len(rs), 128)), np.stack([sa[:, 0], angle], 1)


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


def _smoothed(gray: np.ndarray) -> np.ndarray:
    """The slightly blurred picture in which borders and gutters are judged flat or not."""
    return cv2.GaussianBlur(gray, (0, 0), 1.5).astype(np.float32)


def _trim_box(g: np.ndarray) -> tuple[int, int, int, int] | None:
    """Box (x0, y0, x1, y1) inside uniform (solid or blurred) borders - padding, letterboxing,
    frames - of a :func:`_smoothed` picture, or None if there are none."""
    h, w = g.shape
    # A row/column is "border" if it is nearly flat.
    rows = np.flatnonzero(g.std(1) >= _FLAT_STD)
    cols = np.flatnonzero(g.std(0) >= _FLAT_STD)
    if len(rows) < 16 or len(cols) < 16:
        return None
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    if (y1 - y0) * (x1 - x0) > 0.92 * h * w:
        return None
    return x0, y0, x1, y1


_FLAT_STD = 6.0
MAX_LAYOUT_CELLS = 16


def _runs(flags: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """Spans of False separated by runs of at least ``min_gap`` True (gutters)."""
    spans: list[tuple[int, int]] = []
    start, gap = None, 0
    for i, flat in enumerate(flags):
        if flat:
            gap += 1
            if start is not None and gap >= min_gap:
                spans.append((start, i - gap + 1))
                start = None
        else:
            if start is None:
                start = i
            gap = 0
    if start is not None:
        spans.append((start, len(flags) - gap))
    return spans


def layout_cells(gray: np.ndarray, smooth: np.ndarray | None = None) -> list[tuple[int, int, int, int]]:
    """Boxes of the pictures laid out on a page (a greyscale picture): the panels of a collage, the
    picture of a social-media post or of a shop page, separated by flat gutters (a recursive XY cut).
    A copy pasted into one panel cannot be found by hashing the whole page, but hashing the panel
    finds it.  ``smooth``: the :func:`_smoothed` picture, when the caller has it already."""
    h, w = gray.shape
    raw = gray.astype(np.float32)
    g = _smoothed(gray) if smooth is None else smooth
    # Gutters have the page's background colour, which its outer edge shows; a flat strip of
    # another tone is part of a picture (a sky, a dark margin of the artwork itself).  The edge is
    # read unblurred: blurring mixes a collage's 3 px outer gutter with the pictures inside it.
    background = float(np.median(np.concatenate([raw[0], raw[-1], raw[:, 0], raw[:, -1]])))
    boxes: list[tuple[int, int, int, int]] = []

    def flat(picture: np.ndarray, axis: int) -> np.ndarray:
        lines: np.ndarray = (picture.std(axis) < _FLAT_STD) & (np.abs(picture.mean(axis) - background) < 2 * _FLAT_STD)
        return lines

    def cut(x0: int, y0: int, x1: int, y1: int, horizontal: bool, depth: int) -> None:
        axis = 1 if horizontal else 0
        # The blurred picture finds gutters through JPEG noise; the raw one keeps a 2-3 px gutter
        # between collage panels, which blurring fills with the pictures on either side.
        flags = flat(g[y0:y1, x0:x1], axis) | flat(raw[y0:y1, x0:x1], axis)
        side = y1 - y0 if horizontal else x1 - x0
        # A gutter is at least 1/250 of the side (4 px of a 1,024 px page, 2 px of a smaller one): the
        # gap between a post's header and its picture is that narrow, and so are the gutters of tight
        # collages.  1/100 missed the first (µAP 0.964 -> 0.966 on the development set); 1/160 on the
        # blurred picture alone missed the second (embedded copies 0.800 -> 1.000 on the games set,
        # µAP 0.949 -> 0.958; scenes 0.954 -> 0.959; no set lost).
        spans = _runs(flags, max(2, side // 250))
        if len(spans) == 1 and spans[0][1] - spans[0][0] < 0.98 * side:
            a, b = spans[0]  # trimmed a margin only: cut the other way inside it
            box = (x0, y0 + a, x1, y0 + b) if horizontal else (x0 + a, y0, x0 + b, y1)
            if depth < 4:
                cut(*box, not horizontal, depth + 1)
            return
        for a, b in spans if len(spans) > 1 else []:
            box = (x0, y0 + a, x1, y0 + b) if horizontal else (x0 + a, y0, x0 + b, y1)
            bw, bh = box[2] - box[0], box[3] - box[1]
            if bw < 24 or bh < 24 or bw * bh < 0.02 * w * h:
                continue
            boxes.append(box)
            if depth < 4:
                cut(*box, not horizontal, depth + 1)

    cut(0, 0, w, h, True, 0)
    cut(0, 0, w, h, False, 0)
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(set(boxes), key=lambda b: -(b[2] - b[0]) * (b[3] - b[1])):
        if all(_overlap(box, k) < 0.85 for k in kept):  # the same panel found from two sides
            kept.append(box)
    return kept[:MAX_LAYOUT_CELLS]


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of two boxes."""
    iw = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


# A query's first hashes are of the whole picture in its 8 rotations and mirrors; the rest are of the
# parts laid out on it (the borderless part, collage panels, pictures seen at an angle), each as is and mirrored.
# The pictures seen at an angle (picture_quads, hashed upright) took µAP on the six development sets from
# 0.970/0.956/0.984/0.980/0.982/0.973 to 0.974/0.962/0.985/0.980/0.982/0.983 (rotated copies on the scenes set
# 0.923 -> 1.000, perspective on the default set 0.986 -> 1.000); no set lost, no wrong pair above 0.999.
WHOLE_QUERY_HASHES = 8
MAX_PICTURE_QUADS = 3
RECTIFIED_SIDE = 256


def _clockwise_from_top_left(quad: np.ndarray) -> np.ndarray:
    """The 4 corners of a convex quadrilateral, clockwise (on screen) from the one nearest the top-left."""
    q = quad.reshape(4, 2).astype(np.float32)
    q = np.roll(q, -int(np.argmin(q.sum(1))), axis=0)
    a, b = q[1] - q[0], q[3] - q[0]
    if a[0] * b[1] - a[1] * b[0] < 0:
        q = q[[0, 3, 2, 1]]
    return q


def _edges(picture: np.ndarray) -> np.ndarray:
    """Strong edges of a picture (greyscale or colour, any channel), thickened by a pixel so that an
    outline broken by noise still closes."""
    channels = [picture] if picture.ndim == 2 else [picture[:, :, c] for c in range(picture.shape[2])]
    edges = np.zeros(picture.shape[:2], np.uint8)
    for channel in channels:
        edges |= cv2.Canny(np.clip(channel, 0, 255).astype(np.uint8), 30, 90)
    thick: np.ndarray = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    return thick


def _foreground(smooth: np.ndarray) -> list[np.ndarray]:
    """The points of the largest part of a page that stands out from the colour of its edge (a picture on a
    wall or on a plain page), whose outline edges can miss where the picture is as dark as the wall; none when
    the edge itself is busy."""
    h, w = smooth.shape[:2]
    picture = smooth if smooth.ndim == 3 else smooth[:, :, None]
    edge = np.concatenate([picture[0], picture[-1], picture[:, 0], picture[:, -1]])
    background = np.median(edge, axis=0)
    noise = float(np.median(np.abs(edge - background), axis=0).max())
    mask = (np.abs(picture - background).max(axis=2) > max(24.0, 4 * noise)).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return []
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[largest, cv2.CC_STAT_AREA] < 0.1 * w * h:
        return []
    ys, xs = np.nonzero(labels == largest)
    return [np.column_stack([xs, ys]).astype(np.int32)]


def picture_quads(smooth: np.ndarray) -> list[np.ndarray]:
    """Corners (4 x 2, clockwise from the top-left) of the pictures a page shows at an angle: a painting
    photographed on a wall, a print on a tilted product, a picture rotated on a page.  They are the convex
    four-sided outlines of strong edges covering at least a tenth of the page, largest first; a plain
    axis-aligned box is left out (the layout's cells hash it already).  Keypoints find such copies when
    the picture has texture; a blurred or flat painting has too few, and only its rectified hash finds it.
    ``smooth``: the slightly blurred page, in colour when there is colour (an orange mount on a grey
    wall can have the wall's brightness)."""
    h, w = smooth.shape[:2]
    contours, _ = cv2.findContours(_edges(smooth), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[float, np.ndarray]] = []
    for contour in [*contours, *_foreground(smooth)]:
        hull = cv2.convexHull(contour)
        area = float(cv2.contourArea(hull))
        if area < 0.1 * w * h:
            continue
        corners = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True)
        if len(corners) != 4:
            continue
        quad = _clockwise_from_top_left(corners)
        x0, y0 = quad.min(0)
        x1, y1 = quad.max(0)
        if area > 0.97 * (x1 - x0) * (y1 - y0):
            continue  # an upright box
        if any(np.abs(quad - q).max() < 0.02 * max(w, h) for _, q in found):
            continue  # the same outline traced on both sides of its edge
        found.append((area, quad))
    found.sort(key=lambda aq: -aq[0])
    return [q for _, q in found[:MAX_PICTURE_QUADS]]


def _rectified(gray: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The picture inside ``quad`` warped back to an upright square (the reference's hash ignores its aspect),
    and the homography from the square back onto the page."""
    side = RECTIFIED_SIDE - 1
    square = np.array([[0, 0], [side, 0], [side, side], [0, side]], np.float32)
    warp = cv2.getPerspectiveTransform(quad.astype(np.float32), square)
    upright: np.ndarray = cv2.warpPerspective(gray, warp, (RECTIFIED_SIDE, RECTIFIED_SIDE), flags=cv2.INTER_LINEAR)
    return upright, np.linalg.inv(warp)


def _box_outline(box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def global_hashes(
    gray: np.ndarray, query: bool, colour: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """DCT hashes and, per hash, the box of the image it covers (x0, y0, x1, y1) and its outline (4 x 2
    corners).  A reference has one; a query also has its 8 rotations/mirrors and the hashes (and mirrors)
    of its borderless part, of the pictures laid out on it and of those it shows at an angle, upright
    (their outlines are found in ``colour``, the RGB picture, when given)."""
    h, w = gray.shape
    full = (0, 0, w, h)
    t = _thumb(gray)
    if not query:
        return dct_hash(t)[None], np.array([full], np.int32), _box_outline(full)[None]
    variants, boxes, outlines = [], [], []
    for k in range(WHOLE_QUERY_HASHES // 2):
        r = np.rot90(t, k)
        variants.append(dct_hash(np.ascontiguousarray(r)))
        variants.append(dct_hash(np.ascontiguousarray(r[:, ::-1])))
        boxes += [full, full]
        outlines += [_box_outline(full)] * 2
    # The page layout is read at most at query working size: a 20,000-pixel poster has no
    # gutter that a 1,024-pixel copy of it would not show, and blurring it whole costs seconds.
    scale = min(1.0, _MAX_SIDE / max(h, w))
    small = (
        gray
        if scale == 1.0
        else cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    )
    smooth = _smoothed(small)
    trimmed = _trim_box(smooth)
    parts = ([trimmed] if trimmed else []) + [b for b in layout_cells(small, smooth) if b != trimmed]
    thumbs = []
    for box in parts:
        x0, y0, x1, y1 = (min(round(v / scale), side) for v, side in zip(box, (w, h, w, h), strict=True))
        thumbs.append(((x0, y0, x1, y1), _box_outline((x0, y0, x1, y1)), _thumb(gray[y0:y1, x0:x1])))
    # A picture seen at an angle is hashed upright, and so is the part of it inside a mount or a border
    # (a padded painting photographed on a wall).
    edge_picture = smooth
    if colour is not None and colour.ndim == 3:
        small_colour = colour if scale == 1.0 else cv2.resize(colour, small.shape[::-1], interpolation=cv2.INTER_AREA)
        edge_picture = _smoothed(small_colour)
    for quad in picture_quads(edge_picture):
        upright, to_page = _rectified(small, quad)
        thumbs.append((_bounding_box(quad / scale, w, h), quad / scale, _thumb(upright)))
        inner = _trim_box(_smoothed(upright))
        if inner:
            # the part inside the mount, mapped back onto the page
            corners = cv2.perspectiveTransform(_box_outline(inner).reshape(-1, 1, 2), to_page).reshape(4, 2) / scale
            thumbs.append(
                (_bounding_box(corners, w, h), corners, _thumb(upright[inner[1] : inner[3], inner[0] : inner[2]]))
            )
    for box, outline, tt in thumbs:
        variants.append(dct_hash(tt))
        variants.append(dct_hash(np.ascontiguousarray(tt[:, ::-1])))
        boxes += [box] * 2
        outlines += [np.asarray(outline, np.float32)] * 2
    return np.stack(variants), np.array(boxes, np.int32), np.stack(outlines)


def _bounding_box(corners: np.ndarray, w: int, h: int) -> tuple[int, int, int, int]:
    """The box (x0, y0, x1, y1) around ``corners``, inside a ``w`` x ``h`` picture."""
    x0, y0 = np.floor(corners.min(0))
    x1, y1 = np.ceil(corners.max(0))
    return max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1))


def extract(image: Image.Image | np.ndarray | bytes | str | os.PathLike[str], *, query: bool = False) -> Fingerprint:
    """Fingerprint an image.  ``query=True`` for suspect images: more keypoints, mirrored
    keypoints and rotated/mirrored/trimmed hashes (the reference side stays small)."""
    if isinstance(image, bytes | str | os.PathLike):
        image = load_image(image)
    image = _within_prepared_side(image)
    gray = _gray(image)
    h, w = gray.shape
    vocab = get_vocabulary()
    n = QUERY_KEYPOINTS if query else REF_KEYPOINTS
    parts = [rootsift_features(gray, n, query=query)]
    if query:
        parts.append(mirror_features(*parts[0]))
    xy = np.concatenate([p[0] for p in parts]).astype(np.float32)
    rs = np.concatenate([p[1] for p in parts])
    sa = np.concatenate([p[2] for p in parts])
    mirrored = np.concatenate([np.full(len(p[0]), i == 1) for i, p in enumerate(parts)]).astype(bool)
    desc = vocab.project(rs) if len(rs) else np.zeros((0, 64), np.int8)
    descriptor = active_descriptor()
    # Colour is read only where it is used: a query's outlines and a learned descriptor (not a reference's hash).
    rgb: np.ndarray | None = None
    if query or descriptor is not None:
        rgb = to_rgb_array(image) if isinstance(image, Image.Image) else np.asarray(image)
    hashes, hash_boxes, hash_outlines = global_hashes(gray, query, rgb)
    embedding = None
    if descriptor is not None and rgb is not None:
        views = [rgb, rgb[:, ::-1]] if query else [rgb]
        embedding = np.stack([descriptor.embed(v) for v in views]).astype(np.float16)
    return Fingerprint(
        width=w,
        height=h,
        xy=xy,
        size_angle=_quantise_size_angle(sa),
        desc=desc,
        mirrored=mirrored,
        hashes=hashes,
        is_query=query,
        vocab_version=vocab.version,
        thumb=query_thumb(gray) if query else None,
        hash_boxes=hash_boxes if query else None,
        hash_outlines=hash_outlines if query else None,
        embedding=embedding,
    )


THUMB_SIDE = 384
# Nothing in a fingerprint looks finer than the 1,024-pixel working side: a larger picture is first reduced by an
# integer factor to at most twice that (a box filter, as cheap in memory as the decoded picture itself), so a
# 79-megapixel upload is never held as full-size arrays. All coordinates are then those of the reduced picture,
# which every consumer normalises by the fingerprint's width and height.
PREPARED_SIDE = 2 * _MAX_SIDE


def _within_prepared_side(image: Image.Image | np.ndarray) -> Image.Image | np.ndarray:
    if not isinstance(image, Image.Image) or max(image.size) <= PREPARED_SIDE:
        return image
    factor = math.ceil(max(image.size) / PREPARED_SIDE)
    return image.reduce(factor)


def query_thumb(gray: np.ndarray) -> np.ndarray:
    h, w = gray.shape
    s = min(1.0, THUMB_SIDE / max(h, w))
    if s < 1.0:
        gray = cv2.resize(gray, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(gray)
