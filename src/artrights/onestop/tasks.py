"""Background work for the one-stop service: the daily flag of overdue requests."""

from __future__ import annotations

from huey import crontab

from artrights.core import audit
from artrights.core.background import db_periodic_task


@db_periodic_task(crontab(minute="40"))
def overdue_task() -> int:
    """Every hour: the staff of requests past their deadline are told, once per request."""
    from .services import flag_overdue

    with audit.context(via="worker"):
        return flag_overdue()
