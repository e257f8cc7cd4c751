"""A pytest plugin (loaded with `-p artrights.pytest_env` from pyproject) that prepares the environment
before pytest-django reads the settings: an isolated data directory per run (and per xdist worker) and
background tasks run in-process, unless a test starts a real consumer itself."""

from __future__ import annotations

import os
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
os.environ.setdefault("ARTRIGHTS_DATA_DIR", tempfile.mkdtemp(prefix=f"artrights-test-{_worker}-"))
os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.pop("S3_BUCKET", None)
os.environ.setdefault("ARTRIGHTS_ENV_FILE", os.devnull)  # a developer's .env must not leak into tests
