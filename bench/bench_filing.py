"""Digital filings through the API under load: filings per second, request latency, and time to certificate.

Usage: python bench/bench_filing.py [--clients 10] [--filings 40]

Starts `artrights serve` (web and worker, SQLite, a fresh data folder) on a free loopback port, makes a verified
rights holder with a write token, then ``--clients`` threads post ``--filings`` digital filings in all, each with
its own picture. Prints the request throughput and latency (the filing number comes back at once) and how long
until every certificate was made by the worker.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import cpu_model, percentile

SETUP = """
import django
django.setup()
from artrights.accounts.services import create_user, issue_token
from artrights.testing import LIN, give_identity
user = give_identity(create_user(username="bench", role="artist", password="bench-unused-7c1d"), LIN)
print(issue_token(user=user, name="bench", scopes=["read", "write"])[1])
"""


def painting(seed: int) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).resize((640, 480), Image.Resampling.BICUBIC).save(buffer, "PNG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--filings", type=int, default=40)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="artrights-bench-filing-")
    env = {**os.environ, "ARTRIGHTS_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "artrights.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "artrights.cli", "migrate", "-v0"], env=env, check=True)
    token = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "artrights.cli", "serve", "--port", str(port), "--no-demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        images = [painting(9000 + i) for i in range(args.filings)]
        latencies: list[float] = []
        ids: list[int] = []
        failures: list[str] = []
        lock = threading.Lock()
        queue = list(range(args.filings))

        def client() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    i = queue.pop()
                meta = {"title": f"压测作品{i}", "work_type": "FINE_ART", "authors": [{"name": "林画家"}]}
                meta["completed_on"] = "2026-01-02"
                body, content_type = multipart(
                    {"data": json.dumps(meta)}, {"image": (f"{i}.png", images[i], "image/png")}
                )
                request = urllib.request.Request(
                    f"{base}/api/registry/digital-filings",
                    data=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
                )
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=300) as response:
                        answer = json.loads(response.read())
                    with lock:
                        latencies.append(time.perf_counter() - started)
                        ids.append(int(answer["id"]))
                except Exception as exc:  # reported below; the benchmark goes on
                    with lock:
                        failures.append(repr(exc)[:200])

        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answered = time.perf_counter() - began
        pending = set(ids)
        while pending and time.perf_counter() - began < 1800:
            for work_id in list(pending):
                request = urllib.request.Request(
                    f"{base}/api/registry/works/{work_id}", headers={"Authorization": f"Bearer {token}"}
                )
                with urllib.request.urlopen(request, timeout=60) as response:
                    if json.loads(response.read())["certificate_ready"]:
                        pending.discard(work_id)
            time.sleep(0.5)
        certified = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
    print(f"machine: {cpu_model()} · {os.cpu_count()} cores · Python {platform.python_version()} · SQLite")
    print(f"{len(ids)} filings by {args.clients} clients, {len(failures)} failed {failures[:3]}")
    print(
        f"answered: {len(ids) / answered:.2f} filings/s · p50 {percentile(latencies, 0.5):.2f} s · "
        f"p95 {percentile(latencies, 0.95):.2f} s"
    )
    print(
        f"certified: all {len(ids) - len(pending)} certificates made {certified:.1f} s after the first request "
        f"({(len(ids) - len(pending)) / certified:.2f} certificates/s)"
    )
    return 0 if not failures and not pending else 1


if __name__ == "__main__":
    sys.exit(main())
