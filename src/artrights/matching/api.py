from __future__ import annotations

import datetime as dt

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
    def resolve_matches(obj: MatchReport) -> list[dict]:
        return obj.results


@router.post("/check", response={201: ReportOut}, summary="Match a suspect image (upload `image` or give `url`)")
def check(request: HttpRequest, url: Form[str] = "", image: UploadedFile | None = File(None)):  # type: ignore[no-untyped-def]
    if image is not None:
        report = services.check_image(user=request.user, data=image.read(), name=image.name or "", request=request)
    else:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        if not url:
            raise ValidationError(_("请上传图片或填写图片网址。"))
        report = services.check_url(user=request.user, url=url)
    return Status(201, report)


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    return get_visible_or_404(request.user, MatchReport, pk=report_id)


@router.post("/reports/{report_id}/evidence", response=dict, summary="Fix the report as evidence; returns the bundle")
def fix_evidence(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    report = get_visible_or_404(request.user, MatchReport, pk=report_id)
    return services.fix_evidence(user=request.user, report=report).evidence_bundle
