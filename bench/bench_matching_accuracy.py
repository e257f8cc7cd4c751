"""Accuracy of the copy-detection engine on the DISC21-style development set (prints a table).

Runs ``match_folders`` over <data>/references and <data>/queries, scores the predictions with
the benchmark's own ``score.py`` (imported from --bench, not copied), and runs the benchmark's
``baselines.py`` (pHash, PDQ, PDQ-dihedral) with --baseline-python, which needs imagehash and
pdqhash (the builder's venv has them).

Usage:
  python bench/bench_matching_accuracy.py --data /work/benchdata \
      [--bench /work/shared/bench] [--baseline-python /work/benchenv/bin/python] [--out DIR] \
      [--keypoints-per-ref 200]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from artrights.matching.folders import match_folders


def _read_rows(path: Path) -> list[tuple[str, str, float]]:
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            q, r, s = line.strip().split(",")
            rows.append((q, r, float(s)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder written by build_dev.py")
    ap.add_argument("--bench", default="/work/shared/bench", help="folder with score.py and baselines.py")
    ap.add_argument(
        "--baseline-python",
        default="/work/benchenv/bin/python",
        help="python with imagehash+pdqhash for baselines.py ('' to skip baselines)",
    )
    ap.add_argument("--out", default="", help="keep predictions here (default: a temp folder)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--keypoints-per-ref",
        type=int,
        default=512,
        help="keypoints indexed per reference (200 is what keeps 1 million references under 4 GB)",
    )
    a = ap.parse_args()
    sys.path.insert(0, a.bench)
    import score as S  # the benchmark's scorer, imported rather than copied

    out = Path(a.out or tempfile.mkdtemp(prefix="artrights-acc-"))
    out.mkdir(parents=True, exist_ok=True)
    data = Path(a.data)
    gt = S.read_gt(str(data / "gt.csv"))
    fam = S.read_families(str(data / "queries_meta.csv"))

    metrics: dict[str, dict[str, Any]] = {}
    t0 = time.time()
    preds = out / "preds_engine.csv"
    match_folders(
        data / "references",
        data / "queries",
        preds,
        progress=True,
        workers=a.workers,
        max_keypoints_per_ref=a.keypoints_per_ref,
    )
    t_engine = time.time() - t0
    rows = _read_rows(preds)
    m = S.evaluate(gt, rows)
    m["by_family"] = S.family_breakdown(gt, rows, fam, m["threshold_at_p90"])
    metrics["engine"] = m
    print(
        S.summary_line("engine", m),
        f"({t_engine:.0f}s wall, {a.workers} workers, {a.keypoints_per_ref} keypoints per reference)",
        flush=True,
    )

    if a.baseline_python and os.path.exists(a.baseline_python):
        subprocess.run(
            [a.baseline_python, os.path.join(a.bench, "baselines.py"), "--data", str(data), "--out", str(out)],
            check=True,
            cwd=a.bench,
            stdout=subprocess.DEVNULL,
        )
        with open(out / "metrics.json") as f:
            metrics.update(json.load(f)["metrics"])
    else:
        print("(baselines skipped: no python with imagehash/pdqhash)")

    def f3(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    names = list(metrics)
    print("\n| method | µAP | recall@P90 | R@1 | R@10 |\n|---|---|---|---|---|")
    for n in names:
        v = metrics[n]
        print(
            f"| {n} | {v['uAP']:.3f} | {f3(v['recall_at_p90'])} | {v['recall_at_rank1']:.3f} | "
            f"{v['recall_at_rank10']:.3f} |"
        )
    print("\nµAP within each family (its copies + its non-matching queries)\n")
    print("| family | queries (copies) | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for fa in sorted(metrics["engine"]["by_family"]):
        b0 = metrics["engine"]["by_family"][fa]
        print(
            f"| {fa} | {b0['n_queries']} ({b0['n_copies']}) | "
            + " | ".join(f3(metrics[n]["by_family"][fa]["uAP"]) for n in names)
            + " |"
        )
    print(f"\npredictions and metrics in {out}")
    with open(out / "metrics_engine.json", "w") as f:
        json.dump(metrics["engine"], f, indent=1)


if __name__ == "__main__":
    main()
