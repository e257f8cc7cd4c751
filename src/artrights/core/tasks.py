"""Background tasks for core. Thin wrappers: the work itself lives in services."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from huey import crontab

from . import audit
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


# Six tries over about fifty minutes (services.DELIVERY_ATTEMPTS): an SMTP server or SMS gateway that is down
# for a while still gets the copy out; the inbox row exists whatever happens here.
@db_task(retries=5, retry_delay=600)
def deliver_task(delivery_id: int) -> str:
    """Send one e-mail or SMS copy of a notification; a failure is recorded on the copy, then retried."""
    from .services import deliver

    with audit.context(via="worker"):
        return deliver(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*/15"))
def requeue_stalled_deliveries_task() -> int:
    from .services import requeue_stalled_deliveries

    with audit.context(via="worker"):
        return requeue_stalled_deliveries()


@db_periodic_task(crontab(hour="4", minute="41"))
def collect_orphan_files_task() -> int:
    from .services import collect_orphan_files

    return len(collect_orphan_files())
