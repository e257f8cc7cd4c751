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
from artrights.matching.index import MAX_REF_KEYPOINTS, Match, MatchIndex
from artrights.matching.scoring import matched_areas, polygon_area

__all__ = ["EVIDENCE_COLUMNS", "IMAGE_SUFFIXES", "fingerprint_folder", "match_folders"]

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


EVIDENCE_COLUMNS = [
    "query_id",
    "reference_id",
    "score",
    "inliers",
    "weighted_inliers",
    "hash_distance",
    "region_distance",
    "area_explained",
    "query_area",
    "reference_area",
]


def _evidence(m: Match, fp: Fingerprint, ref_size: tuple[float, float]) -> tuple[float, ...]:
    """What a match rests on, for offline calibration: its score, inliers (as counted and as weighed),
    hash distances, the explained area, and the fractions of the query and of the reference that the
    homography says are matched (0 without one)."""
    qa = ra = 0.0
    if m.homography is not None:
        in_q, in_r = matched_areas(m.homography, ref_size, (fp.width, fp.height), m.panel)
        qa = polygon_area(in_q) / max(1.0, float(fp.width * fp.height))
        ra = polygon_area(in_r) / max(1.0, float(ref_size[0] * ref_size[1]))
    return (
        m.score,
        m.inliers,
        m.weighted_inliers,
        m.hash_distance,
        m.region_distance,
        m.area_explained,
        qa,
        ra,
    )


def _search_job(args: tuple[str, int, float]) -> tuple[str, list[tuple[str, tuple[float, ...]]], str | None]:
    path, k, min_score = args
    assert _INDEX is not None
    try:
        fp = extract(load_image(path), query=True)
    except ImageRejected as exc:
        return path, [], exc.code
    found = _INDEX.search(fp, k=k, min_score=min_score)
    return path, [(m.ref_id, _evidence(m, fp, _INDEX.size_of(m.ref_id))) for m in found], None


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
    evidence_csv: str | Path | None = None,
    explain_away: bool = True,
) -> int:
    """Index every image of ``references_dir``, search every image of ``queries_dir`` and write
    ``query_id,reference_id,score`` rows (ids = file names without extension).  Returns the
    number of rows written.  ``evidence_csv``: also write what each row rests on
    (:data:`EVIDENCE_COLUMNS`), to fit a calibration offline.  ``explain_away``: see
    :class:`~artrights.matching.index.MatchIndex`."""
    global _INDEX
    index = MatchIndex(max_keypoints_per_ref=max_keypoints_per_ref, explain_away=explain_away)
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
        ev = open(evidence_csv, "w", newline="") if evidence_csv else None
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["query_id", "reference_id", "score"])
            if ev:
                csv.writer(ev).writerow(EVIDENCE_COLUMNS)
            for path, matches, _err in tqdm(it, total=len(jobs), disable=not progress, desc="search"):
                for ref_id, evidence in matches:
                    # full precision: strong matches differ only far behind the decimal point
                    w.writerow([Path(path).stem, ref_id, repr(float(evidence[0]))])
                    if ev:
                        csv.writer(ev).writerow([Path(path).stem, ref_id, *(repr(float(x)) for x in evidence)])
                    rows += 1
        if ev:
            ev.close()
        os.replace(tmp, out_csv)
    finally:
        if pool:
            pool.close()
            pool.join()
        _INDEX = None
    return rows
