"""Fixing electronic evidence: asking for a capture, taking it (worker), sealing it, and its custody.

A record moves CREATED → CAPTURING → CAPTURED → TIMESTAMPED → ANCHORED → SEALED (``models.EVIDENCE_FLOW``). Each
step after the capture commits on its own and the next picks up from the stored state, so a worker killed at any
point leaves a record the sweep (``seal_due``) finishes: a manifest is time-stamped once, appended to the log
once, and a package made for it once. A capture that fails is kept VOID with its reason; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit, public_url
from artrights.core.addresses import AddressPolicy
from artrights.core.fetch import FetchError, ensure_fetchable, platform_policy
from artrights.core.services import check_upload, notify
from artrights.ledger import flows
from artrights.ledger import services as ledger
from artrights.ledger.keys import log_origin
from artrights.matching.models import MatchReport
from artrights.proofs.bundle import dump_bundle
from artrights.proofs.canonical import Opening
from artrights.proofs.evidence import (
    MANIFEST,
    MANIFEST_TOKEN,
    PROOF,
    REPORT,
    TSA_CHAIN,
    WARC,
    Artifact,
    artifact_path,
    build_manifest,
    evidence_statement,
    sm3_hex,
)
from artrights.proofs.statements import Openings, StatementType
from artrights.registry.certificate_pdf import sign_pdf
from artrights.registry.keys import signing_identity
from artrights.registry.models import Work
from artrights.timestamps import keys as tsa_keys
from artrights.timestamps import services as timestamps

from . import capture as browser
from . import package as packaging
from . import report_pdf
from .models import (
    CAPTURE_ABANDONED_AFTER,
    EVIDENCE_FLOW,
    STALLED_AFTER,
    CustodyAction,
    CustodyEvent,
    EvidenceArtifact,
    EvidenceKind,
    EvidenceRecord,
    EvidenceStatus,
)
from .notifications import SEALED, VOIDED

logger = logging.getLogger(__name__)
S = EvidenceStatus


# --------------------------------------------------------------------------------------------
# Asking for a fixation
# --------------------------------------------------------------------------------------------


def request_capture(*, user: Any, url: str, description: str = "", work: Work | None = None) -> EvidenceRecord:
    """Ask for a web page to be captured as evidence; the worker captures it (never the web request)."""
    require(user, "fix", EvidenceRecord)
    url = url.strip()
    try:
        ensure_fetchable(url, resolve=False)
    except FetchError as exc:
        raise ValidationError(str(exc), code="bad_url") from None
    if not capture_available():
        raise ValidationError(
            _("本服务器没有安装 Chromium 浏览器，暂时不能截取网页；仍可上传已有的文件固化。请联系平台管理员。"),
            code="browser_missing",
        )
    with transaction.atomic():
        running = EvidenceRecord.objects.select_for_update().filter(
            requester=user, kind=EvidenceKind.WEB_PAGE, status__in=(S.CREATED, S.CAPTURING)
        )
        if len(running) >= settings.ARTRIGHTS_CAPTURES_PER_USER:
            raise ValidationError(
                _("您已有 %(count)s 个网页正在固化，请等其完成后再提交。") % {"count": len(running)},
                code="too_many",
            )
        record = _create(user=user, kind=EvidenceKind.WEB_PAGE, source_url=url, description=description, work=work)
    transaction.on_commit(lambda: _queue_capture(record.pk))
    return record


def capture_available() -> bool:
    """Whether this server has the browser web capture needs (the worker checks again when it captures)."""
    return browser.find_chromium(settings.ARTRIGHTS_CHROMIUM) is not None


def operator_capture(*, url: str, policy: AddressPolicy, description: str = "") -> EvidenceRecord:
    """The operator's command line: capture and seal now, under ``policy`` (which may reach this machine)."""
    try:
        ensure_fetchable(url.strip(), resolve=False)
    except FetchError as exc:
        raise ValidationError(exc.bilingual(), code="bad_url") from None
    with transaction.atomic():
        record = _create(
            user=None, kind=EvidenceKind.WEB_PAGE, source_url=url.strip(), description=description, work=None
        )
    return run_capture(record_id=record.pk, policy=policy)


