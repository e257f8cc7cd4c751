"""Statistics benchmark: the public dashboard and the yearly report with 1,000,000 registrations and 100,000 filed
licences in the database, warm page time on SQLite and PostgreSQL (the issue asks under 300 ms).

Usage: python bench/bench_statistics.py [--works 1000000] [--licences 100000] [--runs 7]
                                        [--postgres postgres://postgres@127.0.0.1:5432/artrights_licensing_bench]
                                        [--only sqlite|postgres]

For each database (SQLite in a fresh data folder; PostgreSQL when ``--postgres`` names a database, which is dropped
and created again) a worker process migrates and fills ``--works`` granted works (80 % registrations, 18 % digital
filings, 2 % software, spread over the year and the work types) and ``--licences`` filed licence contracts with
``bulk_create``, then asks for ``/statistics/`` and ``/statistics/report/YEAR/`` through the whole Django stack
(the first request counts from the database; then ``--runs`` warm ones reuse the year's counts) and prints the
first request's time, the warm median and the slowest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2025
TYPES = ["FINE_ART", "PHOTOGRAPHY", "TEXT", "MUSIC", "GRAPHIC", "AUDIOVISUAL", "ARCHITECTURE", "OTHER"]


def _moment(i: int, count: int) -> dt.datetime:
    start = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)
    return start + dt.timedelta(seconds=int(i * (365 * 86400 - 1) / max(count, 1)))


def fill(works: int, licences: int) -> None:
    from artrights.accounts.services import create_user
    from artrights.core.models import Party
    from artrights.licensing.models import Contract
    from artrights.registry.models import Work

    user = create_user(username="bench-artist", role="artist", password="unused-bench-7c1d")
    licensor = Party.objects.create(
        kind="natural", name="林画家", id_type="resident_id", id_number="11010519491231002X"
    )
    licensee = Party.objects.create(
        kind="organisation", name="基准测试文创有限公司", id_type="uscc", id_number="914403001922038216"
    )
    started = time.perf_counter()
    batch: list[Work] = []
    for i in range(works):
        kind = "software" if i % 50 == 0 else "digital_filing" if i % 50 < 10 else "registration"
        at = _moment(i, works)
        batch.append(
            Work(
                kind=kind,
                status="filed" if kind == "digital_filing" else "registered",
                title=f"基准作品{i}",
                work_type="SOFTWARE" if kind == "software" else TYPES[i % len(TYPES)],
                authors=[{"name": "林画家"}],
                completed_on=at.date(),
                applicant=user,
                registered_at=at,
                submitted_at=at,
            )
        )
        if len(batch) == 20_000:
            Work.objects.bulk_create(batch)
            batch.clear()
    Work.objects.bulk_create(batch)
    print(f"  filled     {works:,} works in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    first = Work.objects.order_by("pk").first()
    contracts: list[Contract] = []
    for i in range(licences):
        at = _moment(i, licences)
        contracts.append(
            Contract(
                number=f"LC-{YEAR}-{i:07d}",
                kind="licence",
                status="filed",
                work=first,
                licensor=licensor,
                licensee=licensee,
                licensor_user=user,
                licensee_user=user,
                created_by=user,
                rights=["network"],
                valid_from=at.date(),
                valid_until=at.date() + dt.timedelta(days=365),
                sha256="0" * 64,
                filed_at=at,
            )
        )
        if len(contracts) == 20_000:
            Contract.objects.bulk_create(contracts)
            contracts.clear()
    Contract.objects.bulk_create(contracts)
    print(f"  filled     {licences:,} filed licences in {time.perf_counter() - started:.1f} s", flush=True)


def time_page(client: object, path: str, runs: int) -> tuple[float, list[float]]:
    """The first request (counting from the database) and ``runs`` warm ones (the counts reused)."""
    t0 = time.perf_counter()
    client.get(path)  # type: ignore[attr-defined]
    cold = (time.perf_counter() - t0) * 1e3
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t0) * 1e3)
        assert response.status_code == 200, (path, response.status_code)
    return cold, times


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    fill(args.works, args.licences)
    from django.core.cache import cache

    client = Client(HTTP_HOST="127.0.0.1")
    for label, path in (("dashboard", f"/statistics/?year={YEAR}"), ("report", f"/statistics/report/{YEAR}/")):
        cache.clear()
        cold, times = time_page(client, path, args.runs)
        print(
            f"  {label:<10} first (counting) {cold:.0f} ms; warm median {statistics.median(times):.0f} ms  "
            f"max {max(times):.0f} ms ({args.runs} runs)",
            flush=True,
        )


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> None:
    print(label, flush=True)
    command = [sys.executable, __file__, "--worker", "--works", str(args.works), "--licences", str(args.licences)]
    subprocess.run([*command, "--runs", str(args.runs)], env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--works", type=int, default=1_000_000)
    ap.add_argument("--licences", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--postgres", default="", help="a PostgreSQL URL (the database is dropped and created again)")
    ap.add_argument("--only", choices=["sqlite", "postgres"], default="")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    print(describe())
    print(f"{args.works:,} works, {args.licences:,} filed licences, year {YEAR}")
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update({"DJANGO_SETTINGS_MODULE": "artrights.settings", "DEBUG": "false", "PYTHONPATH": str(ROOT / "src")})
    if args.only != "postgres":
        with tempfile.TemporaryDirectory(prefix="artrights-bench-statistics-") as data:
            run("SQLite", {**base, "ARTRIGHTS_DATA_DIR": data}, args)
    if args.postgres and args.only != "sqlite":
        from urllib.parse import urlsplit

        url = urlsplit(args.postgres)
        name = url.path.lstrip("/")
        admin = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
        subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)
        subprocess.run(["createdb", *admin, name], check=True)
        with tempfile.TemporaryDirectory(prefix="artrights-bench-statistics-") as data:
            run("PostgreSQL", {**base, "ARTRIGHTS_DATA_DIR": data, "DATABASE_URL": args.postgres}, args)


if __name__ == "__main__":
    main()
