"""Background work for licensing: reminders of overdue royalty reports and payments, as a thin wrapper."""

from __future__ import annotations

from huey import crontab

from artrights.core import audit
from artrights.core.background import db_periodic_task


@db_periodic_task(crontab(hour="9", minute="5"))
def royalty_reminders_task() -> int:
    """Every morning: remind licensees (copying licensors) of reports and payments that fell overdue."""
    from .services import send_reminders

    with audit.context(via="worker"):
        return send_reminders()