def record_files(
    *,
    user: Any,
    uploads: Sequence[UploadedFile[bytes]],
    description: str,
    source_url: str = "",
    work: Work | None = None,
) -> EvidenceRecord:
    """Fix files a person already has (screenshots, photos, chat exports, videos) with who gave them and when."""
    require(user, "fix", EvidenceRecord)
    if not uploads:
        raise ValidationError(_("请选择要固化的文件。"), code="missing")
    if len(uploads) > settings.ARTRIGHTS_EVIDENCE_MAX_FILES:
        raise ValidationError(
            _("一次最多固化 %(max)s 个文件。") % {"max": settings.ARTRIGHTS_EVIDENCE_MAX_FILES}, code="too_many"
        )
    if not description.strip():
        raise ValidationError(_("请说明这些文件是什么、从哪里取得。"), code="description")
    if source_url.strip():
        try:
            ensure_fetchable(source_url.strip(), resolve=False)
        except FetchError as exc:
            raise ValidationError(str(exc), code="bad_url") from None
    contents = [(upload.name or "file", upload.content_type or "", _read(check_upload(upload))) for upload in uploads]
    now = timezone.now()
    with transaction.atomic():
        record = _create(
            user=user, kind=EvidenceKind.FILES, source_url=source_url.strip(), description=description, work=work
        )
        artifacts = _numbered_files(contents)
        log = [_step("received", {"files": len(artifacts), "uploader": record.requester_name})]
        _store_captured(record, artifacts, log=log, started=now, environment=_upload_environment(user))
    transaction.on_commit(lambda: _queue_seal(record.pk))
    return record


def from_match_report(*, user: Any, report: MatchReport) -> EvidenceRecord:
    """Fix a match found by the engine as evidence: the suspect image and the findings, in one click."""
    require(user, "fix_evidence", report)
    existing = EvidenceRecord.objects.filter(match_report=report).exclude(status=S.VOID).first()
    if existing is not None:
        return existing
    suspect = report.query_file
    with suspect.file.open("rb") as fh:
        image = fh.read()
    findings: dict[str, Any] = {
        "report": report.pk,
        "checked_at": report.created_at.astimezone(dt.UTC).isoformat(),
        "source_url": report.source_url,
        "suspect_sha256": suspect.sha256,
        "matches": [
            {"number": r.get("number"), "title": r.get("title"), "score": r.get("score")} for r in report.results
        ],
    }
    numbers = [str(r["number"]) for r in report.results if r.get("number")]
    work = Work.objects.filter(number__in=numbers).order_by("pk").first()
    with transaction.atomic():
        record = _create(
            user=user,
            kind=EvidenceKind.MATCH_REPORT,
            source_url=report.source_url,
            description=_("比对报告 #%(id)s 的结果") % {"id": report.pk},
            work=work,
        )
        record.match_report = report
        record.save(update_fields=["match_report"])
        artifacts = _numbered_files([(suspect.original_name, suspect.content_type, image)])
        artifacts.append(
            Artifact(
                "evidence/match-report.json",
                json.dumps(findings, ensure_ascii=False, indent=2, sort_keys=True).encode(),
                "application/json",
            )
        )
        log = [_step("match_report", {"report": report.pk, "matches": len(findings["matches"])})]
        _store_captured(record, artifacts, log=log, started=report.created_at, environment=_upload_environment(user))
    transaction.on_commit(lambda: _queue_seal(record.pk))
    return record


def _create(*, user: Any, kind: str, source_url: str, description: str, work: Work | None) -> EvidenceRecord:
    name = _display_name(user)
    record = EvidenceRecord.objects.create(
        kind=kind,
        requester=user,
        requester_name=name,
        source_url=source_url,
        description=description.strip()[:2000],
        work=work,
    )
    record.number = f"EV-{record.created_at.year}-{record.pk:06d}"
    record.save(update_fields=["number"])
    custody(record=record, actor=user, action=CustodyAction.CREATED, detail={"kind": kind})
    audit.record("evidence.requested", record, actor=user, changes={"kind": kind})
    return record


