"""Fit the score calibration (``CALIBRATION`` in src/artrights/matching/scoring.py) on some development
sets and show how it holds on others (prints; not a test).

Reads the evidence that ``bench/bench_matching_accuracy.py --out DIR`` keeps beside each set's predictions
(DIR/<set>/evidence_engine.csv), rebuilds each pair's total evidence L from its inliers and hash distances,
fits ``sigmoid(slope * log L + offset)`` by logistic regression on the --fit sets, and prints, for every set,
µAP, recall@P90, the P90 threshold and the precision at 0.5 with the fitted scores.  Fit on sets the report
does not use (leave-sources-out): a calibration fitted on the reported set says nothing.

Usage:
  python bench/fit_calibration.py --out DIR --sets /work/benchsets/stellarium,/work/benchsets/games,... \\
      --fit stellarium,pysiogame [--bench /work/shared/bench]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

from artrights.matching.scoring import evidence


def load(path: Path, gt: dict[str, str]) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    keys, logl, y = [], [], []
    with open(path) as f:
        for r in csv.DictReader(f):
            ev = evidence(int(float(r["inliers"])), int(float(r["hash_distance"])), int(float(r["region_distance"])), 0)
            keys.append((r["query_id"], r["reference_id"]))
            logl.append(math.log(max(ev, 1e-300)))
            y.append(gt.get(r["query_id"], "") == r["reference_id"])
    return keys, np.array(logl), np.array(y, float)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> tuple[float, float]:
    """Logistic regression of y on x by Newton's method."""
    a = np.c_[x, np.ones(len(x))]
    w = np.zeros(2)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(a @ w)))
        hess = (a * (p * (1 - p))[:, None]).T @ a + l2 * np.eye(2)
        w -= np.linalg.solve(hess, a.T @ (p - y) + l2 * w)
    return float(w[0]), float(w[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the --out folder of bench_matching_accuracy.py")
    ap.add_argument("--sets", required=True, help="comma list of development set folders")
    ap.add_argument("--fit", required=True, help="comma list of set names (folder names) to fit on")
    ap.add_argument("--bench", default="/work/shared/bench")
    a = ap.parse_args()
    sys.path.insert(0, a.bench)
    import score as S  # the benchmark's scorer

    data = {}
    for d in (Path(s) for s in a.sets.split(",")):
        gt = S.read_gt(str(d / "gt.csv"))
        data[d.name] = (gt, *load(Path(a.out) / d.name / "evidence_engine.csv", gt))
    fit_on = a.fit.split(",")
    slope, offset = fit(np.concatenate([data[n][2] for n in fit_on]), np.concatenate([data[n][3] for n in fit_on]))
    print(f"CALIBRATION = ({slope:.3f}, {offset:.3f})  # fitted on {', '.join(fit_on)}")
    for name, (gt, keys, logl, y) in data.items():
        s = 1.0 / (1.0 + np.exp(-(slope * logl + offset)))
        m = S.evaluate(gt, [(q, r, float(v)) for (q, r), v in zip(keys, s, strict=True)])
        above = s >= 0.5
        prec = float(y[above].mean()) if above.any() else float("nan")
        print(
            f"{name:12s} {'fit ' if name in fit_on else 'held'} µAP {m['uAP']:.3f} recall@P90 "
            f"{m['recall_at_p90'] or 0:.3f} at {m['threshold_at_p90'] or 0:.3f}; precision at 0.5: {prec:.3f}"
        )


if __name__ == "__main__":
    main()
