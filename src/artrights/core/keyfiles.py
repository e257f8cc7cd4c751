"""Secret key files the platform creates on first use (0600, never overwritten).

Two processes starting at once (web and worker) must end up with the same key: the file is written with
O_EXCL, and the loser of the race reads the winner's file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings


def keys_dir() -> Path:
    return Path(settings.ARTRIGHTS_KEYS_DIR)


def ensure_secret_file(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes, creating it from `make()` if it does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = make()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
    return path.read_bytes()
