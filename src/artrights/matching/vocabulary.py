"""The fixed visual vocabulary that turns RootSIFT descriptors into index keys.

It holds a PCA (128 -> 64), two 256-word codebooks over the even/odd PCA dimensions (an inverted
multi-index of 65,536 cells) and the per-dimension medians used for 64-bit Hamming-embedding
codes.  It is learnt once from generic *non-reference* images (the benchmark's train split); it
never sees the registered works, so it applies to any collection.

It ships as package data, ``vocabulary-v<VOCABULARY_VERSION>.npz`` beside this module, whose
SHA-256 is pinned in ``VOCABULARY_SHA256``: a missing or altered file is refused rather than
silently turning every search into noise.  Regenerate with
``python -m artrights.matching.vocabulary DIR [--version N]``: it writes the file for the next
version and prints the two constants to pin here.
"""

from __future__ import annotations

import argparse
import hashlib
import io
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "VOCABULARY_SHA256",
    "VOCABULARY_VERSION",
    "Vocabulary",
    "VocabularyError",
    "get_vocabulary",
    "load_vocabulary",
    "train_vocabulary",
    "vocabulary_file",
]

# The shipped vocabulary.  Another vocabulary needs another version: fingerprints store PCA
# coordinates and the engine id (which includes this version) tells the worker to re-extract them.
VOCABULARY_VERSION = 1
VOCABULARY_SHA256 = "ed17a2d19bfdd0ac8e5ea5e72adbd24df5ae96136cd73b6db092ece87574a0fc"

PCA_DIMS = 64
WORDS = 256  # per half; 256 * 256 cells
# int8 storage of PCA coordinates: RootSIFT PCA coordinates stay within about +-0.8.
INT8_SCALE = 127.0 / 0.8


