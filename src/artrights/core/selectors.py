"""Reads for core."""

from __future__ import annotations

from .models import CalendarOverride
from .workdays import WorkdayCalendar


def working_calendar() -> WorkdayCalendar:
    """The mainland working-day calendar with the operator's overrides (newly published schedules)."""
    return WorkdayCalendar(dict(CalendarOverride.objects.values_list("day", "is_workday")))
