"""Reads for copy detection: what a person's pages list, and what the worker has to do next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from artrights.accounts.access import visible_to
from artrights.registry.models import FileRole, Work, WorkFile

from .fingerprint import engine_id
from .models import (
    URL_CHECK_ABANDONED_AFTER,
    MatchKind,
    MatchReport,
    PageCheck,
    ReferenceFingerprint,
    UrlCheck,
    UrlCheckStatus,
    WatchedPage,
)
from .scoring import clip_to_image


def recent_reports(user: Any, *, limit: int = 10) -> QuerySet[MatchReport]:
    """The latest match reports ``user`` may read, newest first."""
    return visible_to(user, MatchReport.objects.select_related("query_file"))[:limit]


def url_checks_in_flight(user: Any) -> QuerySet[UrlCheck]:
    """``user``'s URL checks still waiting or running (the lost ones, see URL_CHECK_ABANDONED_AFTER, aside)."""
    return UrlCheck.objects.filter(
        requester=user,
        status__in=(UrlCheckStatus.QUEUED, UrlCheckStatus.RUNNING),
        created_at__gte=timezone.now() - URL_CHECK_ABANDONED_AFTER,
    )


def unfinished_url_checks(user: Any, *, limit: int = 5) -> list[UrlCheck]:
    """``user``'s latest URL checks that gave no report yet (waiting, running, failed), newest first."""
    return list(visible_to(user, UrlCheck.objects.filter(requester=user).exclude(status=UrlCheckStatus.DONE))[:limit])


def watched_pages(user: Any) -> QuerySet[WatchedPage]:
    """The pages ``user`` watches, with what was found on them and their latest check (``last_check``)."""
    return visible_to(user, WatchedPage.objects.order_by("-created_at", "-pk")).prefetch_related(
        "hits__work", Prefetch("checks", queryset=PageCheck.objects.all()[:1], to_attr="latest_checks")
    )


# Two matches found at the same place in the suspect image (their areas overlap by SAME_PLACE of the
# smaller one) are copies of one another when their scores are equal at the precision a reader weighs
# (EQUAL_SCORE apart) or both make the work as good as certain (CERTAIN): then the scores say nothing about
# which was copied from which, and the earliest registration among them comes first (see report_matches).
# Scores are calibrated probabilities that never reach 1.0 (matching/scoring.py): a score of 0.8 or more was
# right at least 19 times in 20 on each of six development sets (0.949 on the hardest), and an identical file
# scores about 0.9999.  A mirrored crop of a work, with no hash agreement, scores about 0.85.
EQUAL_SCORE = 0.01
CERTAIN = 0.8
SAME_PLACE = 0.5


def report_matches(report: MatchReport) -> list[dict[str, Any]]:
    """The matches of ``report`` as the page and the API show them: each stored result with its kind in
    words, the work's public registration details, and its place in the order of priority.

    The engine lists matches by score.  When several registered works are found at the same place with
    equal (or equally certain) scores, they are copies of one another: listing a later filing of a copy
    first would present it as an equal of the original, so they are listed by registration date, the
    earliest marked as having priority and the later ones naming it."""
    results = [dict(r) for r in report.results]
    works = Work.objects.in_bulk([r["work_id"] for r in results])
    shown_sample = {}  # the sample registry:public_thumbnail shows, per work (its first)
    for work_id, sample_id in (
        WorkFile.objects.filter(work__in=works.values(), role=FileRole.SAMPLE)
        .exclude(iscc="")
        .order_by("-pk")
        .values_list("work_id", "pk")
    ):
        shown_sample[work_id] = sample_id
    for r in results:
        work = works.get(r["work_id"])
        r["label_text"] = str(MatchKind(r["label"]).label) if r.get("label") else ""
        r["registered_at"] = work.registered_at if work else None
        r["kind"] = work.get_kind_display() if work else ""
        r["work_type"] = work.get_work_type_display() if work else ""
        r["status"] = work.get_status_display() if work else ""
        r["log_index"] = work.log_index if work else None
        if "query_area" not in r:  # a report made before the areas were stored: the region, clipped
            r["query_area"] = [list(p) for p in clip_to_image(r["region"], report.width, report.height)]
        # The work's area is drawn on the public thumbnail only when that shows the sample that matched.
        r["work_area_shown"] = bool(r.get("work_area")) and shown_sample.get(r["work_id"]) == r.get("work_file_id")
    return _in_priority_order(results)


def _in_priority_order(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    group = list(range(len(results)))  # union-find over "copies of one another"

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, a in enumerate(results):
        for j in range(i):
            if _equal_scores(a["score"], results[j]["score"]) and _same_place(a, results[j]):
                group[root(i)] = root(j)
    order: dict[int, list[int]] = {}
    for i in range(len(results)):  # groups in the engine's order of their best match
        order.setdefault(root(i), []).append(i)
    ordered = []
    for members in order.values():
        members.sort(key=lambda i: (results[i]["registered_at"] is None, results[i]["registered_at"] or 0, i))
        first = results[members[0]]
        for position, i in enumerate(members):
            r = results[i]
            r["equals"] = [results[m]["number"] for m in members if m != i]
            r["priority"] = len(members) > 1 and position == 0
            r["earlier_registration"] = first["number"] if position > 0 else None
            ordered.append(r)
    return ordered


def _equal_scores(a: float, b: float) -> bool:
    return abs(a - b) <= EQUAL_SCORE or min(a, b) >= CERTAIN


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Do the two matches' areas in the query overlap by SAME_PLACE of the smaller one (bounding boxes)?"""
    boxes: list[tuple[float, float, float, float]] = []
    for r in (a, b):
        xs, ys = [float(p[0]) for p in r["query_area"]], [float(p[1]) for p in r["query_area"]]
        if not xs:
            return False
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes
    overlap = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return smaller > 0 and overlap >= SAME_PLACE * smaller


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