@dataclass(frozen=True)
class Vocabulary:
    mean: np.ndarray  # (128,) float32
    pca: np.ndarray  # (128, 64) float32
    codebook_a: np.ndarray  # (256, 32) over even PCA dims
    codebook_b: np.ndarray  # (256, 32) over odd PCA dims
    medians: np.ndarray  # (64,) thresholds of the Hamming-embedding bits
    version: int = 1
    # "Stop words": cells that hold >40x their share of descriptors in the training images
    # (flat patches, star dots).  Fixed here, not derived from an index, so that every shard
    # skips the same cells and scores stay comparable.
    stop_cells: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    def project(self, rootsift: np.ndarray) -> np.ndarray:
        """RootSIFT (n,128) float -> int8 PCA coordinates (n,64) (what fingerprints store)."""
        z = (rootsift.astype(np.float32) - self.mean) @ self.pca
        q: np.ndarray = np.clip(np.rint(z * INT8_SCALE), -127, 127).astype(np.int8)
        return q

    def cells_and_codes(self, q: np.ndarray, probes: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """int8 PCA coordinates -> (cells (n, probes*probes) int32, codes (n,) uint64).

        With ``probes`` > 1 each half also returns its next-nearest words, so a descriptor
        near a cell border is still found (multi-probe; used for queries only).
        """
        z = q.astype(np.float32) / INT8_SCALE
        da = _sqdist(z[:, 0::2], self.codebook_a)
        db = _sqdist(z[:, 1::2], self.codebook_b)
        if probes == 1:
            wa = da.argmin(1)[:, None]
            wb = db.argmin(1)[:, None]
        else:
            wa = np.argsort(da, axis=1)[:, :probes]
            wb = np.argsort(db, axis=1)[:, :probes]
        n, width = len(q), wa.shape[1] * wb.shape[1]
        cells = (wa[:, :, None] * WORDS + wb[:, None, :]).reshape(n, width)
        if width > 1:
            # nearest cells first (by the summed distance of both halves): a caller can probe a prefix
            da_, db_ = np.take_along_axis(da, wa, 1), np.take_along_axis(db, wb, 1)
            dist = (da_[:, :, None] + db_[:, None, :]).reshape(n, width)
            cells = np.take_along_axis(cells, np.argsort(dist, axis=1, kind="stable"), 1)
        cells = cells.astype(np.int32)
        bits = (z > self.medians).astype(np.uint8)
        codes = np.packbits(bits, axis=1, bitorder="little").view("<u8").reshape(-1)
        return cells, codes.astype(np.uint64)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            mean=self.mean,
            pca=self.pca,
            codebook_a=self.codebook_a,
            codebook_b=self.codebook_b,
            medians=self.medians,
            version=np.array([self.version]),
            stop_cells=self.stop_cells,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Vocabulary:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            return cls(
                mean=z["mean"].astype(np.float32),
                pca=z["pca"].astype(np.float32),
                codebook_a=z["codebook_a"].astype(np.float32),
                codebook_b=z["codebook_b"].astype(np.float32),
                medians=z["medians"].astype(np.float32),
                version=int(z["version"][0]),
                stop_cells=z["stop_cells"].astype(np.int32) if "stop_cells" in z else np.zeros(0, np.int32),
            )


class VocabularyError(RuntimeError):
    """The vocabulary file is missing or not the one pinned: the install is broken."""


def _sqdist(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    d: np.ndarray = (x * x).sum(1)[:, None] - 2.0 * x @ c.T + (c * c).sum(1)[None, :]
    return d


def _kmeans(x: np.ndarray, k: int, iters: int = 25, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iters):
        a = _sqdist(x, c).argmin(1)
        for j in range(k):
            m = a == j
            if m.any():
                c[j] = x[m].mean(0)
            else:  # re-seed dead words on a random point
                c[j] = x[rng.integers(len(x))]
    return c.astype(np.float32)


def train_vocabulary(rootsift: np.ndarray, seed: int = 0) -> Vocabulary:
    """Learn the vocabulary from RootSIFT descriptors of generic images (stop cells included)."""
    x = rootsift.astype(np.float32)
    mean = x.mean(0)
    cov = np.cov((x - mean).T)
    evals, evecs = np.linalg.eigh(cov)
    pca = evecs[:, np.argsort(evals)[::-1][:PCA_DIMS]].astype(np.float32)
    z = (x - mean) @ pca
    rng = np.random.default_rng(seed)
    sample = z[rng.choice(len(z), min(len(z), 200_000), replace=False)]
    ca = _kmeans(sample[:, 0::2], WORDS, seed=seed)
    cb = _kmeans(sample[:, 1::2], WORDS, seed=seed + 1)
    medians = np.median(z, axis=0).astype(np.float32)
    voc = Vocabulary(mean=mean.astype(np.float32), pca=pca, codebook_a=ca, codebook_b=cb, medians=medians)
    return with_stop_cells(voc, voc.cells_and_codes(voc.project(x))[0][:, 0])


def with_stop_cells(voc: Vocabulary, cells: np.ndarray, factor: float = 40.0) -> Vocabulary:
    counts = np.bincount(cells, minlength=WORDS * WORDS)
    stop = np.flatnonzero(counts > factor * counts.mean()).astype(np.int32)
    return replace(voc, stop_cells=stop)


def vocabulary_file(version: int = VOCABULARY_VERSION) -> Path:
    return Path(__file__).with_name(f"vocabulary-v{version}.npz")


def load_vocabulary(path: Path, *, sha256: str) -> Vocabulary:
    """The vocabulary in ``path``, if the file's SHA-256 is ``sha256``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VocabularyError(
            f"视觉词表文件缺失：{path}（安装不完整，请重新安装 artrights）/ "
            f"the visual vocabulary file is missing: {path} (incomplete install: reinstall artrights)"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise VocabularyError(
            f"视觉词表文件已被改动：{path} 的 SHA-256 为 {digest}，应为 {sha256}（请重新安装 artrights）/ "
            f"the visual vocabulary file was altered: the SHA-256 of {path} is {digest}, expected {sha256} "
            "(reinstall artrights; a regenerated vocabulary needs its hash pinned in vocabulary.py)"
        )
    # The bytes that were checked are the bytes loaded: the file is read once.
    return Vocabulary.from_bytes(raw)


@lru_cache(maxsize=1)
def get_vocabulary() -> Vocabulary:
    return load_vocabulary(vocabulary_file(), sha256=VOCABULARY_SHA256)


def _main(argv: list[str] | None = None) -> None:  # pragma: no cover - offline tool
    from artrights.core.images import load_image
    from artrights.matching.fingerprint import rootsift_features

    ap = argparse.ArgumentParser(description="learn the visual vocabulary from the images in DIR")
    ap.add_argument("dir", type=Path, help="generic images, none of them a registered work")
    ap.add_argument("--version", type=int, default=VOCABULARY_VERSION + 1, help="default: the next version")
    a = ap.parse_args(argv)
    descs = []
    for p in sorted(a.dir.iterdir()):
        try:
            im = load_image(p)
        except Exception:
            continue
        descs.append(rootsift_features(im, max_keypoints=1500, query=True)[1])
    voc = replace(train_vocabulary(np.concatenate(descs)), version=a.version)
    out = vocabulary_file(voc.version)
    raw = voc.to_bytes()
    out.write_bytes(raw)
    print(f"{sum(len(d) for d in descs)} descriptors from {len(descs)} images")
    print(f"wrote {out} ({len(raw)} bytes); pin in vocabulary.py (and remove the file of the old version):")
    print(f"VOCABULARY_VERSION = {voc.version}")
    print(f'VOCABULARY_SHA256 = "{hashlib.sha256(raw).hexdigest()}"')


if __name__ == "__main__":  # pragma: no cover
    _main()
