from __future__ import annotations

import datetime as dt

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from .identifiers import IdentifierError, parse_resident_id, parse_uscc
from .messages import in_user_language
from .selectors import working_calendar

# No raw upload here: every file the platform keeps comes with the business act that needs it (an application's
# samples, a suspect image to check), under that act's access rule, and is attached to it in the same transaction.
router = Router(tags=["core"])


class IdentifierCheckOut(Schema):
    valid: bool
    normalised: str | None = None
    code: str | None = None
    position: int | None = None
    message: str | None = None


@router.get("/identifiers/check", response=IdentifierCheckOut, auth=None, summary="Check a USCC or ID number")
def check_identifier(request: HttpRequest, kind: str, value: str) -> IdentifierCheckOut:
    """kind = `uscc` (GB 32100 unified social credit code) or `resident_id` (GB 11643 citizen ID number)."""
    parser = {"uscc": lambda v: parse_uscc(v).code, "resident_id": lambda v: parse_resident_id(v).number}.get(kind)
    if parser is None:
        return IdentifierCheckOut(valid=False, code="unknown_kind", message="kind: uscc | resident_id")
    try:
        return IdentifierCheckOut(valid=True, normalised=parser(value))
    except IdentifierError as exc:
        return IdentifierCheckOut(valid=False, code=exc.code, position=exc.position, message=in_user_language(exc))


class WorkdaysOut(Schema):
    start: dt.date
    working_days: int
    due: dt.date
    provisional: bool


@router.get("/workdays/add", response=WorkdaysOut, auth=None, summary="Add working days (mainland calendar)")
def workdays_add(request: HttpRequest, start: dt.date, days: int) -> WorkdaysOut:
    calendar = working_calendar()
    due = calendar.add_working_days(start, days)
    return WorkdaysOut(start=start, working_days=days, due=due, provisional=calendar.is_provisional(start, due))


class HealthOut(Schema):
    status: str
    database: str


@router.get("/health", response=HealthOut, auth=None, summary="Liveness and database check")
def health(request: HttpRequest) -> HealthOut:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HealthOut(status="ok", database=connection.vendor)
