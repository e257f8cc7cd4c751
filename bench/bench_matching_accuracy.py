"""Accuracy of the copy-detection engine on DISC21-style development sets (prints tables).

Runs ``match_folders`` over <data>/references and <data>/queries of every ``--data`` set, scores
the predictions with the benchmark's own ``score.py`` (imported from --bench, not copied), and
prints one line per set (µAP, recall@P90, R@1, the weakest family, wrong pairs scored >= 0.999 and
pairs tied at the top score) and the spread over the sets (min / median / max): several sets built
from disjoint sources say more than the best of them.  With one set and --baseline-python it also
runs the benchmark's ``baselines.py`` (pHash, PDQ, PDQ-dihedral; needs imagehash and pdqhash, which
the builder's venv has) and prints the per-family table.

Development sets (each from its own sources; see the closing notes for the figures):
  default    ../shared/bench/build_dev.py --out /work/benchdata (all 23 of the builder's packages, seed 777)
  games      build_dev.py --only widelands-data,freedroidrpg-data,megaglest-data,ardentryst,fillets-ng-data,
             freeorion-data,planetblupi-common --seed 11 --n-ref 220 --n-pos 110 --n-neg 110
  pysio      build_dev.py --only pysiogame,stellarium-data,tuxtype-data,pingus-data,frozen-bubble-data --seed 13
             --n-ref 300 --n-pos 150 --n-neg 150
  walls      build_dev.py --only (the other 11 packages: wallpapers, photos, renders) --seed 17 --n-ref 110
             --n-pos 55 --n-neg 55
  portraits, scenes, fresh: bench/build_more_sets.py (twelve Debian packages the builder does not use; its
             docstring)
The score's calibration is fitted on the default set (bench/fit_calibration.py); portraits, scenes and fresh share
no source with it.  No parameter has ever been chosen on fresh (game scenes, photo and cartoon stamps, added on
2026-12-01): measure a change on it once, after choosing on the others.

Usage:
  python bench/bench_matching_accuracy.py --data /work/benchdata [--data /work/benchsets/games ...] \
      [--bench /work/shared/bench] [--baseline-python /work/benchenv/bin/python] [--out DIR] \
      [--keypoints-per-ref 200] [--families] [--distractors /work/benchdata ...]

At registry scale: ``--distractors SET`` adds that set's references to every --data set's registry as works no
query copies (the hidden set has 2,000; ours 110-1,000).  Take them from another image pool (the builder's sets
share one pool; portraits and scenes another; fresh its own), e.g. fresh with the default set, portraits and
scenes as distractors: 1,830 references.  Measured on 2026-12-01: fresh with the default set and portraits (1,430
references) and the default set with portraits, scenes and fresh (1,830) give their own figures to the third digit;
fresh with scenes among its distractors names the same drawing in two pools (Tux Paint's stamps are Open Clip Art).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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


def f3(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def overconfidence(gt: dict[str, str], rows: list[tuple[str, str, float]]) -> dict[str, int]:
    """Wrong pairs scored at or above 0.999 and 0.99999, pairs scored exactly 1.0, and pairs whose
    score equals another pair's (ties the scorer breaks against the method)."""
    wrong = [s for q, r, s in rows if gt.get(q, "") != r]
    scores = [s for _, _, s in rows]
    return {
        "wrong_ge_0.999": sum(s >= 0.999 for s in wrong),
        "wrong_ge_0.99999": sum(s >= 0.99999 for s in wrong),
        "at_1.0": sum(s >= 1.0 for s in scores),
        "tied": len(scores) - len(set(scores)),
    }


# Scores a registrar or the check page would act on: the same threshold should mean the same precision on
# every source (the calibration is fitted on the default set only).
THRESHOLDS = (0.5, 0.9, 0.99)


def at_thresholds(gt: dict[str, str], rows: list[tuple[str, str, float]]) -> dict[str, list[float | None]]:
    """Per threshold: [precision of the pairs scored at or above it (None without any), recall of the copies]."""
    copies = sum(1 for r in gt.values() if r)
    out: dict[str, list[float | None]] = {}
    for t in THRESHOLDS:
        kept = [(q, r) for q, r, s in rows if s >= t]
        right = sum(1 for q, r in kept if gt.get(q, "") == r)
        out[str(t)] = [right / len(kept) if kept else None, right / copies if copies else 0.0]
    return out


