"""What every registry write shares: the one way a work changes state, under a row lock."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from artrights.core import audit
from artrights.core.selectors import working_calendar

from .. import events
from ..models import REGISTRATION_FLOW, Work
from ..signals import work_closed


def _transition(work: Work, action: str, actor: Any, **changes: Any) -> Work:
    old, new = REGISTRATION_FLOW.apply(work, action)
    for name, value in changes.items():
        setattr(work, name, value)
    work.save()
    audit.record(f"registry.{action}", work, actor=actor, changes={"status": [old, new]})
    events.announce(work, action, actor=actor)
    return work


def _locked(work: Work) -> Work:
    """Re-read the work under a row lock so two decisions on it cannot interleave."""
    return Work.objects.select_for_update().get(pk=work.pk)


def _review_clock() -> dict[str, Any]:
    calendar = working_calendar()
    today = timezone.localdate()
    due = calendar.add_working_days(today, settings.ARTRIGHTS_REVIEW_WORKING_DAYS)
    return {"review_due": due, "review_due_provisional": calendar.is_provisional(today, due)}


def _closed_after_commit(work: Work) -> None:
    """Tell other apps, once committed, that the application was withdrawn, refused or deemed withdrawn."""
    transaction.on_commit(lambda: work_closed.send(sender=Work, work=work))
