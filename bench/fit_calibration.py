"""Fit the score calibration (``CALIBRATION`` in src/artrights/matching/scoring.py) on some development
sets and show how it holds on others (prints; not a test).

Reads the evidence that ``bench/bench_matching_accuracy.py --out DIR`` keeps beside each set's predictions
(DIR/<set>/evidence_engine.csv), rebuilds each pair's features with the engine's own ``score_features``
(log of the total evidence, the global and the region hash evidence, the explained area), fits
``sigmoid(w . features + offset)`` by logistic regression on the --fit sets with every weight kept
positive (more evidence never lowers a score) - and, for matches without geometry, a calibration of their
global hash evidence alone - and prints, for every set, µAP, recall@P90, the P90
threshold and the precision at 0.5 and 0.9 with the fitted scores.  Fit on sets the report does not use
(leave-sources-out): a calibration fitted on the reported set says nothing.  ``--loso`` also prints, for
each --fit set, what a calibration fitted on the other --fit sets gives on it.

Usage:
  python bench/fit_calibration.py --out DIR --sets /work/benchsets/games,/work/benchsets/pysio,... \\
      --fit games,pysio,walls [--loso] [--bench /work/shared/bench]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

import numpy as np

from artrights.matching.scoring import score_features, without_geometry

Loaded = tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]


def load(path: Path, gt: dict[str, str]) -> Loaded:
    """(query, reference) keys, features, whether each pair is right, whether it is a match without geometry."""
    keys, feats, y, bare = [], [], [], []
    with open(path) as f:
        for r in csv.DictReader(f):
            bare.append(without_geometry(float(r["weighted_inliers"]), int(float(r["region_distance"]))))
            feats.append(
                score_features(
                    float(r["weighted_inliers"]),
                    int(float(r["hash_distance"])),
                    int(float(r["region_distance"])),
                    float(r["area_explained"]),
                )
            )
            keys.append((r["query_id"], r["reference_id"]))
            y.append(gt.get(r["query_id"], "") == r["reference_id"])
    return keys, np.array(feats), np.array(y, float), np.array(bare, bool)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    """Logistic regression of y on x by Newton's method; a feature whose weight comes out negative is
    dropped and the rest refitted, so the score stays increasing in every feature."""
    keep = np.ones(x.shape[1], bool)
    while True:
        a = np.c_[x[:, keep], np.ones(len(x))]
        w = np.zeros(a.shape[1])
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -50, 50)))
            hess = (a * (p * (1 - p))[:, None]).T @ a + l2 * np.eye(a.shape[1])
            w -= np.linalg.solve(hess, a.T @ (p - y) + l2 * w)
        if (w[:-1] >= 0).all():
            full = np.zeros(x.shape[1] + 1)
            full[np.r_[keep, True]] = w
            return full
        keep[np.flatnonzero(keep)[np.argmin(w[:-1])]] = False


def line(
    S: Any, name: str, tag: str, gt: dict[str, str], keys: list[tuple[str, str]], s: np.ndarray, y: np.ndarray
) -> str:
    m = S.evaluate(gt, [(q, r, float(v)) for (q, r), v in zip(keys, s, strict=True)])

    def precision(t: float) -> str:
        above = s >= t
        return f"{y[above].mean():.3f}" if above.any() else "n/a"

    return (
        f"{name:12s} {tag:5s} µAP {m['uAP']:.3f} recall@P90 {m['recall_at_p90'] or 0:.3f} at "
        f"{m['threshold_at_p90'] or 0:.3f}; precision at 0.5 {precision(0.5)}, at 0.9 {precision(0.9)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the --out folder of bench_matching_accuracy.py")
    ap.add_argument("--sets", required=True, help="comma list of development set folders")
    ap.add_argument("--fit", required=True, help="comma list of set names (folder names) to fit on")
    ap.add_argument("--loso", action="store_true", help="also score each --fit set with a fit on the others")
    ap.add_argument("--bench", default="/work/shared/bench")
    a = ap.parse_args()
    sys.path.insert(0, a.bench)
    import score as S  # the benchmark's scorer

    data = {}
    for d in (Path(s) for s in a.sets.split(",")):
        gt = S.read_gt(str(d / "gt.csv"))
        data[d.name] = (gt, *load(Path(a.out) / d.name / "evidence_engine.csv", gt))

    def fitted(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(CALIBRATION, GLOBAL_CALIBRATION) fitted on the named sets."""
        x = np.concatenate([data[n][2] for n in names])
        y = np.concatenate([data[n][3] for n in names])
        bare = np.concatenate([data[n][4] for n in names])
        return fit(x[~bare], y[~bare]), fit(x[bare][:, [1]], y[bare])

    def scores(w: tuple[np.ndarray, np.ndarray], x: np.ndarray, bare: np.ndarray) -> np.ndarray:
        local, glob = w
        z = np.where(bare, x[:, 1] * glob[0] + glob[1], x @ local[:-1] + local[-1])
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    fit_on = a.fit.split(",")
    w = fitted(fit_on)
    print(f"CALIBRATION = ({', '.join(f'{v:.3f}' for v in w[0])})  # fitted on {', '.join(fit_on)}")
    print(f"GLOBAL_CALIBRATION = ({', '.join(f'{v:.3f}' for v in w[1])})")
    for name, (gt, keys, x, y, bare) in data.items():
        print(line(S, name, "fit" if name in fit_on else "held", gt, keys, scores(w, x, bare), y))
    if a.loso:
        print("leave one set out:")
        for name in fit_on:
            gt, keys, x, y, bare = data[name]
            others = fitted([n for n in fit_on if n != name])
            print(line(S, name, "held", gt, keys, scores(others, x, bare), y))


if __name__ == "__main__":
    main()
