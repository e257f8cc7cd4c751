"""Copy detection in the platform: fingerprints of registered works, the in-memory index, checks of suspect
images and pages, and fixing a match as evidence.

Each process keeps one `MatchIndex`, synchronised with the database before every search: new fingerprints
are added and revoked works removed incrementally, so registering a work never rebuilds the index.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.fetch import FetchError, ensure_fetchable, fetch
from artrights.core.images import ImageRejected, load_image, to_rgb_array
from artrights.core.messages import as_validation_error
from artrights.core.services import notify, store_file
from artrights.registry.models import FileRole, Work, WorkFile
from artrights.registry.screening import GRANTED, LIVE

from . import selectors, tasks
from .fingerprint import Fingerprint, engine_id, extract
from .index import MatchIndex
from .models import (
    URL_CHECK_FLOW,
    MatchKind,
    MatchReport,
    MonitorHit,
    PageCheck,
    ReferenceFingerprint,
    UrlCheck,
    UrlCheckStatus,
    WatchedPage,
)
from .notifications import COPIES_FOUND, PAGE_UNREACHABLE
from .scoring import clip_to_image, matched_areas, picture_difference, polygon_area

logger = logging.getLogger(__name__)


def threshold() -> float:
    """Scores at or above this are reported as copies (calibrated once; the same for every query)."""
    return float(settings.ARTRIGHTS_MATCH_THRESHOLD)


# Fingerprints and the index ---------------------------------------------------------------------------


def _fingerprint_sample(wf: WorkFile) -> Fingerprint | None:
    with wf.stored_file.file.open("rb") as fh:
        data = fh.read()
    try:
        return extract(load_image(data))
    except ImageRejected:
        logger.warning("sample %s of work %s cannot be fingerprinted", wf.pk, wf.work_id)
        return None


def fingerprint_work(work: Work) -> list[ReferenceFingerprint]:
    """Fingerprint every sample image of a granted work or a pending application (once); a sample the applicant
    took back in a correction leaves the index."""
    if work.status not in LIVE:  # a task queued before a revocation or a withdrawal
        return []
    ReferenceFingerprint.objects.filter(work=work, active=True).exclude(work_file__role=FileRole.SAMPLE).update(
        active=False, deactivated_at=timezone.now()
    )
    made = []
    for wf in WorkFile.objects.filter(work=work, role=FileRole.SAMPLE).exclude(iscc="").select_related("stored_file"):
        if ReferenceFingerprint.objects.filter(work_file=wf, active=True).exists():
            continue
        fp = _fingerprint_sample(wf)
        if fp is not None:
            made.append(
                ReferenceFingerprint.objects.create(
                    work=work, work_file=wf, data=fp.to_bytes(), vocab_version=fp.vocab_version, engine=engine_id()
                )
            )
    return made


@dataclass(frozen=True)
class RefingerprintResult:
    renewed: int
    failed: int
    remaining: int


def refingerprint_stale(
    *,
    limit: int | None = None,
    seconds: float | None = None,
    part: tuple[int, int] = (0, 1),
    on_sample: Callable[[], None] | None = None,
) -> RefingerprintResult:
    """Extract stale fingerprints again with the current engine, oldest first, until ``limit`` samples
    or ``seconds`` have passed.  The old row is deactivated and a new one created in one transaction,
    so the index never lacks the work.  ``part=(i, n)`` takes the rows whose id is i modulo n, for n
    processes sharing the job.  A sample that can no longer be read keeps its old fingerprint."""
    started = time.monotonic()
    renewed = failed = 0
    cursor = 0
    current = engine_id()

    def done() -> bool:
        return (limit is not None and renewed + failed >= limit) or (
            seconds is not None and time.monotonic() - started >= seconds
        )

    while not done():
        batch = list(
            selectors.stale_fingerprints()
            .filter(pk__gt=cursor)
            .select_related("work_file__stored_file")
            .order_by("pk")[:200]
        )
        if not batch:
            break
        for old in batch:
            if done():
                break
            cursor = old.pk
            if old.pk % part[1] != part[0]:
                continue
            fp = _fingerprint_sample(old.work_file)
            if on_sample is not None:
                on_sample()
            if fp is None:
                failed += 1
                continue
            with transaction.atomic():
                if not ReferenceFingerprint.objects.filter(pk=old.pk, active=True).update(
                    active=False, deactivated_at=timezone.now()
                ):
                    continue  # revoked or renewed by another process meanwhile
                ReferenceFingerprint.objects.create(
                    work_id=old.work_id,
                    work_file_id=old.work_file_id,
                    data=fp.to_bytes(),
                    vocab_version=fp.vocab_version,
                    engine=current,
                )
            renewed += 1
    return RefingerprintResult(renewed, failed, selectors.stale_fingerprints().count())


# A row becomes visible to other processes only when its transaction commits, which can be after rows with
# later ids or timestamps were read; every sync therefore looks this far back for changes it may have missed.
SYNC_LOOKBACK = dt.timedelta(minutes=10)


class _ProcessIndex:
    """The process's index and how far it has read the fingerprint table."""

    def __init__(self) -> None:
        self.index = MatchIndex()
        self.loaded_upto = 0
        self.synced_at: dt.datetime | None = None
        # When each loaded row was created: a row read inside a transaction that then rolled back leaves its id
        # free, and SQLite gives that id to the next row, which must replace the phantom, not be taken for it.
        self.created: dict[int, dt.datetime] = {}
        self.lock = threading.Lock()

    def sync(self) -> MatchIndex:
        with self.lock:
            now = timezone.now()
            active = ReferenceFingerprint.objects.filter(active=True)
            if self.synced_at is not None:
                since = self.synced_at - SYNC_LOOKBACK
                gone = ReferenceFingerprint.objects.filter(active=False, deactivated_at__gte=since)
                for pk in gone.values_list("pk", flat=True):
                    self._drop(pk)
                active = active.filter(Q(pk__gt=self.loaded_upto) | Q(created_at__gte=since))
            new = [pk for pk, created in active.values_list("pk", "created_at") if self.created.get(pk) != created]
            for start in range(0, len(new), 500):
                rows = ReferenceFingerprint.objects.filter(pk__in=new[start : start + 500], active=True)
                for pk, created, data in rows.values_list("pk", "created_at", "data"):
                    self._drop(pk)
                    self.index.add(str(pk), Fingerprint.from_bytes(bytes(data)))
                    self.created[pk] = created
                    self.loaded_upto = max(self.loaded_upto, pk)
            self.synced_at = now
            return self.index

    def _drop(self, pk: int) -> None:
        if str(pk) in self.index:
            self.index.remove(str(pk))
        self.created.pop(pk, None)

    def reset(self) -> None:
        with self.lock:
            self.index = MatchIndex()
            self.loaded_upto = 0
            self.synced_at = None
            self.created = {}


