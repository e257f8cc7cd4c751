"""Background tasks for core. Thin wrappers: the work itself lives in services."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from huey import crontab

from .background import db_periodic_task, db_task


@db_task()
def worker_probe(token: str) -> dict[str, Any]:
    """Answer from inside the worker: proves a consumer picked the task up and can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {
        "token": token,
        "pid": os.getpid(),
        "at": timezone.now().isoformat(),
        "database": connection.vendor,
    }


@db_periodic_task(crontab(hour="3", minute="17"))
def clear_expired_sessions() -> None:
    call_command("clearsessions")
