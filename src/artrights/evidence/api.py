from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from artrights.accounts.access import get_visible_or_404
from artrights.matching.models import MatchReport

from . import selectors, services
from .models import EvidenceArtifact, EvidenceRecord

router = Router(tags=["evidence"])


class ArtifactOut(Schema):
    position: int
    path: str
    mime: str
    size: int
    sha256: str
    sm3: str


class EvidenceOut(Schema):
    number: str
    kind: str
    status: str
    source_url: str
    final_url: str
    page_title: str
    description: str
    created_at: dt.datetime
    captured_at: dt.datetime | None
    sealed_at: dt.datetime | None
    manifest_sha256: str
    manifest_sm3: str
    log_index: int | None
    package_sha256: str
    failure: dict[str, str] | None = Field(None, description="why a void record could not be captured (zh, en)")
    artifacts: list[ArtifactOut]
    requests: list[dict[str, Any]] = Field(description="every request the page made, on and off the target host")

    @staticmethod
    def resolve_failure(obj: EvidenceRecord) -> dict[str, str] | None:
        return {"code": obj.reason, **obj.details} if obj.reason else None

    @staticmethod
    def resolve_artifacts(obj: EvidenceRecord) -> list[EvidenceArtifact]:
        return list(obj.artifacts.all())


class CaptureIn(Schema):
    url: str = Field(max_length=2000)
    description: str = Field("", max_length=2000)


class VerificationOut(Schema):
    valid: bool
    failures: list[dict[str, str]]


@router.get("/", response=list[EvidenceOut], summary="Evidence records the caller may read, newest first")
def list_records(request: HttpRequest) -> Any:
    return selectors.records_for(request.user)[:100]


@router.post("/captures", response={202: EvidenceOut}, summary="Capture a web page as evidence (the worker does it)")
def capture(request: HttpRequest, payload: CaptureIn) -> Status[EvidenceRecord]:
    record = services.request_capture(user=request.user, url=payload.url, description=payload.description)
    return Status(202, record)


@router.post("/files", response={201: EvidenceOut}, summary="Fix files the caller already has as evidence")
def files(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    description: Form[str],
    source_url: Form[str] = "",
) -> Status[EvidenceRecord]:
    record = services.record_files(user=request.user, uploads=files, description=description, source_url=source_url)
    return Status(201, record)


@router.post("/from-report/{report_id}", response={201: EvidenceOut}, summary="Fix a match report as evidence")
def from_report(request: HttpRequest, report_id: int) -> Status[EvidenceRecord]:
    report = get_visible_or_404(request.user, MatchReport, pk=report_id)
    return Status(201, services.from_match_report(user=request.user, report=report))


@router.get("/{number}", response=EvidenceOut)
def get_record(request: HttpRequest, number: str) -> EvidenceRecord:
    return selectors.record_by_number(request.user, number)


@router.get("/{number}/package", summary="The sealed WACZ package (the download is a custody event)")
def package(request: HttpRequest, number: str) -> HttpResponse:
    record = selectors.record_by_number(request.user, number)
    response = HttpResponse(services.export_package(user=request.user, record=record), content_type="application/wacz")
    response["Content-Disposition"] = f'attachment; filename="{record.number}.wacz"'
    return response


@router.post("/{number}/verify", response=VerificationOut, summary="Re-verify the stored package now")
def verify(request: HttpRequest, number: str) -> dict[str, Any]:
    record = selectors.record_by_number(request.user, number)
    ok, failures = services.verify_record(user=request.user, record=record)
    return {"valid": ok, "failures": [{"check": c, "zh": zh, "en": en} for c, zh, en in failures]}