_process_index = _ProcessIndex()


def reference_index() -> MatchIndex:
    return _process_index.sync()


@dataclass(frozen=True)
class FoundWork:
    work: Work
    score: float
    region: list[tuple[float, float]]
    homography: list[list[float]] | None
    inliers: int
    work_file_id: int | None = None  # the sample whose fingerprint matched
    work_size: tuple[int, int] | None = None  # that sample's size in pixels: the frame of the homography
    # the inner cells of the matched area holding agreeing keypoints, of those holding any (Match.regions)
    regions: int = 0
    textured_regions: int = 0
    panel: tuple[float, float, float, float] | None = None  # the picture on the query page showing it (Match.panel)


def search(
    fp: Fingerprint, *, exclude_work: int | None = None, k: int = 10, statuses: tuple[str, ...] = GRANTED
) -> list[FoundWork]:
    """Works in ``statuses`` (registered ones unless a registrar screens pending applications too) whose samples
    appear in the query fingerprint, best first, above the threshold."""
    # Pending applications share the index with registered works; ask for more so filtering them keeps k.
    matches = reference_index().search(fp, k=k * 4, min_score=threshold())
    by_pk = {
        rf.pk: rf
        for rf in ReferenceFingerprint.objects.filter(
            pk__in=[int(m.ref_id) for m in matches], active=True
        ).select_related("work")
    }
    found: dict[int, FoundWork] = {}
    for m in matches:
        rf = by_pk.get(int(m.ref_id))
        if rf is None or rf.work.status not in statuses or rf.work_id == exclude_work or rf.work_id in found:
            continue
        ref = Fingerprint.from_bytes(bytes(rf.data))
        found[rf.work_id] = FoundWork(
            rf.work,
            m.score,
            m.region,
            m.homography,
            m.inliers,
            rf.work_file_id,
            (ref.width, ref.height),
            m.regions,
            m.textured_regions,
            m.panel,
        )
    return list(found.values())[:k]