def with_distractors(references: Path, distractors: list[str], folder: Path) -> Path:
    """The set's references, plus every reference of the ``--distractors`` folders under a prefixed name (links,
    not copies): the registry at a larger size, with the same copies and non-copies.  The hidden set has 2,000
    registered works; ours 110-1,000, and a larger registry holds more works that share a frame or a style with
    a query.  A distractor must come from another image pool (a set built from the same pool may hold the same
    picture), so the wrong pairs that name one are printed for a look."""
    if not distractors:
        return references
    if folder.exists():
        for link in folder.iterdir():
            link.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for image in references.iterdir():
        (folder / image.name).symlink_to(image.resolve())
    for other in map(Path, distractors):
        tag = other.resolve().name
        for image in (other / "references").iterdir():
            (folder / f"{DISTRACTOR}{tag}-{image.name}").symlink_to(image.resolve())
    return folder


DISTRACTOR = "x-"


def distractor_hits(gt: dict[str, str], rows: list[tuple[str, str, float]], top: int = 8) -> list[str]:
    """The strongest wrong pairs whose reference is a distractor: a look tells a shared style from the same
    picture in two pools."""
    wrong = sorted(((s, q, r) for q, r, s in rows if r.startswith(DISTRACTOR) and gt.get(q, "") != r), reverse=True)
    return [f"{s:.4f} {q} -> {r}" for s, q, r in wrong[:top]]


def run_set(S: Any, data: Path, out: Path, a: argparse.Namespace) -> dict[str, Any]:
    """Match one development set and score it; the metrics, with the per-family breakdown."""
    gt = S.read_gt(str(data / "gt.csv"))
    fam = S.read_families(str(data / "queries_meta.csv"))
    out.mkdir(parents=True, exist_ok=True)
    preds = out / "preds_engine.csv"
    t0 = time.time()
    c0 = time.process_time()
    references = with_distractors(data / "references", a.distractors, out / "references")
    if not (a.rescore and preds.exists()):
        match_folders(
            references,
            data / "queries",
            preds,
            progress=a.progress,
            workers=a.workers,
            max_keypoints_per_ref=a.keypoints_per_ref,
            evidence_csv=out / "evidence_engine.csv",
            explain_away=a.explain_away,
        )
    rows = _read_rows(preds)
    m: dict[str, Any] = S.evaluate(gt, rows)
    m["by_family"] = S.family_breakdown(gt, rows, fam, m["threshold_at_p90"])
    m["overconfidence"] = overconfidence(gt, rows)
    m["at_thresholds"] = at_thresholds(gt, rows)
    m["distractor_hits"] = distractor_hits(gt, rows) if a.distractors else []
    m["wall_s"] = time.time() - t0
    m["main_cpu_s"] = time.process_time() - c0
    m["n_refs"] = sum(1 for _ in references.iterdir())
    m["n_queries"] = len(gt)
    with open(out / "metrics_engine.json", "w") as f:
        json.dump(m, f, indent=1)
    return m


def weakest_family(m: dict[str, Any]) -> tuple[str, float]:
    """The family with the lowest µAP among those with copies (a family of non-copies only has no µAP)."""
    fams = [(f, b["uAP"]) for f, b in m["by_family"].items() if b["n_copies"]]
    return min(fams, key=lambda fb: fb[1]) if fams else ("-", 0.0)


def set_line(name: str, m: dict[str, Any]) -> str:
    weakest = weakest_family(m)
    oc = m["overconfidence"]
    return (
        f"| {name} | {m['n_refs']}/{m['n_queries']} | {m['uAP']:.3f} | {f3(m['recall_at_p90'])} | "
        f"{m['recall_at_rank1']:.3f} | {weakest[0]} {weakest[1]:.3f} | {oc['wrong_ge_0.999']} | "
        f"{oc['at_1.0']} | {oc['tied']} | {m['wall_s']:.0f} |"
    )


def spread(values: list[float]) -> str:
    v = sorted(values)
    return f"{v[0]:.3f} / {statistics.median(v):.3f} / {v[-1]:.3f}"


