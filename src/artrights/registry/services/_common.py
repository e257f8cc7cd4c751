"""What every registry write shares: the one way a work changes state, under a row lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artrights.core import audit
from artrights.core.messages import with_field_labels
from artrights.core.selectors import working_calendar

from .. import events
from ..models import REGISTRATION_FLOW, Kind, Software, Work
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


def _review_clock(work: Work) -> dict[str, Any]:
    """The review deadline from today, by the work's register: working days for works, calendar days (60) for
    software (《计算机软件著作权登记办法》 Art. 19)."""
    today = timezone.localdate()
    if work.kind == Kind.SOFTWARE:
        return {
            "review_due": today + dt.timedelta(days=settings.ARTRIGHTS_SOFTWARE_REVIEW_DAYS),
            "review_due_provisional": False,
        }
    calendar = working_calendar()
    due = calendar.add_working_days(today, settings.ARTRIGHTS_REVIEW_WORKING_DAYS)
    return {"review_due": due, "review_due_provisional": calendar.is_provisional(today, due)}


def correction_days(work: Work) -> int:
    """Days the applicant has to answer a correction notice in the work's register (software: 30)."""
    if work.kind == Kind.SOFTWARE:
        return int(settings.ARTRIGHTS_SOFTWARE_CORRECTION_DAYS)
    return int(settings.ARTRIGHTS_CORRECTION_DAYS)


def _closed_after_commit(work: Work) -> None:
    """Tell other apps, once committed, that the application was withdrawn, refused or deemed withdrawn."""
    transaction.on_commit(lambda: work_closed.send(sender=Work, work=work))


# A software's particulars that a correction or a change may set; a new version is a new registration.
SOFTWARE_CHANGEABLE = frozenset(
    {
        "short_name",
        "category",
        "development_mode",
        "hardware_environment",
        "software_environment",
        "languages",
        "main_functions",
        "technical_features",
    }
)


def set_software_fields(work: Work, fields: dict[str, Any]) -> dict[str, Any]:
    """Set a software's corrected or changed particulars (validated, saved); returns what they were."""
    if not fields:
        return {}
    software = Software.objects.select_for_update().get(work=work)
    before = {name: getattr(software, name) for name in fields}
    for name, value in fields.items():
        setattr(software, name, value)
    try:
        software.full_clean(exclude=["work"])
    except ValidationError as exc:
        raise with_field_labels(exc, Software) from None
    software.save()
    work.software = software
    return before
