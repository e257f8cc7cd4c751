"""DB-backed log benchmark: sustained appends with checkpoints, then inclusion-proof latency from the database.

Usage: python bench/bench_log_append.py [--appends 60000] [--batch 250] [--proofs 1000]
                                        [--proof-size 10000000] [--keep]

Runs the real settings against a fresh SQLite database in a temporary data directory (DATABASE_URL is ignored
unless --use-database-url is given). Appends go through ``ledger.services.append_many`` in batches, one
transaction each, while a second thread publishes a signed (and, when the timestamps app exists, RFC 3161
time-stamped) checkpoint every second, as the worker does. Proofs go through ``ledger.services.inclusion``:
the head read and one SQL query.

``--proof-size N`` then replaces the bench log with a synthetic store of N entries: leaf hashes are made in
memory, every level is built with the pure ``MemoryHashStore``, and the stored hashes are bulk-inserted into
the same table the log uses (no entry rows: proofs never read them).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import cpu_model, percentile


def statement(i: int) -> dict[str, object]:
    """A registration-shaped statement: hashes and salted commitments only, as the log requires."""
    h = hashlib.sha256(b"work-%d" % i).hexdigest()
    return {
        "type": "artrights/registration@v1",
        "number": f"BENCH-2026-F-{i:08d}",
        "work": {"sha256": h, "commitment": hashlib.sha256(b"salt" + h.encode()).hexdigest()},
        "owners": [hashlib.sha256(b"owner-%d" % i).hexdigest()],
        "registered_at": "2026-11-26T02:00:00+08:00",
    }


def setup_django(data_dir: Path, use_database_url: bool) -> None:
    os.environ["ARTRIGHTS_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "artrights.settings"
    # Query logging (DEBUG) is a development aid that production does not pay for.
    os.environ.setdefault("DEBUG", "0")
    if not use_database_url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_appends(total: int, batch: int, checkpoint_every: float) -> None:
    from django.db import connections

    from artrights.ledger import services

    print(f"\n(a) appends: {total:,} statements in batches of {batch}, a checkpoint every {checkpoint_every}s")
    statements = [("artrights/registration@v1", statement(i)) for i in range(total)]
    done = threading.Event()
    publish_ms: list[float] = []
    sizes: list[int] = []
    published_at: list[float] = []

    def publisher() -> None:
        # Like the worker's periodic task, in a thread of its own: it competes with the appender for the
        # database write lock, as it does in production.
        # Fixed ticks, not "sleep after publishing": a slow time-stamp must not stretch the interval.
        next_tick = time.perf_counter() + checkpoint_every
        try:
            while not done.wait(max(0.0, next_tick - time.perf_counter())):
                t0 = time.perf_counter()
                sizes.append(services.publish_checkpoint().size)
                published_at.append(time.perf_counter())
                publish_ms.append((published_at[-1] - t0) * 1e3)
                next_tick += checkpoint_every
        finally:
            connections.close_all()

    thread = threading.Thread(target=publisher)
    t0 = time.perf_counter()
    thread.start()
    for start in range(0, total, batch):
        services.append_many(items=statements[start : start + batch])
    done.set()
    thread.join()
    elapsed = time.perf_counter() - t0
    final = services.publish_checkpoint()
    print(f"  sustained                 {total / elapsed:10,.0f} statements/s  ({total:,} in {elapsed:.1f} s)")
    print(
        f"  checkpoints published     {len(sizes) + 1:10d}  (during the run: {len(sizes)}, sizes "
        f"{sizes[:3]}...; final size {final.size:,})"
    )
    if len(published_at) > 1:
        gaps = [b - a for a, b in itertools.pairwise(published_at)]
        print(f"  checkpoint interval       median {statistics.median(gaps):.2f} s, max {max(gaps):.2f} s")
    if publish_ms:
        print(
            f"  publish_checkpoint        median {statistics.median(publish_ms):.0f} ms, "
            f"max {max(publish_ms):.0f} ms (signing, RFC 3161 time-stamp when available, insert)"
        )

    single = min(2000, total)
    t0 = time.perf_counter()
    for i in range(single):
        services.append(kind="artrights/registration@v1", statement=statement(total + i))
    elapsed = time.perf_counter() - t0
    print(f"  one statement per commit  {single / elapsed:10,.0f} statements/s  ({single:,} single appends)")


def time_proofs(size: int, count: int, rng: random.Random, leaf_of: object = None) -> None:
    from artrights.ledger import services
    from artrights.ledger.selectors import current_head
    from artrights.ledger.storage import DatabaseHashReader
    from artrights.proofs.merkle import verify_inclusion

    head = current_head()
    root = bytes(head.root_hash)
    reader = DatabaseHashReader()
    gen_ms: list[float] = []
    for _ in range(count):
        index = rng.randrange(size)
        t0 = time.perf_counter()
        proof = services.inclusion(index=index, size=size)
        gen_ms.append((time.perf_counter() - t0) * 1e3)
        # Checked outside the timing: a fast wrong proof would be worthless.
        leaf = reader.read_hashes([(0, index)])[0]
        verify_inclusion(index, size, leaf, proof, root)
    # The same number of fixed, DB-free CPU tasks of similar length: on a shared machine their tail shows how
    # much of the proofs' p99 is the scheduler rather than the database.
    base_ms: list[float] = []
    for _ in range(count):
        t0 = time.perf_counter()
        for _ in range(1500):
            hashlib.sha256(b"x" * 64).digest()
        base_ms.append((time.perf_counter() - t0) * 1e3)
    print(
        f"  baseline (fixed CPU task, no DB): median {statistics.median(base_ms):.3f} ms   "
        f"p99 {percentile(base_ms, 0.99):.3f} ms   max {max(base_ms):.3f} ms"
    )
    print(
        f"  services.inclusion at size {size:,}: median {statistics.median(gen_ms):.3f} ms   "
        f"p99 {percentile(gen_ms, 0.99):.3f} ms   max {max(gen_ms):.3f} ms   ({count} random proofs, all verified)"
    )


def build_synthetic_store(size: int) -> None:
    from django.db import connection, transaction

    from artrights.ledger.models import HEAD_ID, LogHash, LogHead
    from artrights.proofs.merkle import LEAF_PREFIX, CompactRange, MemoryHashStore

    print(f"\n(c) synthetic store of {size:,} entries for proof latency")
    t0 = time.perf_counter()
    sha = hashlib.sha256
    level0 = b"".join([sha(LEAF_PREFIX + b"bench-%d" % i).digest() for i in range(size)])
    store = MemoryHashStore.from_leaf_hashes(level0)
    del level0
    t1 = time.perf_counter()
    levels = [lvl for lvl in range(64) if store.count(lvl)]
    total = sum(store.count(lvl) for lvl in levels)
    print(f"  hashed all levels in memory: {total:,} stored hashes in {t1 - t0:.1f} s")

    table = LogHash._meta.db_table
    with connection.cursor() as cursor:
        # DELETE is allowed on SQLite (only UPDATE is refused by trigger): this replaces the bench log.
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM ledger_cosignature")
        cursor.execute("DELETE FROM ledger_checkpoint")
        cursor.execute("DELETE FROM ledger_logentry")
        if connection.vendor == "sqlite":
            # A bench-only bulk load: losing it to a power cut would cost nothing.
            cursor.execute("PRAGMA synchronous=OFF")
    step = 1_000_000
    # One transaction for the whole load: in autocommit every row would be a transaction of its own.
    with transaction.atomic(), connection.cursor() as cursor:
        for lvl in levels:
            n = store.count(lvl)
            for start in range(0, n, step):
                ids = [(lvl, i) for i in range(start, min(n, start + step))]
                hashes = store.read_hashes(ids)
                rows = [(lvl, i, h) for (_, i), h in zip(ids, hashes, strict=True)]
                cursor.executemany(f"INSERT INTO {table} (level, idx, hash) VALUES (%s, %s, %s)", rows)
    tree = CompactRange.from_reader(size, store)
    LogHead.objects.bulk_create([LogHead(id=HEAD_ID)], ignore_conflicts=True)
    LogHead.objects.filter(pk=HEAD_ID).update(size=size, root_hash=tree.root(), edge=b"".join(tree.edge))
    print(f"  bulk-inserted into {connection.vendor} in {time.perf_counter() - t1:.1f} s")
    del store


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--appends", type=int, default=60_000, help="statements appended in batches")
    ap.add_argument("--batch", type=int, default=250, help="statements per append_many transaction")
    ap.add_argument("--checkpoint-every", type=float, default=1.0, help="seconds between checkpoints")
    ap.add_argument("--proofs", type=int, default=1000, help="random inclusion proofs to time")
    ap.add_argument("--proof-size", type=int, default=0, help="also time proofs in a synthetic store this big")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    ap.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL instead of SQLite")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    data_dir = Path(tempfile.mkdtemp(prefix="artrights-bench-log-"))
    try:
        setup_django(data_dir, args.use_database_url)
        from django.db import connection

        print("machine")
        print(f"  cpu        {cpu_model()}")
        print(f"  cores      {os.cpu_count()} logical")
        print(f"  python     {platform.python_implementation()} {platform.python_version()}")
        print(f"  database   {connection.vendor} ({data_dir})")
        # Other processes on a shared machine show up in the tail latencies; say how busy it was.
        print("  load avg   {:.2f} {:.2f} {:.2f} (1, 5, 15 min)".format(*os.getloadavg()))

        bench_appends(args.appends, args.batch, args.checkpoint_every)

        from artrights.ledger import fsck
        from artrights.ledger.selectors import current_head

        size = current_head().size
        print(f"\n(b) inclusion proofs from the database, log size {size:,}")
        time_proofs(size, args.proofs, rng)
        t0 = time.perf_counter()
        report = fsck.verify_log()
        print(f"  verify_log over the whole log: {time.perf_counter() - t0:.1f} s, ok={report.ok}")
        if not report.ok:
            print("  " + report.summary())

        if args.proof_size:
            build_synthetic_store(args.proof_size)
            time_proofs(args.proof_size, args.proofs, rng)
    finally:
        if args.keep:
            print(f"\ndata kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
