"""Working-day (工作日) arithmetic on the mainland holiday and make-up-day schedule. Pure Python, no Django.

The official schedule comes from `chinese_calendar`, which covers the years the State Council has published.
For a year it does not know yet (the next year's schedule is announced late in the year), the calendar falls
back to the plain Monday–Friday rule plus the fixed-date statutory holidays, and marks such results as
provisional so a deadline can be shown as "to be confirmed". Operators can enter the official schedule as
overrides as soon as it is published; overrides always win.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar

from .errors import BilingualError

# Legal time limits run to months, not decades: ten years of working days bounds every loop below, so a request
# cannot make the server count for minutes.
MAX_WORKING_DAYS = 2500
MAX_SPAN = dt.timedelta(days=3660)

# Fixed-date statutory holidays (全国年节及纪念日放假办法): New Year's Day, Labour Day, National Day 1–3.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


@functools.cache
def _official_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


@dataclass(frozen=True)
class WorkdayCalendar:
    """A calendar of working days; `overrides` maps a date to True (working day) or False (day off)."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_official(self, day: dt.date) -> bool:
        """True when the day's status comes from a published schedule or an operator override."""
        first, last = _official_years()
        return day in self.overrides or first <= day.year <= last

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        first, last = _official_years()
        if first <= day.year <= last:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself does not count, as in 自…起N个工作日).

        A negative `days` counts backwards. Zero returns `start` unchanged.
        """
        if abs(days) > MAX_WORKING_DAYS:
            raise BilingualError(
                "workdays_out_of_range",
                f"工作日数须在 ±{MAX_WORKING_DAYS} 之内。",
                f"The number of working days must be within ±{MAX_WORKING_DAYS}.",
            )
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        day = start
        try:
            while remaining:
                day += dt.timedelta(days=step)
                if self.is_workday(day):
                    remaining -= 1
        except OverflowError:  # past 9999-12-31 or before 0001-01-01
            raise BilingualError("date_out_of_range", "日期超出范围。", "The date is out of range.") from None
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        _check_span(start, end)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when any day in [start, end] was decided by the fallback rule, not a published schedule."""
        lo, hi = min(start, end), max(start, end)
        first, last = _official_years()
        if first <= lo.year and hi.year <= last:
            return False
        _check_span(lo, hi)
        day = lo
        while day <= hi:
            if not self.is_official(day):
                return True
            day += dt.timedelta(days=1)
        return False


def _check_span(start: dt.date, end: dt.date) -> None:
    if abs(end - start) > MAX_SPAN:
        raise BilingualError(
            "workdays_out_of_range",
            "起止日期相隔不能超过十年。",
            "The start and end dates must be at most ten years apart.",
        )


DEFAULT_CALENDAR = WorkdayCalendar()


def add_working_days(start: dt.date, days: int, calendar: WorkdayCalendar = DEFAULT_CALENDAR) -> dt.date:
    return calendar.add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkdayCalendar = DEFAULT_CALENDAR) -> int:
    return calendar.working_days_between(start, end)