def _display_name(user: Any) -> str:
    if user is None:
        return str(_("平台运营方（命令行）"))
    full = (user.get_full_name() or "").strip()
    return f"{full}（{user.username}）" if full else str(user.username)


def _read(upload: UploadedFile[bytes]) -> bytes:
    upload.seek(0)
    return b"".join(upload.chunks())


def _numbered_files(contents: Sequence[tuple[str, str, bytes]]) -> list[Artifact]:
    return [
        Artifact(artifact_path("files", f"{i:02d}-{name}"), data, (mime or "application/octet-stream")[:100])
        for i, (name, mime, data) in enumerate(contents, start=1)
    ]


def _upload_environment(user: Any) -> dict[str, Any]:
    return {
        "tool": "ArtRights evidence",
        "channel": "upload",
        "account": getattr(user, "username", ""),
        "received_by": settings.ARTRIGHTS_REGISTRY_NAME,
    }


def _step(step: str, detail: Any = None) -> dict[str, Any]:
    return {"at": timezone.now().astimezone(dt.UTC).isoformat(), "step": step, "detail": detail}


def _queue_capture(record_id: int) -> None:
    from .tasks import capture_task

    capture_task(record_id)


def _queue_seal(record_id: int) -> None:
    from .tasks import seal_task

    seal_task(record_id)


# --------------------------------------------------------------------------------------------
# Capturing a web page (worker)
# --------------------------------------------------------------------------------------------


def run_capture(*, record_id: int, policy: AddressPolicy | None = None) -> EvidenceRecord:
    """Capture the record's page in the system browser, then seal it; a failed capture ends VOID with its reason."""
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record_id)
        if record.status != S.CREATED:
            return record
        EVIDENCE_FLOW.apply(record, "start")
        record.started_at = timezone.now()
        record.save(update_fields=["status", "started_at", "updated_at"])
    clock = _clock_check()
    limits = browser.CaptureLimits(
        total_seconds=settings.ARTRIGHTS_CAPTURE_SECONDS,
        max_response_bytes=settings.ARTRIGHTS_CAPTURE_MAX_RESPONSE_BYTES,
        max_total_bytes=settings.ARTRIGHTS_CAPTURE_MAX_TOTAL_BYTES,
    )
    try:
        result = browser.capture_page(
            record.source_url,
            policy=policy or platform_policy(),
            limits=limits,
            chromium=browser.find_chromium(settings.ARTRIGHTS_CHROMIUM),
        )
    except browser.CaptureFailed as exc:
        return void(record=record, code=exc.code, zh=exc.message_zh, en=exc.message_en, log=exc.log)
    artifacts = [Artifact(_package_name(f.name), f.data, f.mime) for f in result.files]
    environment = {**result.environment, "clock_check": clock}
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record_id)
        record.final_url = result.final_url[:2000]
        record.page_title = (result.title or "")[:500]
        record.requests = list(result.requests)
        _store_captured(
            record, artifacts, log=list(result.log), started=result.started_at, environment=environment, advance=False
        )
    return seal(record_id=record_id)


def _package_name(name: str) -> str:
    """Where a captured file goes in the package (two levels deep, see proofs.evidence)."""
    if name == "data.warc.gz":
        return WARC
    if name.startswith("images/"):
        return artifact_path("images", name.split("/", 1)[1])
    return artifact_path("evidence", name)


