"""IP credit benchmark: a partner token's status query with 1,000,000 subjects, and the CSV import's rows per second.

Usage: python bench/bench_credit.py [--subjects 1000000] [--queries 1000] [--rows 100000]
                                    [--postgres postgres://postgres@127.0.0.1:5432/artrights_credit] [--only sqlite]

For each database (SQLite in a fresh data folder; PostgreSQL when ``--postgres`` names a database, which is dropped
and created again) a worker process migrates, fills ``--subjects`` credit subjects with ``bulk_create`` (valid
unified social credit codes), lists a few hundred of them through the services (records, notice, listing: the
public log and the audit trail as in production), then sends ``--queries`` status queries with a partner
department's ``credit:query`` bearer token through the whole Django stack (middleware, django-ninja, token and scope
check, access rule, the query, the append-only query log and its audit event), for codes drawn at random from the
listed and unlisted subjects. It prints the latency percentiles (the issue asks p95 under 50 ms). Then it imports a
``--rows`` CSV file (new subjects, each with a published record: a statement in the public log per record) with
``artrights credit import``'s code path and prints rows per second.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import describe, percentile

ROOT = Path(__file__).resolve().parents[1]

LISTED = 300


def _uscc(i: int, region: str = "440300") -> str:
    from artrights.core.identifiers import compose_uscc

    return compose_uscc("9", "1", region, f"{i:08d}")


def fill(count: int) -> list[str]:
    """``count`` subjects by bulk insert; their codes."""
    from artrights.credit.models import CreditSubject

    codes = []
    batch = []
    started = time.perf_counter()
    for i in range(count):
        code = _uscc(i)
        codes.append(code)
        batch.append(
            CreditSubject(
                subject_type="legal_person",
                code_kind="uscc",
                code=code,
                name=f"深圳市基准测试企业{i}有限公司",
                region="440300",
            )
        )
        if len(batch) == 10_000:
            CreditSubject.objects.bulk_create(batch)
            batch.clear()
    CreditSubject.objects.bulk_create(batch)
    print(f"  filled     {count:,} subjects in {time.perf_counter() - started:.1f} s", flush=True)
    return codes


def list_some(codes: list[str], supervisor: object) -> list[str]:
    """Put ``LISTED`` subjects on the CNIPA list the way supervisors do (a record, notice, listing)."""
    from artrights.credit import services
    from artrights.credit.models import CreditSubject

    started = time.perf_counter()
    chosen = random.sample(codes, LISTED)
    for n, code in enumerate(chosen):
        subject = CreditSubject.objects.get(code=code)
        record = services.record_conduct(
            user=supervisor,
            subject=subject,
            data=services.RecordInput(
                behaviour_code="ABN_PATENT",
                source_dept="国家知识产权局",
                decision_no=f"国知发〔2026〕{n}号",
                decided_on=dt.date.today() - dt.timedelta(days=5),
            ),
        )
        entry = services.propose_listing(
            user=supervisor,
            subject=subject,
            list_type="cnipa_dishonest",
            records=[record],
            basis="非正常申请",
            decision_no=f"国知失信〔2026〕{n}号",
        )
        services.decide_listing(user=supervisor, entry=entry, list_it=True, waived=True, note="书面放弃陈述申辩")
    print(f"  listed     {LISTED} subjects through the services in {time.perf_counter() - started:.1f} s", flush=True)
    return chosen


def time_queries(codes: list[str], listed: list[str], count: int, token: str) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each query (the CPU time tells a loaded machine from a slow query)."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    ask = {"purpose": "procurement", "authority": "《政府采购法》第二十二条", "authorisation_ref": "深采审〔2026〕1号"}
    times, cpu = [], []
    for n in range(count + 20):
        code = random.choice(listed) if n % 5 == 0 else random.choice(codes)
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/api/credit/status", {"code": code, **ask})
        elapsed, cpu_elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"status query failed: {response.status_code} {response.content[:300]!r}")
        if n >= 20:  # the first requests warm caches and connections
            times.append(elapsed)
            cpu.append(cpu_elapsed)
    body = response.json()
    assert body["known"] and body["query_id"]
    return times, cpu


def write_csv(path: Path, rows: int) -> None:
    today = dt.date.today()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "subject_type", "behaviour_code", "source_dept", "decision_no", "decided_on"])
        for i in range(rows):
            decided = (today - dt.timedelta(days=i % 60)).isoformat()
            writer.writerow(
                [
                    _uscc(i, "440303"),
                    f"深圳市导入企业{i}有限公司",
                    "legal_person",
                    "MAL_TM",
                    "国家知识产权局",
                    f"国知发〔2026〕导{i}号",
                    decided,
                ]
            )


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from artrights.accounts.models import Organisation, OrganisationKind
    from artrights.accounts.services import create_user, issue_token
    from artrights.credit.services.imports import import_file

    call_command("migrate", verbosity=0)
    random.seed(20261130)
    department = Organisation.objects.create(
        kind=OrganisationKind.DEPARTMENT, name="基准测试部门", uscc=_uscc(1, "440304")
    )
    supervisor = create_user(
        username="bench-supervisor", role="supervisor", password="unused-bench-7c1d", organisation=department
    )
    partner = create_user(
        username="bench-partner", role="partner", password="unused-bench-7c1d", organisation=department
    )
    token = issue_token(user=partner, name="bench", scopes=["credit:query"])[1]
    codes = fill(args.subjects)
    listed = list_some(codes, supervisor)
    load = os.getloadavg()[0]
    times, cpu = time_queries(codes, listed, args.queries, token)
    print(
        f"  status query ({args.queries} by a credit:query token, 1 in 5 listed; load average {load:.1f}): "
        f"median {statistics.median(times):.1f} ms  p95 {percentile(times, 0.95):.1f} ms  "
        f"p99 {percentile(times, 0.99):.1f} ms  max {max(times):.1f} ms; "
        f"CPU median {statistics.median(cpu):.1f} ms  p95 {percentile(cpu, 0.95):.1f} ms",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        write_csv(path, args.rows)
        started = time.perf_counter()
        report = import_file(path)
        seconds = time.perf_counter() - started
    print(
        f"  import     {report.rows:,} rows ({report.subjects:,} subjects, {report.records:,} published records, "
        f"{len(report.rejected)} rejected) in {seconds:.1f} s: {report.rows / seconds:,.0f} rows/s",
        flush=True,
    )
    print(json.dumps({"p95_ms": round(percentile(times, 0.95), 1), "rows_per_s": round(report.rows / seconds)}))


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> None:
    print(f"{label}", flush=True)
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--subjects",
        str(args.subjects),
        "--queries",
        str(args.queries),
        "--rows",
        str(args.rows),
    ]
    subprocess.run(command, env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--subjects", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--postgres", default="", help="a PostgreSQL URL (the database is dropped and created again)")
    ap.add_argument("--only", choices=["sqlite", "postgres"], default="")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    print(describe())
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update({"DJANGO_SETTINGS_MODULE": "artrights.settings", "DEBUG": "false", "PYTHONPATH": str(ROOT / "src")})
    if args.only != "postgres":
        with tempfile.TemporaryDirectory(prefix="artrights-bench-credit-") as data:
            run("SQLite", {**base, "ARTRIGHTS_DATA_DIR": data}, args)
    if args.postgres and args.only != "sqlite":
        from urllib.parse import urlsplit

        url = urlsplit(args.postgres)
        name = url.path.lstrip("/")
        admin = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
        subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)
        subprocess.run(["createdb", *admin, name], check=True)
        with tempfile.TemporaryDirectory(prefix="artrights-bench-credit-") as data:
            run("PostgreSQL", {**base, "ARTRIGHTS_DATA_DIR": data, "DATABASE_URL": args.postgres}, args)


if __name__ == "__main__":
    main()
