"""Reads for copy detection: what a person's pages list, and what the worker has to do next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from artrights.accounts.access import visible_to

from .fingerprint import engine_id
from .models import MatchReport, ReferenceFingerprint, WatchedPage


def recent_reports(user: Any, *, limit: int = 10) -> QuerySet[MatchReport]:
    """The latest match reports ``user`` may read, newest first."""
    return visible_to(user, MatchReport.objects.select_related("query_file"))[:limit]


def watched_pages(user: Any) -> QuerySet[WatchedPage]:
    """The pages ``user`` watches, with what was found on them."""
    return visible_to(user, WatchedPage.objects.all()).prefetch_related("hits__work")


def stale_fingerprints() -> QuerySet[ReferenceFingerprint]:
    """Active fingerprints that another engine made (an older release, another descriptor model)."""
    return ReferenceFingerprint.objects.filter(active=True).exclude(engine=engine_id())


def due_pages(now: dt.datetime | None = None) -> list[WatchedPage]:
    """Watched pages whose interval has passed since their last check."""
    now = now or timezone.now()
    return [
        p
        for p in WatchedPage.objects.filter(active=True)
        if p.last_checked_at is None or p.last_checked_at + dt.timedelta(minutes=p.interval_minutes) <= now
    ]