def _clock_check() -> dict[str, Any]:
    """The capture machine's clock against the time-stamping authority's, taken just before the capture."""
    nonce = os.urandom(16)
    before = timezone.now()
    token = timestamps.stamp(nonce)
    after = timezone.now()
    stamped = timestamps.check_token(token, nonce)
    local = before + (after - before) / 2
    return {
        "tsa": stamped.tsa_name or stamped.signer_certificate.subject.rfc4514_string(),
        "local_time": local.astimezone(dt.UTC).isoformat(),
        "tsa_time": stamped.gen_time.astimezone(dt.UTC).isoformat(),
        "offset_seconds": round((local - stamped.gen_time).total_seconds(), 3),
        "round_trip_seconds": round((after - before).total_seconds(), 3),
    }


def _store_captured(
    record: EvidenceRecord,
    artifacts: Sequence[Artifact],
    *,
    log: list[dict[str, Any]],
    started: dt.datetime,
    environment: dict[str, Any],
    advance: bool = True,
) -> None:
    """Keep the captured files with their hashes and move the record to CAPTURED (inside the caller's transaction)."""
    files = list(artifacts)
    if not any(a.path == WARC for a in files):
        warc = packaging.files_warc(number=str(record.number), files=files, started=started)
        files.append(Artifact(WARC, warc, "application/warc"))
    for position, artifact in enumerate(files, start=1):
        entry = artifact.entry()
        row = EvidenceArtifact(
            record=record,
            position=position,
            path=artifact.path,
            mime=artifact.mime,
            size=entry["size"],
            sha256=entry["sha256"],
            sm3=entry["sm3"],
        )
        row.file.save(os.path.basename(artifact.path), ContentFile(artifact.data), save=False)
        row.save()
    if advance:
        EVIDENCE_FLOW.apply(record, "start")
    EVIDENCE_FLOW.apply(record, "capture")
    record.started_at = record.started_at or started
    record.captured_at = timezone.now()
    record.environment = environment
    record.capture_log = log
    record.save()
    custody(
        record=record,
        actor=None,
        action=CustodyAction.CAPTURED,
        detail={"artifacts": len(files), "bytes": sum(len(a.data) for a in files)},
    )


def void(
    *, record: EvidenceRecord, code: str, zh: str, en: str, log: list[dict[str, Any]] | None = None
) -> EvidenceRecord:
    """End a record that could not be captured, keeping why, and tell the person who asked."""
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == S.VOID:
            return record
        EVIDENCE_FLOW.apply(record, "void")
        record.reason = code[:40]
        record.details = {"zh": zh, "en": en}
        record.capture_log = log or record.capture_log
        record.save(update_fields=["status", "reason", "details", "capture_log", "updated_at"])
        custody(record=record, actor=None, action=CustodyAction.VOIDED, detail={"reason": code})
        audit.record("evidence.voided", record, changes={"reason": code})
        if record.requester is not None:
            notify(
                recipients=[record.requester],
                kind=VOIDED.key,
                subject=record,
                params={"number": str(record.number), "what": _what(record), "reason": zh, "reason:en": en},
                url=reverse("evidence:record", args=[record.number]),
            )
    return record


def _what(record: EvidenceRecord) -> str:
    return (record.source_url or record.description or str(record.number))[:300]


# --------------------------------------------------------------------------------------------
# Sealing: manifest → timestamp → public log → report and package
# --------------------------------------------------------------------------------------------


def seal(*, record_id: int) -> EvidenceRecord:
    """Take a captured record as far as it goes: each step commits, so a later call resumes where one stopped."""
    record = EvidenceRecord.objects.get(pk=record_id)
    if record.status == S.CAPTURED:
        record = _timestamp(record)
    if record.status == S.TIMESTAMPED:
        record = _anchor(record)
    if record.status == S.ANCHORED:
        record = _package(record)
    return record


def _artifacts(record: EvidenceRecord) -> list[Artifact]:
    out = []
    for row in record.artifacts.all():
        with row.file.open("rb") as fh:
            out.append(Artifact(row.path, fh.read(), row.mime))
    return out


