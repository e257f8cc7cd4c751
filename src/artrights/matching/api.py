from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from artrights.accounts.access import get_visible_or_404

from . import selectors, services
from .models import MatchReport, UrlCheck, UrlCheckStatus

router = Router(tags=["matching"])


class MatchOut(Schema):
    """One registered work found in the suspect image, as the report page shows it, in the same order."""

    work_id: int
    number: str
    title: str
    score: float
    label: str | None = Field(None, description="identical_file, identical_picture or near_copy")
    label_text: str = Field("", description="the label in the request's language")
    inliers: int
    regions: int = Field(0, description="inner cells of the matched area (6 x 6) holding agreeing keypoints")
    textured_regions: int = Field(0, description="inner cells of the matched area holding any keypoint")
    query_area: list[list[float]] = Field(description="the matched part of the suspect image, in its pixels")
    work_area: list[list[float]] = Field([], description="the part of the work found, in the sample's pixels")
    work_size: list[int] | None = Field(None, description="the matched sample's width and height")
    query_share: float | None = Field(None, description="matched area / area of the suspect image")
    work_share: float | None = Field(None, description="matched area / area of the work's sample")
    picture_difference: float | None = Field(None, description="percent, for whole-picture comparisons")
    region: list[list[float]] = Field(description="the work's corners mapped into the suspect image (unclipped)")
    homography: list[list[float]] | None = Field(None, description="3x3, sample pixels -> suspect image pixels")
    inverse_homography: list[list[float]] | None = None
    registered_at: dt.datetime | None
    kind: str
    work_type: str
    status: str
    log_index: int | None
    priority: bool = Field(description="the earliest registration among works found as copies of one another")
    earlier_registration: str | None = Field(description="the number of the earlier registration this copies")
    equals: list[str] = Field(description="works found at the same place with an equal score")


class ReportOut(Schema):
    id: int
    created_at: dt.datetime
    source_url: str
    width: int
    height: int
    query_sha256: str
    threshold: float
    matches: list[MatchOut]
    evidence_log_index: int | None

    @staticmethod
    def resolve_query_sha256(obj: MatchReport) -> str:
        return obj.query_file.sha256

    @staticmethod
    def resolve_threshold(obj: MatchReport) -> float:
        return services.threshold()

    @staticmethod
    def resolve_matches(obj: MatchReport) -> list[dict[str, Any]]:
        return selectors.report_matches(obj)


class UrlCheckOut(Schema):
    """A check of the image at a URL, which the worker fetches; poll it until ``status`` is done or failed."""

    id: int
    url: str
    status: str = Field(description="queued, running, done or failed")
    status_text: str = Field(description="the status in the request's language")
    report_id: int | None = Field(None, description="the match report (GET /api/matching/reports/{id}) once done")
    failure: str = Field("", description="why it failed, in the request's language")
    created_at: dt.datetime

    @staticmethod
    def resolve_status(obj: UrlCheck) -> str:
        return str(UrlCheckStatus.FAILED if obj.abandoned() else obj.status)

    @staticmethod
    def resolve_status_text(obj: UrlCheck) -> str:
        return str(UrlCheckStatus.FAILED.label if obj.abandoned() else obj.get_status_display())

    @staticmethod
    def resolve_failure(obj: UrlCheck) -> str:
        return obj.failure()


@router.post(
    "/check",
    response={201: ReportOut, 202: UrlCheckOut},
    summary="Match a suspect image: an upload (`image`) at once (201), a `url` by the worker (202, then poll)",
)
def check(
    request: HttpRequest, url: Form[str] = "", image: File[UploadedFile | None] = None
) -> Status[MatchReport] | Status[UrlCheck]:
    found = services.check_suspect(user=request.user, upload=image, url=url, request=request)
    if isinstance(found, UrlCheck):
        return Status(202, found)
    return Status(201, found)


@router.get("/url-checks/{check_id}", response=UrlCheckOut)
def get_url_check(request: HttpRequest, check_id: int) -> UrlCheck:
    return get_visible_or_404(request.user, UrlCheck, pk=check_id)


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: int) -> MatchReport:
    return get_visible_or_404(request.user, MatchReport, pk=report_id)
