"""Evidence: time to capture and seal a typical page, and packages verified per second.

Usage: python bench/bench_evidence.py [--captures 5] [--verify-seconds 10]

Serves a typical shop page on loopback (HTML with text, a stylesheet, eight product images of about 100 KB, a
lazy-loaded image below the fold and an image from a second host), then in one process with a fresh data folder
(SQLite) captures it ``--captures`` times through the operator's service (the system Chromium, the address policy
opened to loopback), each capture followed by sealing: manifest, RFC 3161 token, public log entry, signed report,
WACZ package. Prints each capture's and sealing's seconds and the package size, then verifies the last package
offline (``verify.verify_package``) for ``--verify-seconds`` and prints packages per second.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import cpu_model

RUN = """
import json, statistics, sys, time
import django
django.setup()
from django.db import transaction
from artrights.core.addresses import AddressPolicy
from artrights.evidence import services
from artrights.evidence.models import EvidenceRecord
from artrights.registry.verification import platform_trust
from artrights.verify import verify_package

url, captures, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
policy = AddressPolicy(any_loopback=True)
rows = []
for _ in range(captures):
    start = time.perf_counter()
    record = services.operator_capture(url=url, policy=policy)
    total = time.perf_counter() - start
    record = EvidenceRecord.objects.get(pk=record.pk)
    if not record.is_sealed:
        print(json.dumps({"error": record.status, "reason": record.details}))
        sys.exit(1)
    sealing = (record.sealed_at - record.captured_at).total_seconds()
    rows.append({"total": total, "sealing": sealing, "bytes": record.package_size,
                 "artifacts": record.artifacts.count(), "requests": len(record.requests)})
data = record.package.open("rb").read()
trust = platform_trust()
assert verify_package(data, trust).ok
done, start = 0, time.perf_counter()
while time.perf_counter() - start < seconds:
    verify_package(data, trust)
    done += 1
print(json.dumps({"rows": rows, "verified_per_second": done / (time.perf_counter() - start)}))
"""


def typical_site(folder: Path) -> None:
    """A shop page: text, a stylesheet, eight product pictures, one lazy-loaded below the fold, one from elsewhere."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(5)
    for i in range(9):
        pixels = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).resize((800, 600), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=85)
        (folder / f"p{i}.jpg").write_bytes(buffer.getvalue())
    (folder / "shop.css").write_text("body{font-family:sans-serif;max-width:960px;margin:auto} img{width:45%}")
    items = "".join(
        f'<figure><img src="p{i}.jpg" alt="商品 {i}"><figcaption>商品 {i} 售价 39 元</figcaption></figure>'
        for i in range(8)
    )
    text = "<p>" + "本店所有商品均为原创设计，欢迎选购。" * 80 + "</p>"
    (folder / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>示例网店</title>'
        '<link rel="stylesheet" href="shop.css"></head><body><h1>示例网店</h1>'
        f"{text}{items}<div style='height:3000px'></div>"
        '<img loading="lazy" src="p8.jpg" alt="底部"><img src="http://127.0.0.2:{other}/p0.jpg" alt="外站">'
        "</body></html>",
        encoding="utf-8",
    )


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path, host: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), lambda *a: Quiet(*a, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=5)
    parser.add_argument("--verify-seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(f"python {platform.python_version()} on {platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        typical_site(site)
        other = serve(site, "127.0.0.2")
        index = (site / "index.html").read_text(encoding="utf-8").replace("{other}", str(other.server_address[1]))
        (site / "index.html").write_text(index, encoding="utf-8")
        main_server = serve(site, "127.0.0.1")
        url = f"http://127.0.0.1:{main_server.server_address[1]}/index.html"
        env = {
            **os.environ,
            "ARTRIGHTS_DATA_DIR": str(Path(tmp) / "data"),
            "DJANGO_SETTINGS_MODULE": "artrights.settings",
        }
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "artrights.cli", "migrate", "-v0"], env=env, check=True)
        done = subprocess.run(
            [sys.executable, "-c", RUN, url, str(args.captures), str(args.verify_seconds)],
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        print(done.stdout, done.stderr)
        return 1
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    print("capture+seal  sealing  package  artifacts  requests")
    for row in result["rows"]:
        print(
            f"{row['total']:10.2f} s {row['sealing']:6.2f} s {row['bytes'] / 1e6:6.2f} MB {row['artifacts']:9d}"
            f" {row['requests']:9d}"
        )
    totals = sorted(r["total"] for r in result["rows"])
    print(f"median capture and seal: {totals[len(totals) // 2]:.2f} s (first includes the browser's first start)")
    print(f"packages verified offline: {result['verified_per_second']:.2f} per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