def _manifest_bytes(record: EvidenceRecord, artifacts: Sequence[Artifact]) -> bytes:
    finished = record.captured_at or timezone.now()
    return build_manifest(
        registry=log_origin(),
        number=str(record.number),
        kind=record.kind,
        source={
            "url": record.source_url,
            "final_url": record.final_url,
            "title": record.page_title,
            "description": record.description,
            "work": record.work.number if record.work_id and record.work and record.work.number else None,
        },
        requested_by={"name": record.requester_name, "account": record.requester.username if record.requester else ""},
        started=record.started_at or finished,
        finished=finished,
        environment=record.environment,
        requests=record.requests,
        log=record.capture_log,
        artifacts=artifacts,
    )


def _timestamp(record: EvidenceRecord) -> EvidenceRecord:
    manifest = _manifest_bytes(record, _artifacts(record))
    token = timestamps.stamp(manifest)
    gen_time = timestamps.check_token(token, manifest).gen_time
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != S.CAPTURED:
            return record
        EVIDENCE_FLOW.apply(record, "timestamp")
        record.manifest = manifest.decode()
        record.manifest_sha256 = hashlib.sha256(manifest).hexdigest()
        record.manifest_sm3 = sm3_hex(manifest)
        record.manifest_token = token
        record.manifest_time = gen_time
        record.save()
        custody(
            record=record,
            actor=None,
            action=CustodyAction.TIMESTAMPED,
            detail={"manifest_sha256": record.manifest_sha256, "tsa_time": gen_time.isoformat()},
        )
    return record


def _anchor(record: EvidenceRecord) -> EvidenceRecord:
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != S.TIMESTAMPED:
            return record
        statement, opening = evidence_statement(
            registry=log_origin(),
            number=str(record.number),
            registered_at=timezone.now(),
            manifest=record.manifest.encode(),
            requester=record.requester_name,
            source_url=record.source_url,
            refers_to=[record.work.number] if record.work and record.work.number else [],
        )
        entry = ledger.append(kind=StatementType.EVIDENCE, statement=statement)
        EVIDENCE_FLOW.apply(record, "anchor")
        record.log_index = entry.index
        record.requester_opening = opening.to_json()
        record.save()
        custody(record=record, actor=None, action=CustodyAction.ANCHORED, detail={"log_index": entry.index})
        audit.record("evidence.anchored", record, changes={"log_index": entry.index})
    return record


def _package(record: EvidenceRecord) -> EvidenceRecord:
    assert record.log_index is not None
    opening = Opening.from_json(record.requester_opening)
    bundle = flows.issue_bundle(index=record.log_index, openings=Openings(None, (opening,), ("requester",)))
    manifest = record.manifest.encode()
    artifacts = _artifacts(record)
    with translation.override(settings.LANGUAGE_CODE):  # the report is in Chinese, whoever asked
        report = _signed_report(record, artifacts, bundle)
    chain = b"".join(c.public_bytes(Encoding.PEM) for c in tsa_keys.tsa_chain())
    seal_files = [
        (MANIFEST, manifest),
        (MANIFEST_TOKEN, bytes(record.manifest_token or b"")),
        (TSA_CHAIN, chain),
        (PROOF, dump_bundle(bundle)),
        (REPORT, report),
    ]
    page = _page_entry(record)
    data = packaging.build_package(
        warc=next(a.data for a in artifacts if a.path == WARC),
        pages=[page],
        extra=[(a.path, a.data) for a in artifacts] + seal_files,
        title=f"{record.number} {record.page_title or record.description}"[:200],
        main_url=page["url"],
    )
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != S.ANCHORED:
            return record
        record.bundle = bundle
        record.report.save(f"{record.number}-report.pdf", ContentFile(report), save=False)
        record.package.save(f"{record.number}.wacz", ContentFile(data), save=False)
        record.package_sha256 = hashlib.sha256(data).hexdigest()
        record.package_size = len(data)
        record.sealed_at = timezone.now()
        EVIDENCE_FLOW.apply(record, "seal")
        record.save()
        custody(
            record=record,
            actor=None,
            action=CustodyAction.SEALED,
            detail={"package_sha256": record.package_sha256, "bytes": len(data)},
        )
        audit.record("evidence.sealed", record, changes={"package_sha256": record.package_sha256})
        if record.requester is not None:
            notify(
                recipients=[record.requester],
                kind=SEALED.key,
                subject=record,
                params={"number": str(record.number), "what": _what(record)},
                url=reverse("evidence:record", args=[record.number]),
            )
    return record


