"""Folder-to-folder matching that writes DISC21 predictions (used by ``artrights match``)."""

from __future__ import annotations

import csv
import multiprocessing as mp
import os
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from artrights.core.images import ImageRejected, load_image
from artrights.matching.fingerprint import Fingerprint, extract
from artrights.matching.index import MAX_REF_KEYPOINTS, MatchIndex

__all__ = ["IMAGE_SUFFIXES", "fingerprint_folder", "match_folders"]

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}

_INDEX: MatchIndex | None = None  # inherited by forked workers; never pickled


def _images(folder: str | Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def _fp_job(args: tuple[str, bool]) -> tuple[str, bytes | None, str | None]:
    path, query = args
    try:
        return path, extract(load_image(path), query=query).to_bytes(), None
    except ImageRejected as exc:
        return path, None, exc.code


def _search_job(args: tuple[str, int, float]) -> tuple[str, list[tuple[str, float]], str | None]:
    path, k, min_score = args
    assert _INDEX is not None
    try:
        fp = extract(load_image(path), query=True)
    except ImageRejected as exc:
        return path, [], exc.code
    return path, [(m.ref_id, m.score) for m in _INDEX.search(fp, k=k, min_score=min_score)], None


def _pool(workers: int) -> mp.pool.Pool | None:
    if workers <= 1:
        return None
    return mp.get_context("fork").Pool(workers)


def fingerprint_folder(
    folder: str | Path, *, query: bool = False, progress: bool = True, workers: int = 2
) -> Iterator[tuple[str, Fingerprint]]:
    """Yield (file stem, fingerprint) for every readable image; unreadable files are skipped."""
    jobs = [(str(p), query) for p in _images(folder)]
    pool = _pool(workers)
    it = pool.imap(_fp_job, jobs, chunksize=4) if pool else map(_fp_job, jobs)
    try:
        for path, raw, _err in tqdm(it, total=len(jobs), disable=not progress, desc=f"fingerprint {folder}"):
            if raw is not None:
                yield Path(path).stem, Fingerprint.from_bytes(raw)
    finally:
        if pool:
            pool.close()
            pool.join()


def match_folders(
    references_dir: str | Path,
    queries_dir: str | Path,
    out_csv: str | Path,
    *,
    progress: bool = True,
    workers: int = 2,
    k: int = 10,
    min_score: float = 0.0,
    max_keypoints_per_ref: int = MAX_REF_KEYPOINTS,
) -> int:
    """Index every image of ``references_dir``, search every image of ``queries_dir`` and write
    ``query_id,reference_id,score`` rows (ids = file names without extension).  Returns the
    number of rows written."""
    global _INDEX
    index = MatchIndex(max_keypoints_per_ref=max_keypoints_per_ref)
    for ref_id, fp in fingerprint_folder(references_dir, progress=progress, workers=workers):
        index.add(ref_id, fp)
    index._merge()  # one merge before forking so workers share the pages read-only
    _INDEX = index
    jobs = [(str(p), k, min_score) for p in _images(queries_dir)]
    pool = _pool(workers)
    rows = 0
    try:
        it = pool.imap(_search_job, jobs, chunksize=2) if pool else map(_search_job, jobs)
        tmp = Path(str(out_csv) + ".part")
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["query_id", "reference_id", "score"])
            for path, matches, _err in tqdm(it, total=len(jobs), disable=not progress, desc="search"):
                for ref_id, score in matches:
                    # full precision: strong matches differ only far behind the decimal point
                    w.writerow([Path(path).stem, ref_id, repr(float(score))])
                    rows += 1
        os.replace(tmp, out_csv)
    finally:
        if pool:
            pool.close()
            pool.join()
        _INDEX = None
    return rows
