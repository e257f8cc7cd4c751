"""Who may check images, watch pages, read reports and fix them as evidence (see accounts.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import MatchReport, UrlCheck, WatchedPage

CHECKERS = (
    Role.ARTIST,
    Role.AGENCY,
    Role.REGISTRAR,
    Role.SUPERVISOR,
    Role.INSPECTOR,
    Role.MEDIATOR,
    Role.MEDIATION_ADMIN,
)
# Officials who read every report: registrars (duplicate questions) and supervisors (enforcement).
READERS = (Role.SUPERVISOR, Role.REGISTRAR)


@rule(MatchReport, "check")
def _check(user: Any, report: None) -> bool:
    return user.role in CHECKERS


@rule(MatchReport, "view")
def _view(user: Any, report: MatchReport) -> bool:
    return report.requester_id == user.pk or user.role in READERS


@rule(MatchReport, "fix_evidence")
def _fix_evidence(user: Any, report: MatchReport) -> bool:
    """A public act (a log entry in the requester's matter): only the person who ran the check fixes it."""
    return bool(report.requester_id == user.pk)


@visible(MatchReport)
def _reports(user: Any, qs: QuerySet[MatchReport]) -> QuerySet[MatchReport]:
    return qs if user.role in READERS else qs.filter(requester=user)


@rule(WatchedPage, "watch")
def _watch(user: Any, page: None) -> bool:
    return user.role in CHECKERS


@visible(WatchedPage)
def _pages(user: Any, qs: QuerySet[WatchedPage]) -> QuerySet[WatchedPage]:
    return qs.filter(owner=user)


@visible(UrlCheck)
def _url_checks(user: Any, qs: QuerySet[UrlCheck]) -> QuerySet[UrlCheck]:
    """A URL check is its requester's until it gives a report (which the report's own rules then govern)."""
    return qs.filter(requester=user)
