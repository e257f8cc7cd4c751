"""Background work for the one-stop service: the hourly flag of overdue requests and reminders of tomorrow's
trainings."""

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


@db_periodic_task(crontab(minute="45"))
def training_reminder_task() -> int:
    """Every hour: whoever holds a place at a training starting within a day is reminded, once."""
    from .services import remind_trainings

    with audit.context(via="worker"):
        return remind_trainings()
