"""Evidence records: a web page, files or a match fixed as electronic evidence, and their custody log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from artrights.core.models import AppendOnlyModel
from artrights.core.statemachine import Transition, Workflow


class EvidenceKind(models.TextChoices):
    WEB_PAGE = "web_page", _("网页截取")
    FILES = "files", _("文件上传")
    MATCH_REPORT = "match_report", _("比对结果")


class EvidenceStatus(models.TextChoices):
    """DOMAIN.md §2.3; verification results are states of a sealed record, never a reason to change it."""

    CREATED = "created", _("已提交")
    CAPTURING = "capturing", _("正在固化")
    CAPTURED = "captured", _("已取得")
    TIMESTAMPED = "timestamped", _("已加盖时间戳")
    ANCHORED = "anchored", _("已记入公开日志")
    SEALED = "sealed", _("已封存")
    VERIFIED = "verified", _("核验通过")
    VERIFY_FAILED = "verify_failed", _("核验未通过")
    VOID = "void", _("未能固化")


S = EvidenceStatus
SEALED_STATES = (S.SEALED, S.VERIFIED, S.VERIFY_FAILED)
EVIDENCE_FLOW = Workflow(
    [
        Transition.of("start", S.CREATED, S.CAPTURING),
        Transition.of("capture", S.CAPTURING, S.CAPTURED),
        Transition.of("timestamp", S.CAPTURED, S.TIMESTAMPED),
        Transition.of("anchor", S.TIMESTAMPED, S.ANCHORED),
        Transition.of("seal", S.ANCHORED, S.SEALED),
        Transition.of("pass", SEALED_STATES, S.VERIFIED),
        Transition.of("fail_verification", SEALED_STATES, S.VERIFY_FAILED),
        # Once the manifest is in the public log the record is never void: the remaining steps are retried.
        Transition.of("void", (S.CREATED, S.CAPTURING, S.CAPTURED, S.TIMESTAMPED), S.VOID),
    ]
)

# Work still waiting for its next step this long after it was asked for was lost (a killed worker, an emptied
# queue): the sweep picks it up again.
STALLED_AFTER = dt.timedelta(minutes=2)
# A capture that started and never finished in this time died with its worker; it is void, with that reason.
CAPTURE_ABANDONED_AFTER = dt.timedelta(minutes=15)


def _artifact_path(instance: EvidenceArtifact, filename: str) -> str:
    return f"evidence/{instance.record_id}/{uuid.uuid4().hex}"


def _package_path(instance: EvidenceRecord, filename: str) -> str:
    return f"evidence/{instance.pk}/{uuid.uuid4().hex}-{filename}"


class EvidenceRecord(models.Model):
    """One fixation job and what it produced; never deleted (a failed capture stays, void, with its reason)."""

    number = models.CharField(_("证据编号"), max_length=32, unique=True, null=True, blank=True)
    kind = models.CharField(_("固化方式"), max_length=20, choices=EvidenceKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.CREATED, db_index=True
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_records",
    )
    requester_name = models.CharField(_("申请人名称"), max_length=200)
    source_url = models.URLField(_("目标网址"), max_length=2000, blank=True)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    work = models.ForeignKey(
        "registry.Work",
        verbose_name=_("涉及的登记作品"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_records",
    )
    match_report = models.ForeignKey(
        "matching.MatchReport", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_records"
    )
    final_url = models.URLField(_("最终网址"), max_length=2000, blank=True)
    page_title = models.CharField(_("页面标题"), max_length=500, blank=True)
    # Why it is void: a code (CaptureFailed's, or "abandoned") and the words in both languages at the time.
    reason = models.CharField(_("失败原因"), max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)
    environment = models.JSONField(_("固化环境"), default=dict, blank=True)
    requests = models.JSONField(_("网络请求"), default=list, blank=True)
    capture_log = models.JSONField(_("固化日志"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    captured_at = models.DateTimeField(_("取得时间"), null=True, blank=True)
    manifest = models.TextField(_("证据清单"), blank=True)
    manifest_sha256 = models.CharField(_("清单 SHA-256"), max_length=64, blank=True, db_index=True)
    manifest_sm3 = models.CharField(_("清单 SM3"), max_length=64, blank=True)
    manifest_token = models.BinaryField(_("清单时间戳"), null=True, blank=True)
    manifest_time = models.DateTimeField(_("时间戳时间"), null=True, blank=True)
    log_index = models.BigIntegerField(_("公开日志序号"), null=True, blank=True)
    requester_opening = models.JSONField(default=dict, blank=True)
    bundle = models.JSONField(_("证明材料"), null=True, blank=True)
    report = models.FileField(_("固化报告"), upload_to=_package_path, max_length=300, blank=True)
    package = models.FileField(_("证据包"), upload_to=_package_path, max_length=300, blank=True)
    package_sha256 = models.CharField(_("证据包 SHA-256"), max_length=64, blank=True)
    package_size = models.BigIntegerField(_("证据包大小"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("封存时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("电子证据")
        verbose_name_plural = _("电子证据")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_sealed(self) -> bool:
        return self.status in SEALED_STATES

    @property
    def is_running(self) -> bool:
        return self.status in (S.CREATED, S.CAPTURING, S.CAPTURED, S.TIMESTAMPED, S.ANCHORED)

    def failure(self, language: str) -> str:
        """Why the record is void, in ``language`` ("zh-hans" or "en")."""
        words = self.details.get("en" if language.startswith("en") else "zh") if self.details else ""
        return str(words or self.reason)

    def on_target_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r.get("on_target")]

    def off_target_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if not r.get("on_target")]


class EvidenceArtifact(AppendOnlyModel):
    """One file of a record, with the hashes the manifest lists; kept as it was captured."""

    record = models.ForeignKey(EvidenceRecord, on_delete=models.PROTECT, related_name="artifacts")
    position = models.PositiveIntegerField()
    path = models.CharField(_("包内路径"), max_length=200)
    mime = models.CharField(_("类型"), max_length=100)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sm3 = models.CharField(_("SM3"), max_length=64)
    file = models.FileField(upload_to=_artifact_path, max_length=300)

    class Meta:
        verbose_name = _("证据文件")
        verbose_name_plural = _("证据文件")
        ordering = ["record", "position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "path"], name="evidence_artifact_path_unique"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


class CustodyAction(models.TextChoices):
    CREATED = "created", _("提交固化申请")
    CAPTURED = "captured", _("取得电子数据")
    TIMESTAMPED = "timestamped", _("清单加盖时间戳")
    ANCHORED = "anchored", _("记入公开日志")
    SEALED = "sealed", _("封存证据包")
    VOIDED = "voided", _("固化失败")
    VIEWED = "viewed", _("查看")
    EXPORTED = "exported", _("下载证据包")
    VERIFIED = "verified", _("核验")


class CustodyEvent(AppendOnlyModel):
    """One event in a record's custody log: each names the hash of the one before, so a removed or altered event
    breaks the chain (``EvidenceRecord`` custody is checked by ``services.custody_intact``)."""

    record = models.ForeignKey(EvidenceRecord, on_delete=models.PROTECT, related_name="custody")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor_name = models.CharField(_("操作人"), max_length=200)
    action = models.CharField(_("操作"), max_length=20, choices=CustodyAction.choices)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("保管记录")
        verbose_name_plural = _("保管记录")
        ordering = ["record", "seq"]
        constraints = [models.UniqueConstraint(fields=["record", "seq"], name="custody_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.record} {self.seq} {self.action}"

    def body(self) -> dict[str, Any]:
        """What the event's hash covers."""
        return {
            "record": self.record_id,
            "seq": self.seq,
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor_name,
            "action": self.action,
            "detail": self.detail,
            "prev": self.prev_hash,
        }

    def computed_hash(self) -> str:
        data = json.dumps(self.body(), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        return hashlib.sha256(data).hexdigest()