def why_found(found: FoundWork, query_size: tuple[int, int]) -> dict[str, Any]:
    """What a finding rests on, for a registrar screening an application (``query_size``: the application's
    sample): agreeing keypoints, the regions of the matched area they cover, and the share of each picture
    the match covers (without a homography the match is of the whole picture)."""
    why: dict[str, Any] = {
        "inliers": found.inliers,
        "regions": found.regions,
        "textured_regions": found.textured_regions,
    }
    if found.homography is not None and found.work_size:
        _, _, query_share, work_share = _matched_shares(found.homography, found.work_size, query_size, found.panel)
        why["application_percent"] = round(100 * query_share, 1)
        why["earlier_percent"] = round(100 * work_share, 1)
    return why


Polygon = list[tuple[float, float]]


def _matched_shares(
    homography: list[list[float]],
    work_size: tuple[int, int],
    query_size: tuple[int, int],
    panel: tuple[float, float, float, float] | None,
) -> tuple[Polygon, Polygon, float, float]:
    """The matched area on each picture (clipped to it, and on the query to the picture ``panel`` of its page
    that shows the work) and the share of each picture it covers."""
    in_query, in_work = matched_areas(homography, work_size, query_size, panel)
    return (
        in_query,
        in_work,
        polygon_area(in_query) / (query_size[0] * query_size[1]),
        polygon_area(in_work) / (work_size[0] * work_size[1]),
    )


# Checking suspect images -------------------------------------------------------------------------------


def _image_error(exc: ImageRejected) -> ValidationError:
    return as_validation_error(exc, _("不是可用的图片：%(reason)s"))


def check_image(
    *,
    user: Any,
    data: bytes,
    name: str = "suspect",
    source_url: str = "",
    request: Any = None,
    image: Image.Image | None = None,
) -> MatchReport:
    """Match a suspect image against the registry and keep the report (and the image, by its hash); ``image``
    is ``data`` already decoded by the caller."""
    require(user, "check", MatchReport)
    if image is None:
        try:
            image = load_image(data)
        except ImageRejected as exc:
            raise _image_error(exc) from None
    found = search(extract(image, query=True))
    results = _describe_matches(found, image, hashlib.sha256(data).hexdigest())
    with transaction.atomic():
        stored = store_file(owner=user, upload=SimpleUploadedFile(name[:200] or "suspect", data), request=request)
        report = MatchReport.objects.create(
            requester=user,
            query_file=stored,
            source_url=source_url[:1000],
            width=image.width,
            height=image.height,
            results=results,
        )
        audit.record("matching.check", report, actor=user, changes={"matches": len(found)})
    return report


# An identical picture covers (nearly) all of both images, has the sample's proportions, and differs from
# it by no more than re-encoding does (scoring.picture_difference).  Measured on test pictures and five
# development references: JPEG re-encoding 0.05-0.6 %, re-encoding at half size 0.25-3 %; recolouring
# 1.7-9 % (0 % on a grey picture, which recolouring leaves unchanged), crops of 10 % per side 5-18 %.
IDENTICAL_SHARE = 0.97
IDENTICAL_ASPECT = 0.01
IDENTICAL_DIFFERENCE = 1.5


def _points(polygon: list[tuple[float, float]]) -> list[list[float]]:
    """A polygon as stored: 0.1-pixel precision, without the repeated corners clipping leaves."""
    out: list[list[float]] = []
    for x, y in polygon:
        point = [round(x, 1), round(y, 1)]
        if not out or point != out[-1]:
            out.append(point)
    return out[:-1] if len(out) > 1 and out[0] == out[-1] else out


