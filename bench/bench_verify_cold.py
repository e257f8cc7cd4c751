"""Cold offline verification: how long `artrights verify FILE` takes for a certificate PDF, a JSON bundle and an image.

Usage: python bench/bench_verify_cold.py [--runs 7] [--compare-src OTHER/src]

Issues one registration with the real cores (log, TSA, PAdES signature, C2PA manifest with a time-stamped
signature), writes the three files a person may hold and the trust file, then runs a fresh process of
``python -m artrights.cli verify FILE --trust trust.json`` (what ``artrights verify`` runs) for each, ``--runs``
times, and prints the median wall time and the median CPU time (user + system) of the process. A fresh process
is what a court clerk waits for: interpreter start, imports, then the checks; the in-process time is in
bench_verify.py.

On a shared machine the wall time follows the load; the CPU time much less so. ``--compare-src`` runs the same
files, interleaved run by run, against another source tree (an older checkout's ``src``), so a before/after
comparison sees the same load. The import profile of each kind (``-X importtime``, top five modules by
cumulative time) shows where the time goes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import describe

from artrights.proofs import content_credentials as cc
from artrights.proofs.bundle import dump_bundle
from artrights.proofs.tests.proofkit import Kit, sample_image
from artrights.registry.certificate_pdf import CertificateData, render_certificate, sign_pdf

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("certificate.pdf", "certificate.json", "work.c2pa.png")


def issue(folder: Path) -> None:
    kit = Kit.new()
    original = sample_image(5)
    statement, openings = kit.statement(image=original, iscc=cc.iscc_image_code(original))
    bundle = kit.register(statement, openings, others=1000)
    data = CertificateData(
        number=statement["number"],
        title="大芬村的清晨",
        work_type="美术",
        authors=["李明"],
        owners=["深圳市大芬油画艺术有限公司"],
        applicant="深圳市大芬油画艺术有限公司",
        issuer="广东省版权保护联合会",
        registered_on=dt.date.today(),
        verify_url=f"https://registry.artrights.test/verify/{statement['number']}",
        log_origin=kit.log.origin,
        log_index=bundle["log"]["index"],
        bundle_json=dump_bundle(bundle),
    )
    pdf = sign_pdf(render_certificate(data), kit.signing.key, kit.signing.chain, kit.timestamper)
    image = cc.sign_image(original, bundle=bundle, signer=kit.signing, timestamper=kit.timestamper)
    (folder / "certificate.pdf").write_bytes(pdf)
    (folder / "certificate.json").write_bytes(dump_bundle(bundle))
    (folder / "work.c2pa.png").write_bytes(image)
    (folder / "trust.json").write_text(json.dumps(kit.trust.to_json()), encoding="utf-8")


def run_once(src: Path, path: Path, trust: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one cold verification process (which must find the file valid)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "artrights.cli", "verify", str(path), "--trust", str(trust)],
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{path.name} did not verify with {src}: {result.stdout}{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_profile(src: Path, path: Path, trust: Path, top: int = 5) -> list[tuple[str, float]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "artrights.cli", "verify", str(path), "--trust", str(trust)],
        capture_output=True,
        text=True,
        env=env,
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            rows.append((parts[2].strip(), int(parts[1]) / 1e6))
    return sorted(rows, key=lambda row: -row[1])[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare-src", type=Path, help="another source tree to time against, e.g. an older src/")
    args = parser.parse_args()
    print(describe())
    print(f"load average {os.getloadavg()[0]:.2f} (wall times rise with it; CPU times much less)")
    trees = {"this tree": ROOT / "src"}
    if args.compare_src:
        trees["compared"] = args.compare_src.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        issue(folder)
        trust = folder / "trust.json"
        for kind in KINDS:
            path = folder / kind
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            run_once(trees["this tree"], path, trust)  # warm the file cache and the byte-code caches
            for _ in range(args.runs):
                for name, src in trees.items():  # interleaved: both trees see the same load
                    times[name].append(run_once(src, path, trust))
            for name, samples in times.items():
                wall = statistics.median(w for w, _ in samples)
                cpu = statistics.median(c for _, c in samples)
                print(f"{kind:18} {name:9}: cold verify median {wall * 1000:5.0f} ms wall, {cpu * 1000:5.0f} ms CPU")
            profile = ", ".join(
                f"{module} {seconds * 1000:.0f} ms"
                for module, seconds in import_profile(trees["this tree"], path, trust)
            )
            print(f"{'':18} imports: {profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
