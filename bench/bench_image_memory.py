"""Peak memory for the largest image the platform accepts, step by step.

Usage: python bench/bench_image_memory.py [--pixels 79000000]

Makes a small PNG (a few hundred kilobytes, as an attacker would) of about ``--pixels`` pixels (default: just
under the default budget of 80 megapixels), then, each in a fresh process so that one step's peak does not hide
another's, runs what a filing does with it: decoding it (`core.images.load_image`), the upload check (decoding
and the ISCC image code) and fingerprinting it as a query (the screening). Prints each step's peak resident
memory above the process's baseline.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from machine import cpu_model

STEP = """
import os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artrights.settings")
import django
django.setup()
from artrights.core.images import load_image
from artrights.matching.fingerprint import extract
from artrights.registry.services.applications import inspect_image
data = open(sys.argv[1], "rb").read()
step = sys.argv[2]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if step == "decode":
    load_image(data)
elif step == "upload check":
    inspect_image(data)
else:
    extract(load_image(data), query=True)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024)
"""


def attack_png(pixels: int) -> bytes:
    from PIL import Image, ImageDraw

    side = int(math.sqrt(pixels))
    image = Image.new("RGB", (side, side), (240, 230, 200))
    draw = ImageDraw.Draw(image)
    for x in range(0, side, 400):
        draw.line((x, 0, side - x, side), fill=(x % 255, 30, 90), width=9)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pixels", type=int, default=79_000_000)
    args = parser.parse_args()
    data = attack_png(args.pixels)
    side = int(math.sqrt(args.pixels))
    env = {**os.environ, "ARTRIGHTS_DATA_DIR": tempfile.mkdtemp(prefix="artrights-bench-memory-")}
    print(f"machine: {cpu_model()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"image: PNG {side}×{side} ({side * side / 1e6:.0f} MP), {len(data) / 1024:.0f} KB on disk")
    with tempfile.NamedTemporaryFile(suffix=".png") as fh:
        fh.write(data)
        fh.flush()
        for step in ("decode", "upload check", "fingerprint"):
            result = subprocess.run(
                [sys.executable, "-c", STEP, fh.name, step], env=env, capture_output=True, text=True, check=True
            )
            print(f"{step:>13}: peak {float(result.stdout.strip()):.0f} MB above the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