def _describe_matches(found: list[FoundWork], image: Image.Image, sha256: str) -> list[dict[str, Any]]:
    """The stored result of each match: the engine's score and geometry, the matched area in both images
    (clipped to each), the share of each image it covers, and what kind of copy it is."""
    same_file = set(
        WorkFile.objects.filter(
            work__in=[f.work for f in found], role=FileRole.SAMPLE, stored_file__sha256=sha256
        ).values_list("work_id", flat=True)
    )
    query_size = (image.width, image.height)
    results = []
    for f in found:
        work_size = f.work_size or query_size
        if f.homography is not None:
            in_query, in_work, query_share, work_share = _matched_shares(f.homography, work_size, query_size, f.panel)
            inverse = np.linalg.inv(np.asarray(f.homography)).tolist()
        else:  # a match of the whole picture (global hash or embedding): the region holds all of the work
            in_query = clip_to_image(f.region, *query_size)
            in_work = [(0.0, 0.0), (work_size[0], 0.0), (work_size[0], work_size[1]), (0.0, work_size[1])]
            inverse = None
            query_share, work_share = polygon_area(in_query) / (query_size[0] * query_size[1]), 1.0
        difference = None
        if f.work.pk in same_file:
            label = MatchKind.IDENTICAL_FILE
        else:
            label = MatchKind.NEAR_COPY
            if min(query_share, work_share) >= IDENTICAL_SHARE and _same_aspect(work_size, query_size):
                difference = _difference_from_sample(f.work_file_id, image)
                if difference is not None and difference <= IDENTICAL_DIFFERENCE:
                    label = MatchKind.IDENTICAL_PICTURE
        results.append(
            {
                "work_id": f.work.pk,
                "number": f.work.number,
                "title": f.work.title,
                "score": round(f.score, 4),
                "region": [[round(x, 1), round(y, 1)] for x, y in f.region],
                "homography": f.homography,
                "inliers": f.inliers,
                "regions": f.regions,
                "textured_regions": f.textured_regions,
                "label": label.value,
                "work_file_id": f.work_file_id,
                "work_size": list(work_size),
                "query_area": _points(in_query),
                "work_area": _points(in_work),
                "inverse_homography": inverse,
                "query_share": round(query_share, 4),
                "work_share": round(work_share, 4),
                "picture_difference": None if difference is None else round(difference, 2),
            }
        )
    return results