def _page_entry(record: EvidenceRecord) -> dict[str, Any]:
    started = (record.started_at or record.created_at).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if record.kind == EvidenceKind.WEB_PAGE:
        return {"url": record.final_url or record.source_url, "ts": started, "title": record.page_title}
    first = record.artifacts.order_by("position").first()
    url = packaging.resource_uri(str(record.number), first.path if first else "")
    return {"url": url, "ts": started, "title": record.description[:200]}


def _signed_report(record: EvidenceRecord, artifacts: Sequence[Artifact], bundle: dict[str, Any]) -> bytes:
    entries = [a.entry() for a in artifacts]
    data = report_pdf.EvidenceReport(
        issuer=settings.ARTRIGHTS_REGISTRY_NAME,
        number=str(record.number),
        kind=record.kind,
        issued_on=timezone.localdate(),
        requester=record.requester_name,
        source_url=record.source_url,
        final_url=record.final_url,
        page_title=record.page_title,
        description=record.description,
        started=_utc_text(record.started_at),
        finished=_utc_text(record.captured_at),
        environment_lines=_environment_lines(record.environment),
        requests_line=_requests_line(record.requests),
        manifest_sha256=record.manifest_sha256,
        manifest_sm3=record.manifest_sm3,
        manifest_time=_utc_text(record.manifest_time) + " UTC",
        log_origin=log_origin(),
        log_index=int(record.log_index or 0),
        verify_url=public_url.absolute(reverse("verify")),
        artifacts=[report_pdf.ReportArtifact(e["path"], e["mime"], e["size"], e["sha256"], e["sm3"]) for e in entries],
        bundle_json=dump_bundle(bundle),
    )
    pdf = report_pdf.render_report(data, font=settings.ARTRIGHTS_CJK_FONT)
    identity = signing_identity()
    return sign_pdf(
        pdf, identity.key, identity.chain, timestamps.answer, reason="电子证据固化报告签发 / evidence report"
    )


