"""A pytest plugin (loaded with `-p artrights.pytest_env` from pyproject) that prepares the environment
before pytest-django reads the settings: an isolated data directory per run, removed afterwards, and
background tasks run in-process, unless a test starts a real consumer itself."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

_created: str | None = None
if "ARTRIGHTS_DATA_DIR" not in os.environ:
    # xdist workers inherit the controller's directory through the environment.
    _created = tempfile.mkdtemp(prefix="artrights-test-")
    os.environ["ARTRIGHTS_DATA_DIR"] = _created
os.environ.setdefault("HUEY_IMMEDIATE", "1")
# Text messages land in artrights.core.sms.outbox, as Django's test set-up sends e-mail to mail.outbox.
os.environ.setdefault("ARTRIGHTS_SMS_BACKEND", "artrights.core.sms.LocmemBackend")
os.environ.pop("S3_BUCKET", None)
os.environ.setdefault("ARTRIGHTS_ENV_FILE", os.devnull)  # a developer's .env must not leak into tests


def pytest_unconfigure(config: Any) -> None:
    if _created and not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(_created, ignore_errors=True)