def threshold_table(metrics: dict[str, dict[str, Any]]) -> None:
    """Precision and recall at the fixed thresholds, per set, and the spread of each precision."""
    print("\nPrecision / recall of the pairs scored at or above a fixed threshold (the calibration's promise)\n")
    print("| set | " + " | ".join(f"at {t}" for t in THRESHOLDS) + " |")
    print("|---|" + "---|" * len(THRESHOLDS))
    for name, m in metrics.items():
        cells = [f"{f3(p)} / {r:.3f}" for p, r in (m["at_thresholds"][str(t)] for t in THRESHOLDS)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if len(metrics) > 1:
        for t in THRESHOLDS:
            ps = [m["at_thresholds"][str(t)][0] for m in metrics.values()]
            known = [p for p in ps if p is not None]
            if known:
                print(f"precision at {t} over the sets (min / median / max): {spread(known)}")


def family_table(metrics: dict[str, dict[str, Any]]) -> None:
    """µAP per family and set; each cell gives the family's copies in that set ('-': none, so no µAP)."""
    names = list(metrics)
    families = sorted({fa for m in metrics.values() for fa in m["by_family"]})
    print("\nµAP within each family (its copies + its non-matching queries; copies in brackets)\n")
    print("| family | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for fa in families:
        cells = []
        for n in names:
            b = metrics[n]["by_family"].get(fa)
            cells.append(f"{b['uAP']:.3f} ({b['n_copies']})" if b and b["n_copies"] else "-")
        print(f"| {fa} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data", required=True, action="append", help="folder written by build_dev.py (repeat for several sets)"
    )
    ap.add_argument("--bench", default="/work/shared/bench", help="folder with score.py and baselines.py")
    ap.add_argument(
        "--baseline-python",
        default="/work/benchenv/bin/python",
        help="python with imagehash+pdqhash for baselines.py ('' to skip baselines; only with one --data)",
    )
    ap.add_argument("--out", default="", help="keep predictions here, one subfolder per set (default: a temp folder)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--families", action="store_true", help="also print µAP per family and set")
    ap.add_argument("--progress", action="store_true", help="progress bars")
    ap.add_argument(
        "--rescore",
        action="store_true",
        help="score the predictions already kept in --out (the engine is not run for a set that has them)",
    )
    ap.add_argument(
        "--no-explain-away",
        dest="explain_away",
        action="store_false",
        help="count every inlier, also those a stronger candidate explains (the engine's default explains them away)",
    )
    ap.add_argument(
        "--distractors",
        action="append",
        default=[],
        help="a set whose references join every --data set's registry as non-matching works (repeat; from "
        "another image pool only)",
    )
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
    sets = [Path(d) for d in a.data]
    names = [d.name or str(d) for d in sets]
    if len(set(names)) != len(names):
        names = [str(d) for d in sets]
    print(
        f"{os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"{a.workers} workers, {a.keypoints_per_ref} keypoints per reference, explain away: {a.explain_away}",
        flush=True,
    )
    print(
        "\n| set | refs/queries | µAP | recall@P90 | R@1 | weakest family (µAP) | wrong >= 0.999 | at 1.0 | tied "
        "| wall s |\n|---|---|---|---|---|---|---|---|---|---|",
        flush=True,
    )
    metrics: dict[str, dict[str, Any]] = {}
    for name, data in zip(names, sets, strict=True):
        m = run_set(S, data, out / name.replace("/", "_"), a)
        metrics[name] = m
        print(set_line(name, m), flush=True)
    if len(sets) > 1:
        r90 = [m["recall_at_p90"] or 0.0 for m in metrics.values()]
        weakest = [weakest_family(m)[1] for m in metrics.values()]
        print(
            f"\nspread over {len(sets)} sets (min / median / max): "
            f"µAP {spread([m['uAP'] for m in metrics.values()])}; recall@P90 {spread(r90)}; "
            f"R@1 {spread([m['recall_at_rank1'] for m in metrics.values()])}; weakest family µAP {spread(weakest)}"
        )
    threshold_table(metrics)
    for name, m in metrics.items():
        if m["distractor_hits"]:
            print(f"\nstrongest wrong pairs naming a distractor in {name}:\n  " + "\n  ".join(m["distractor_hits"]))
    if a.families:
        family_table(metrics)

    if len(sets) == 1 and a.baseline_python and os.path.exists(a.baseline_python):
        sub = out / names[0].replace("/", "_")
        subprocess.run(
            [a.baseline_python, os.path.join(a.bench, "baselines.py"), "--data", str(sets[0]), "--out", str(sub)],
            check=True,
            cwd=a.bench,
            stdout=subprocess.DEVNULL,
        )
        with open(sub / "metrics.json") as f:
            both = {"engine": metrics[names[0]], **json.load(f)["metrics"]}
        print("\n| method | µAP | recall@P90 | R@1 | R@10 |\n|---|---|---|---|---|")
        for n, v in both.items():
            print(
                f"| {n} | {v['uAP']:.3f} | {f3(v['recall_at_p90'])} | {v['recall_at_rank1']:.3f} | "
                f"{v['recall_at_rank10']:.3f} |"
            )
        family_table(both)
    print(f"\npredictions, evidence and metrics in {out}")


if __name__ == "__main__":
    main()