def _same_aspect(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return abs(a[0] / a[1] - b[0] / b[1]) <= IDENTICAL_ASPECT * (b[0] / b[1])


def _small_rgb(image: Image.Image) -> np.ndarray:
    return to_rgb_array(image.convert("RGB").resize((64, 64), Image.Resampling.BOX))


def _difference_from_sample(work_file_id: int | None, image: Image.Image) -> float | None:
    """The picture difference between the suspect image and the matched sample (None if unreadable)."""
    wf = WorkFile.objects.filter(pk=work_file_id or 0).select_related("stored_file").first()
    if wf is None:
        return None
    with wf.stored_file.file.open("rb") as fh:
        try:
            sample = load_image(fh.read())
        except ImageRejected:
            return None
    return picture_difference(_small_rgb(image), _small_rgb(sample))


def check_suspect(
    *, user: Any, upload: UploadedFile[bytes] | None = None, url: str = "", request: HttpRequest | None = None
) -> MatchReport | UrlCheck:
    """Check an uploaded image at once, or else queue a check of the image at ``url`` for the worker: what the
    check page and the API both ask for."""
    if upload is not None:
        return check_image(user=user, data=upload.read(), name=upload.name or "", request=request)
    if not url:
        raise ValidationError(_("请上传图片或填写图片网址。"), code="missing")
    return submit_url_check(user=user, url=url)


def submit_url_check(*, user: Any, url: str) -> UrlCheck:
    """Queue a check of the image at ``url``: the worker fetches it, so a slow or hostile site holds no web
    request. A person has at most ``ARTRIGHTS_URL_CHECKS_PER_USER`` checks waiting or running."""
    require(user, "check", MatchReport)
    try:
        ensure_fetchable(url, resolve=False)
    except FetchError as exc:
        raise ValidationError(_("无法从该网址取得图片：%(reason)s") % {"reason": exc}, code=exc.reason) from None
    limit = settings.ARTRIGHTS_URL_CHECKS_PER_USER
    with transaction.atomic():
        # Two pages submitted at once must not both pass the count: one user's submissions take turns here.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if selectors.url_checks_in_flight(user).count() >= limit:
            raise ValidationError(
                ngettext(
                    "您已有 %(count)d 个网址检查正在进行。请等它完成后再提交新的网址。",
                    "您已有 %(count)d 个网址检查正在进行。请等其中一个完成后再提交新的网址。",
                    limit,
                )
                % {"count": limit},
                code="too_many",
            )
        check = UrlCheck.objects.create(requester=user, url=url)
        audit.record("matching.url_check", check, actor=user, changes={"url": url})
        transaction.on_commit(lambda: tasks.check_url_task(check.pk))
    return check


class UrlCheckRun(enum.Enum):
    DONE = "done"  # a report or a failure was recorded
    BUSY = "busy"  # the requester has another check running; try again shortly
    GONE = "gone"  # already run (a task delivered twice) or no longer exists


def _claim(check_id: int) -> UrlCheck | UrlCheckRun:
    """Move a waiting check to running, unless its requester has another check running (one at a time each,
    so one person's URLs never hold more than one of the worker's threads)."""
    with transaction.atomic():
        check = UrlCheck.objects.select_for_update().filter(pk=check_id).select_related("requester").first()
        if check is None or check.status != UrlCheckStatus.QUEUED:
            return UrlCheckRun.GONE
        get_user_model().objects.select_for_update().filter(pk=check.requester_id).first()
        if selectors.url_checks_in_flight(check.requester).filter(status=UrlCheckStatus.RUNNING).exists():
            return UrlCheckRun.BUSY
        URL_CHECK_FLOW.apply(check, "start")
        check.started_at = timezone.now()
        check.save(update_fields=["status", "started_at"])
    return check


def run_url_check(check_id: int) -> UrlCheckRun:
    """Fetch the image of a waiting URL check and match it, recording the report or why there is none."""
    claimed = _claim(check_id)
    if isinstance(claimed, UrlCheckRun):
        return claimed
    check = claimed
    try:
        fetched = fetch(check.url, max_bytes=settings.ARTRIGHTS_MAX_UPLOAD_BYTES)
        if fetched.content_type in ("text/html", "application/xhtml+xml"):
            raise FetchError("not_image")
        image = load_image(fetched.body)
    except FetchError as exc:
        return _fail_url_check(check, exc.reason, exc.details)
    except ImageRejected as exc:
        words = {}
        for language, key in (("zh-hans", "zh"), ("en", "en")):
            with translation.override(language):
                words[key] = _("不是可用的图片：%(reason)s") % {"reason": exc.message(language)}
        return _fail_url_check(check, "image", words)
    try:
        name = check.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1][:100] or "suspect"
        report = check_image(user=check.requester, data=fetched.body, name=name, source_url=fetched.url, image=image)
    except Exception:
        _fail_url_check(check, "error", {})
        raise
    URL_CHECK_FLOW.apply(check, "finish")
    check.report = report
    check.finished_at = timezone.now()
    check.save(update_fields=["status", "report", "finished_at"])
    return UrlCheckRun.DONE


def _fail_url_check(check: UrlCheck, reason: str, details: dict[str, Any]) -> UrlCheckRun:
    URL_CHECK_FLOW.apply(check, "fail")
    check.reason, check.details, check.finished_at = reason, details, timezone.now()
    check.save(update_fields=["status", "reason", "details", "finished_at"])
    return UrlCheckRun.DONE


# Watching pages ----------------------------------------------------------------------------------------


