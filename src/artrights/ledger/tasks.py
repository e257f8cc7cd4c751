"""Background tasks for the log. Thin wrappers: the work lives in services."""

from __future__ import annotations

from huey import crontab

from artrights.core import audit
from artrights.core.background import db_periodic_task

from . import selectors, services


@db_periodic_task(crontab(minute="*"))
def publish_log_checkpoint() -> int:
    """Every minute: sign a checkpoint if the log grew since the last one; returns the checkpoint size."""
    with audit.context(via="worker"):
        return services.publish_checkpoint().size


@db_periodic_task(crontab(minute="*/5"))
def anchor_audit_log() -> int:
    """Every five minutes: pin the audit trail's head in the public log (if it grew) and sign a checkpoint over it
    at once; returns how many audit events are anchored (0: nothing new)."""
    with audit.context(via="worker"):
        entry = services.anchor_audit_log()
        if entry is None:
            return 0
        services.publish_checkpoint()
        count, _head = selectors.audit_anchor_of(entry)
        return count
