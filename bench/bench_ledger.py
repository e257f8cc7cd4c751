"""Ledger core benchmark: inclusion proofs in a large log, and append throughput.

Usage: python bench/bench_ledger.py [--size 10000000] [--proofs 1000] [--appends 1000000]

Stored hashes are held by the in-memory ``MemoryHashStore`` (one bytearray per
level, 32 bytes per hash). Proofs are also timed through ``TileHashReader`` over
tlog-tiles served from that store, with a cold tile cache for every proof, which
is what a client verifying from static tile files pays.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import cpu_model, percentile

from artrights.proofs import merkle, tiles
from artrights.proofs.merkle import CompactRange, HashReader, MemoryHashStore


def leaf_data(i: int) -> bytes:
    return b"artrights-registration-%d" % i


def build_store(size: int) -> MemoryHashStore:
    sha, prefix = hashlib.sha256, merkle.LEAF_PREFIX
    level0 = b"".join([sha(prefix + leaf_data(i)).digest() for i in range(size)])
    return MemoryHashStore.from_leaf_hashes(level0)


def time_proofs(
    size: int, count: int, make_reader: Callable[[], HashReader], rng: random.Random, root: bytes
) -> tuple[list[float], list[float]]:
    """Per-proof generation and verification times; ``make_reader`` runs outside the timing."""
    gen_ms: list[float] = []
    verify_ms: list[float] = []
    for _ in range(count):
        index = rng.randrange(size)
        reader = make_reader()
        t0 = time.perf_counter()
        proof = merkle.inclusion_proof(index, size, reader)
        t1 = time.perf_counter()
        merkle.verify_inclusion(index, size, merkle.leaf_hash(leaf_data(index)), proof, root)
        t2 = time.perf_counter()
        gen_ms.append((t1 - t0) * 1e3)
        verify_ms.append((t2 - t1) * 1e3)
    return gen_ms, verify_ms


def report(label: str, values: list[float]) -> None:
    print(
        f"  {label:<44} median {statistics.median(values):7.3f} ms   "
        f"p99 {percentile(values, 0.99):7.3f} ms   max {max(values):7.3f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--size", type=int, default=10_000_000, help="log size in entries")
    ap.add_argument("--proofs", type=int, default=1000, help="random inclusion proofs to time")
    ap.add_argument("--appends", type=int, default=1_000_000, help="leaves appended in the append test")
    ap.add_argument("--seed", type=int, default=20261126)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    print("machine")
    print(f"  cpu        {cpu_model()}")
    print(f"  cores      {os.cpu_count()} logical")
    print(f"  python     {platform.python_implementation()} {platform.python_version()} on {platform.system()}")

    print(f"\n(a) inclusion proofs in a log of {args.size:,} entries")
    t0 = time.perf_counter()
    store = build_store(args.size)
    build_s = time.perf_counter() - t0
    stored = sum(store.count(level) for level in range(64))
    print(f"  built in-memory hash store: {stored:,} stored hashes in {build_s:.1f} s")
    root = merkle.tree_hash(args.size, store)
    cr = CompactRange.from_reader(args.size, store)
    assert cr.root() == root

    gen, ver = time_proofs(args.size, args.proofs, lambda: store, rng, root)
    report(f"generate, MemoryHashStore ({args.proofs} proofs)", gen)
    report("verify (RFC 9162 §2.1.3.2)", ver)

    def tile_reader() -> tiles.TileHashReader:
        return tiles.TileHashReader(args.size, lambda t: tiles.read_tile_data(t, store))

    gen_t, _ = time_proofs(args.size, args.proofs, tile_reader, rng, root)
    report("generate, TileHashReader, cold tile cache", gen_t)

    print(f"\n(b) appends into the in-memory appender ({args.appends:,} leaf hashes)")
    hashes = [merkle.leaf_hash(leaf_data(i)) for i in range(args.appends)]
    cr = CompactRange()
    t0 = time.perf_counter()
    for h in hashes:
        cr.append(h)
    dt = time.perf_counter() - t0
    print(f"  CompactRange.append only               {args.appends / dt:12,.0f} appends/s")
    cr, sink = CompactRange(), MemoryHashStore()
    t0 = time.perf_counter()
    for h in hashes:
        sink.write_hashes(cr.append(h))
    dt = time.perf_counter() - t0
    print(f"  append + MemoryHashStore.write_hashes  {args.appends / dt:12,.0f} appends/s")
    assert cr.root() == merkle.tree_hash(args.appends, sink)


if __name__ == "__main__":
    main()
