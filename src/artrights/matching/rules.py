"""Who may check images, watch pages and see reports (see accounts.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import MatchReport, WatchedPage

CHECKERS = (
    Role.ARTIST,
    Role.AGENCY,
    Role.REGISTRAR,
    Role.SUPERVISOR,
    Role.INSPECTOR,
    Role.MEDIATOR,
    Role.MEDIATION_ADMIN,
)


@rule(MatchReport, "create")
def _check(user: Any, report: None) -> bool:
    return user.role in CHECKERS


@rule(MatchReport, "view")
def _view(user: Any, report: MatchReport) -> bool:
    return report.requester_id == user.pk or user.role in (Role.SUPERVISOR, Role.REGISTRAR)


@visible(MatchReport)
def _reports(user: Any, qs: QuerySet[MatchReport]) -> QuerySet[MatchReport]:
    return qs if user.role in (Role.SUPERVISOR, Role.REGISTRAR) else qs.filter(requester=user)


@rule(WatchedPage, "create")
def _watch(user: Any, page: None) -> bool:
    return user.role in CHECKERS


@visible(WatchedPage)
def _pages(user: Any, qs: QuerySet[WatchedPage]) -> QuerySet[WatchedPage]:
    return qs.filter(owner=user)