class _ImageLinks(HTMLParser):
    """Image URLs on a page: <img src/srcset>, <source srcset>, og:image and twitter:image."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "img" and a.get("src"):
            self.urls.append(a["src"])
        if tag in ("img", "source") and a.get("srcset"):
            self.urls += [part.strip().split(" ")[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "meta" and a.get("property", a.get("name", "")) in ("og:image", "twitter:image") and a.get("content"):
            self.urls.append(a["content"])


def image_urls(html: str, base_url: str, limit: int = 50) -> list[str]:
    parser = _ImageLinks()
    parser.feed(html)
    seen: list[str] = []
    for raw in parser.urls:
        url = urljoin(base_url, raw.strip())
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.append(url)
    return seen[:limit]


def watch_page(*, user: Any, url: str, interval_minutes: int = 24 * 60) -> WatchedPage:
    """Watch ``url`` for copies; a URL that does not lead to a public address is refused here, with the same
    words as a name that does not exist (``core.fetch``), so the form cannot be used to explore internal names."""
    require(user, "watch", WatchedPage)
    if interval_minutes < 15:
        raise ValidationError(_("检查间隔不能少于 15 分钟。"))
    try:
        ensure_fetchable(url)
    except FetchError as exc:
        raise ValidationError(_("无法监测该网址：%(reason)s") % {"reason": exc}, code=exc.reason) from None
    page, _created = WatchedPage.objects.update_or_create(
        owner=user, url=url, defaults={"interval_minutes": interval_minutes, "active": True}
    )
    return page


PAGE_MAX_BYTES = 5 * 1024 * 1024
# One visit of a watched page, its images included, ends within this many seconds: slow images on one page
# cannot hold the worker for longer (the images left when it runs out count as unreadable).
PAGE_CHECK_SECONDS = 60.0


def check_page(page: WatchedPage, *, seconds: float = PAGE_CHECK_SECONDS) -> PageCheck:
    """Fetch a watched page, match every image on it, and record matches not seen before on that page.
    A page that cannot be fetched is a failed check with its reason, never "nothing found"."""
    now = timezone.now()
    ends = time.monotonic() + seconds

    def time_left() -> float:
        return min(float(settings.ARTRIGHTS_FETCH_SECONDS), ends - time.monotonic())

    try:
        fetched = fetch(page.url, max_bytes=PAGE_MAX_BYTES, timeout=time_left())
    except FetchError as exc:
        WatchedPage.objects.filter(pk=page.pk).update(last_checked_at=now)
        check = PageCheck.objects.create(
            page=page, ok=False, error=str(exc)[:500], reason=exc.reason, details=exc.details
        )
        alert_watcher(check=check, hits=[])
        return check
    if fetched.content_type.startswith("image/"):
        urls = [fetched.url]  # the watched address is itself a picture
    else:
        urls = image_urls(fetched.body.decode("utf-8", errors="replace"), fetched.url)
    hits: list[MonitorHit] = []
    unreadable = 0
    for position, url in enumerate(urls):
        if time_left() < 1:
            logger.info("watched page %s: out of time, %s image(s) not fetched", page.url, len(urls) - position)
            unreadable += len(urls) - position
            break
        try:
            if url == fetched.url:
                image = fetched
            else:
                image = fetch(url, max_bytes=settings.ARTRIGHTS_MAX_UPLOAD_BYTES, timeout=time_left())
            report = check_image(
                user=page.owner, data=image.body, name=url.rsplit("/", 1)[-1][:100], source_url=image.url
            )
        except (FetchError, ValidationError) as exc:
            logger.info("watched page %s: image %s skipped: %s", page.url, url, exc)
            unreadable += 1
            continue
        for result in report.results:
            hit, created = MonitorHit.objects.get_or_create(
                page=page,
                image_url=url,
                work_id=result["work_id"],
                defaults={"score": result["score"], "report": report},
            )
            if created:
                hits.append(hit)
    WatchedPage.objects.filter(pk=page.pk).update(last_checked_at=now)
    check = PageCheck.objects.create(
        page=page, ok=True, images_found=len(urls), images_unreadable=unreadable, new_hits=len(hits)
    )
    alert_watcher(check=check, hits=hits)
    return check


def alert_watcher(*, check: PageCheck, hits: list[MonitorHit]) -> None:
    """Tell the page's watcher about new copies, and about a page that stopped opening (only when the check before
    succeeded, so a site that stays down is not reported every time it is tried)."""
    page = check.page
    url = reverse("matching:watch")
    if hits:
        works = "\n".join(sorted({h.work.number or h.work.title for h in hits}))  # listed: joined per reader
        params = {"count": len(hits), "url": page.url[:300], "works": works}
        notify(recipients=[page.owner], kind=COPIES_FOUND.key, subject=page, params=params, url=url)
    if not check.ok:
        before = PageCheck.objects.filter(page=page, checked_at__lt=check.checked_at).order_by("-checked_at").first()
        if before is None or before.ok:
            params = {"url": page.url[:300]}
            notify(recipients=[page.owner], kind=PAGE_UNREACHABLE.key, subject=page, params=params, url=url)
