"""What the engine missed on one development set, and what it wrongly trusted (prints; not a test).

Reads what ``bench/bench_matching_accuracy.py --out DIR`` keeps for a set (DIR/<set>/metrics_engine.json and
evidence_engine.csv) beside the set's own gt.csv and queries_meta.csv, and prints:

- every copy whose true work scored below the set's P90 threshold (or was not found at all), with its family, the
  evidence of the true pair (inliers as counted and weighed, hash and region distances, explained area, shares of
  each picture) and the edits the builder made;
- the wrong pairs that scored at or above that threshold, strongest first.

Reading these is how the next change is chosen: "no candidate" is a search problem, a low score with a candidate
is evidence or calibration, and a strong wrong pair is often the same artwork under two file names.

Usage:
  python bench/explain_misses.py --out DIR/<set> --data /work/benchsets/<set> [--family combo] [--wrong 25]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

Evidence = list[float]
FIELDS = "score inliers weighted hash region area query_share work_share".split()


def describe(e: Evidence | None) -> str:
    if e is None:
        return "no candidate"
    values = dict(zip(FIELDS, e, strict=True))
    return (
        f"score {values['score']:.3f} inliers {values['inliers']:.0f} (weighed {values['weighted']:.1f}) "
        f"hash {values['hash']:.0f} region {values['region']:.0f} area {values['area']:.2f} "
        f"query {values['query_share']:.2f} work {values['work_share']:.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="the set's folder under bench_matching_accuracy's --out")
    ap.add_argument("--data", required=True, type=Path, help="the set built by build_dev.py")
    ap.add_argument("--family", default="", help="only the misses of this family")
    ap.add_argument("--wrong", type=int, default=25, help="how many strong wrong pairs to print")
    a = ap.parse_args()

    with open(a.data / "gt.csv") as f:
        truth = {r["query_id"]: r["reference_id"] for r in csv.DictReader(f)}
    with open(a.data / "queries_meta.csv") as f:
        meta = {r["query_id"]: r for r in csv.DictReader(f)}
    with open(a.out / "metrics_engine.json") as f:
        threshold = json.load(f)["threshold_at_p90"] or 0.5
    found: dict[str, dict[str, Evidence]] = {}
    with open(a.out / "evidence_engine.csv") as f:
        for r in csv.DictReader(f):
            found.setdefault(r["query_id"], {})[r["reference_id"]] = [float(r[k]) for k in list(r)[2:]]

    print(f"P90 threshold {threshold:.3f}\n")
    misses = 0
    for query, work in sorted(truth.items(), key=lambda qw: (meta[qw[0]]["family"], qw[0])):
        family = meta[query]["family"]
        if not work or (a.family and family != a.family):
            continue
        evidence = found.get(query, {}).get(work)
        if evidence is not None and evidence[0] >= threshold:
            continue
        misses += 1
        print(f"{query} {family}: {describe(evidence)}\n    {meta[query]['steps']}")
    print(f"\n{misses} copies below the threshold\n")

    wrong = sorted(
        (e[0], query, ref, e)
        for query, refs in found.items()
        for ref, e in refs.items()
        if ref != truth.get(query, "") and e[0] >= threshold
    )[::-1]
    print(f"{len(wrong)} wrong pairs at or above the threshold; the strongest:")
    for _, query, ref, e in wrong[: a.wrong]:
        kind = "copy of another work" if truth.get(query) else "not a copy"
        print(f"{query} ({meta[query]['family']}, {kind}) -> {ref}: {describe(e)}")


if __name__ == "__main__":
    main()
