"""Real `kill -9`s during `artrights file`, in a loop: afterwards the sweep and the collector leave no grant without
its certificate and no file that no record names.

Each run is a separate process on its own data folder (SQLite, as `make run` uses), killed at a moment drawn
from a seeded generator so that kills land before, during and after the commit of the grant.
"""

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .factories import artwork_png

FILE_COMMAND = [sys.executable, "-m", "artrights.cli", "file"]

pytestmark = pytest.mark.slow

RUNS = 6

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from artrights.accounts.services import create_user
from artrights.testing import LIN, give_identity
give_identity(create_user(username="lin", role="artist", password="x-unused-9f3a"), LIN)
"""

REPAIR = """
import datetime as dt, json
import django
django.setup()
from artrights.core.services import collect_orphan_files
from artrights.registry.issuance import issue_due
from artrights.registry.models import Work
def census():
    granted = Work.objects.filter(status__in=["filed", "registered"])
    return {
        "granted": granted.count(),
        "without_certificate": granted.filter(certificates__isnull=True).count(),
        "orphans": len(collect_orphan_files(older_than=dt.timedelta(0), dry_run=True)),
    }
before = census()
issue_due(older_than=dt.timedelta(0))
collect_orphan_files(older_than=dt.timedelta(0))
print(json.dumps({"before": before, "after": census()}))
"""


def _python(code: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_filings_killed_at_random_moments_end_certified_or_not_at_all_with_no_orphan_files(
    tmp_path: Path, copy_migrated: Callable[[Path], Path]
) -> None:
    copy_migrated(tmp_path / "data")
    env = {
        **os.environ,
        "ARTRIGHTS_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "artrights.settings",
        "HUEY_IMMEDIATE": "0",  # the queued job stays queued: no worker runs here, as after a crash
    }
    env.pop("DATABASE_URL", None)
    _python(SETUP, env)
    rng = random.Random(20261129)
    outcomes = []
    full_run = 0.0
    for run in range(RUNS):
        image = tmp_path / f"work-{run}.png"
        image.write_bytes(artwork_png(300 + run))
        out = str(tmp_path / f"out-{run}")
        started = time.monotonic()
        process = subprocess.Popen(
            [*FILE_COMMAND, str(image), "--title", f"作品{run}", "--author", "林", "--as-user", "lin", "--out", out],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The first run goes to the end and times a whole filing on this machine; the others are killed at a
        # point drawn across it, from start-up to just after the certificate is written.
        deadline = started + (rng.uniform(0.45, 1.0) * full_run if run else 600.0)
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            outcomes.append("killed")
        else:
            outcomes.append("finished")
            full_run = full_run or time.monotonic() - started
        process.wait()
    report = __import__("json").loads(_python(REPAIR, env))
    print(outcomes, report)
    assert outcomes.count("killed") >= RUNS // 2
    assert report["after"] == {"granted": report["before"]["granted"], "without_certificate": 0, "orphans": 0}