def _utc_text(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def _environment_lines(environment: dict[str, Any]) -> list[str]:
    lines = []
    browser = environment.get("browser")
    if browser:
        lines.append(f"浏览器 {browser}，{environment.get('tool', '')} {environment.get('tool_version', '')}".strip())
    if environment.get("user_agent"):
        lines.append(f"User-Agent：{environment['user_agent']}")
    addresses = environment.get("target_addresses")
    if addresses:
        lines.append("目标地址：" + "、".join(str(a) for a in addresses))
    tls = environment.get("tls")
    if isinstance(tls, dict) and tls.get("subject"):
        lines.append(f"TLS 证书：{tls.get('subject')}（签发者 {tls.get('issuer', '')}）")
    clock = environment.get("clock_check")
    if isinstance(clock, dict):
        lines.append(f"时钟偏差：本机与时间戳机构相差 {clock.get('offset_seconds')} 秒")
    if environment.get("channel") == "upload":
        lines.append(f"由账户 {environment.get('account', '')} 上传，平台接收并计算哈希值")
    return lines or ["—"]


def _requests_line(requests: list[dict[str, Any]]) -> str:
    if not requests:
        return ""
    on = sum(1 for r in requests if r.get("on_target"))
    refused = sum(1 for r in requests if r.get("outcome") not in (None, "fetched"))
    return (
        f"共 {len(requests)} 个请求：目标网站 {on} 个，其他网站 {len(requests) - on} 个；"
        f"未取得 {refused} 个（均已记录）"
    )


# --------------------------------------------------------------------------------------------
# Custody, export and verification
# --------------------------------------------------------------------------------------------


def custody(*, record: EvidenceRecord, actor: Any, action: str, detail: dict[str, Any] | None = None) -> CustodyEvent:
    """Append one event to the record's hash-chained custody log (inside the caller's transaction)."""
    with transaction.atomic():
        EvidenceRecord.objects.select_for_update().filter(pk=record.pk).exists()
        last = CustodyEvent.objects.filter(record=record).order_by("-seq").first()
        event = CustodyEvent(
            record=record,
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=_display_name(actor) if getattr(actor, "pk", None) else str(_("平台（自动）")),
            action=action,
            detail=detail or {},
            prev_hash=last.hash if last else "0" * 64,
        )
        event.hash = event.computed_hash()
        event.save()
    return event


def custody_intact(record: EvidenceRecord) -> bool:
    """True when every custody event's hash holds and names the one before it."""
    previous = "0" * 64
    for seq, event in enumerate(record.custody.order_by("seq"), start=1):
        if event.seq != seq or event.prev_hash != previous or event.computed_hash() != event.hash:
            return False
        previous = event.hash
    return True


def note_view(*, user: Any, record: EvidenceRecord) -> None:
    """A person other than the requester read the record: custody says who and when."""
    require(user, "view", record)
    if record.requester_id != user.pk:
        custody(record=record, actor=user, action=CustodyAction.VIEWED)


def export_package(*, user: Any, record: EvidenceRecord) -> bytes:
    """The sealed package's bytes, after recording the export in custody."""
    require(user, "export", record)
    with record.package.open("rb") as fh:
        data: bytes = fh.read()
    custody(
        record=record,
        actor=user,
        action=CustodyAction.EXPORTED,
        detail={"sha256": hashlib.sha256(data).hexdigest(), "what": "package"},
    )
    return data


def verify_record(*, user: Any, record: EvidenceRecord) -> tuple[bool, list[tuple[str, str, str]]]:
    """Re-verify the stored package as any relying party would; the result is a custody event and the state."""
    from artrights.registry.verification import platform_trust
    from artrights.verify import verify_package

    require(user, "verify", record)
    with record.package.open("rb") as fh:
        verdict = verify_package(fh.read(), platform_trust())
    failures = [(f.check, f.message_zh, f.message_en) for f in verdict.failures()]
    with transaction.atomic():
        record = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        EVIDENCE_FLOW.apply(record, "pass" if verdict.ok else "fail_verification")
        record.save(update_fields=["status", "updated_at"])
        custody(
            record=record,
            actor=user,
            action=CustodyAction.VERIFIED,
            detail={"valid": verdict.ok, "passed": verdict.passed, "failed": [f[0] for f in failures]},
        )
    return verdict.ok, failures


# --------------------------------------------------------------------------------------------
# The sweep
# --------------------------------------------------------------------------------------------


def seal_due(*, now: dt.datetime | None = None) -> int:
    """Finish what a lost job left: seal stalled records, queue lost captures again, void captures that died."""
    now = now or timezone.now()
    done = 0
    for record in EvidenceRecord.objects.filter(
        status__in=(S.CAPTURED, S.TIMESTAMPED, S.ANCHORED), updated_at__lt=now - STALLED_AFTER
    ).order_by("pk")[:50]:
        try:
            seal(record_id=record.pk)
            done += 1
        except Exception:  # one broken record must not stop the sweep for the others; it is retried next time
            logger.exception("sealing evidence %s failed", record.number)
    for record in EvidenceRecord.objects.filter(status=S.CREATED, created_at__lt=now - STALLED_AFTER)[:50]:
        _queue_capture(record.pk)
        done += 1
    for record in EvidenceRecord.objects.filter(status=S.CAPTURING, updated_at__lt=now - CAPTURE_ABANDONED_AFTER):
        void(
            record=record,
            code="abandoned",
            zh="固化过程中断（处理程序停止），没有取得完整的数据。",
            en="the capture was interrupted (the worker stopped) before it completed.",
        )
        done += 1
    return done
