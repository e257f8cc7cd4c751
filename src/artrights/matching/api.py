from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from artrights.accounts.access import get_visible_or_404

from . import services
from .models import MatchReport

router = Router(tags=["matching"])


class MatchOut(Schema):
    work_id: int
    number: str
    title: str
    score: float
    region: list[list[float]]
    inliers: int


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
        return list(obj.results)


@router.post("/check", response={201: ReportOut}, summary="Match a suspect image (upload `image` or give `url`)")
def check(request: HttpRequest, url: Form[str] = "", image: File[UploadedFile | None] = None) -> Status[MatchReport]:
    return Status(201, services.check_suspect(user=request.user, upload=image, url=url, request=request))


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: int) -> MatchReport:
    return get_visible_or_404(request.user, MatchReport, pk=report_id)


@router.post("/reports/{report_id}/evidence", response=dict, summary="Fix the report as evidence; returns the bundle")
def fix_evidence(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = get_visible_or_404(request.user, MatchReport, pk=report_id)
    return services.fix_evidence(user=request.user, report=report).evidence_bundle or {}
