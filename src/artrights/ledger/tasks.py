"""Background tasks for the log. Thin wrappers: the work lives in services."""

from __future__ import annotations

from huey import crontab

from artrights.core.background import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def publish_log_checkpoint() -> int:
    """Every minute: sign a checkpoint if the log grew since the last one; returns the checkpoint size."""
    return services.publish_checkpoint().size
