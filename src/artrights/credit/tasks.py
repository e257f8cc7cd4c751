"""Background work for credit: what time does by itself, as a thin wrapper around the service."""

from __future__ import annotations

from huey import crontab

from artrights.core import audit
from artrights.core.background import db_periodic_task, lock

# Created when the module is imported, so the consumer knows the name and clears it after a killed worker.
SWEEP_LOCK = lock("credit.sweep")


@db_periodic_task(crontab(minute="15"))
def sweep_task() -> dict[str, int]:
    """Every hour: records past their longest publicity period stop being published, listings past their period
    end, agency grades follow."""
    from .services import sweep

    with SWEEP_LOCK, audit.context(via="worker"):
        return sweep()
