"""Fingerprints of registered works, match reports for suspect images, and watched pages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from artrights.core.fetch import reason_message
from artrights.core.statemachine import Transition, Workflow


class ReferenceFingerprint(models.Model):
    """The fingerprint of one registered sample image.  It becomes inactive when its work is revoked,
    or when a newer engine has extracted the sample again (the new fingerprint is a new row, so every
    process's index sees the change as one removal and one addition)."""

    work = models.ForeignKey("registry.Work", on_delete=models.PROTECT, related_name="fingerprints")
    work_file = models.ForeignKey("registry.WorkFile", on_delete=models.PROTECT, related_name="fingerprints")
    data = models.BinaryField(_("指纹"))
    vocab_version = models.PositiveIntegerField(_("词表版本"))
    engine = models.CharField(_("提取引擎"), max_length=80, blank=True, db_index=True)
    active = models.BooleanField(_("有效"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    deactivated_at = models.DateTimeField(_("停用时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("作品指纹")
        verbose_name_plural = _("作品指纹")
        constraints = [
            models.UniqueConstraint(
                fields=["work_file"], condition=models.Q(active=True), name="one_active_fingerprint_per_sample"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work} #{self.pk}"


class MatchKind(models.TextChoices):
    """What kind of copy a match is, in words a court reads beside the score."""

    IDENTICAL_FILE = "identical_file", _("同一文件")  # the very file registered as a sample (same SHA-256)
    IDENTICAL_PICTURE = "identical_picture", _("同一画面")  # the same picture, re-encoded or resized
    NEAR_COPY = "near_copy", _("近似复制")  # cropped, recoloured, photographed, mirrored or used in part


class MatchReport(models.Model):
    """One check of a suspect image against the registry, with what was found and where."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="match_reports")
    query_file = models.ForeignKey("core.StoredFile", verbose_name=_("疑似侵权图片"), on_delete=models.PROTECT)
    source_url = models.URLField(_("来源网址"), max_length=1000, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    results = models.JSONField(_("比对结果"), default=list)
    created_at = models.DateTimeField(_("比对时间"), auto_now_add=True)
    evidence_log_index = models.BigIntegerField(_("证据日志序号"), null=True, blank=True)
    evidence_bundle = models.JSONField(_("证据证明材料"), null=True, blank=True)

    class Meta:
        verbose_name = _("比对报告")
        verbose_name_plural = _("比对报告")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.query_file} ({len(self.results)})"


class WatchedPage(models.Model):
    """A web page a rights holder or official asked the platform to watch for copies."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_pages")
    url = models.URLField(_("网址"), max_length=1000)
    interval_minutes = models.PositiveIntegerField(_("检查间隔（分钟）"), default=24 * 60)
    active = models.BooleanField(_("监测中"), default=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    last_checked_at = models.DateTimeField(_("最近检查"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测网页")
        verbose_name_plural = _("监测网页")
        constraints = [models.UniqueConstraint(fields=["owner", "url"], name="watched_page_unique")]

    def __str__(self) -> str:
        return self.url


class PageCheck(models.Model):
    """One visit of a watched page: failed (the page could not be fetched, and why) or done (how many
    images it showed, how many of them could not be read, how many copies were new)."""

    page = models.ForeignKey(WatchedPage, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(_("检查时间"), auto_now_add=True)
    ok = models.BooleanField(_("成功"))
    # Why the page could not be fetched: a key of core.fetch.REASONS and its details, worded when shown so
    # the reader gets their own language; ``error`` keeps the words of the moment for the back office.
    reason = models.CharField(_("失败原因"), max_length=20, blank=True)
    details = models.JSONField(default=dict, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    images_found = models.PositiveIntegerField(_("图片数"), default=0)
    images_unreadable = models.PositiveIntegerField(_("无法读取的图片"), default=0)
    new_hits = models.PositiveIntegerField(_("新发现"), default=0)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page} {self.checked_at:%Y-%m-%d %H:%M}"

    def failure(self) -> str:
        """Why the check failed, in the active language ("" for a check that worked)."""
        if self.ok:
            return ""
        return reason_message(self.reason, self.details) if self.reason else self.error


class MonitorHit(models.Model):
    """A registered work found in an image on a watched page (recorded once per page, image and work)."""

    page = models.ForeignKey(WatchedPage, on_delete=models.CASCADE, related_name="hits")
    image_url = models.URLField(_("图片网址"), max_length=1000)
    work = models.ForeignKey("registry.Work", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("相似度"))
    report = models.ForeignKey(MatchReport, on_delete=models.PROTECT, related_name="+")
    first_seen_at = models.DateTimeField(_("首次发现"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测发现")
        verbose_name_plural = _("监测发现")
        constraints = [models.UniqueConstraint(fields=["page", "image_url", "work"], name="monitor_hit_unique")]

    def __str__(self) -> str:
        return f"{self.work} @ {self.image_url}"


class UrlCheckStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在取得图片")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未能完成")


URL_CHECK_FLOW = Workflow(
    [
        Transition.of("start", UrlCheckStatus.QUEUED, UrlCheckStatus.RUNNING),
        Transition.of("finish", UrlCheckStatus.RUNNING, UrlCheckStatus.DONE),
        Transition.of("fail", UrlCheckStatus.RUNNING, UrlCheckStatus.FAILED),
    ]
)

# A check still waiting or running this long after it was asked for was lost (the worker stopped mid-way, the
# queue was emptied): it no longer counts against its requester's limit and its page stops waiting for it.
URL_CHECK_ABANDONED_AFTER = dt.timedelta(minutes=10)


class UrlCheck(models.Model):
    """A check of a suspect image given by its URL. The worker fetches the image (never the web request that
    asked) and leaves a match report, or the reason it could not."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="url_checks")
    url = models.URLField(_("图片网址"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=10, choices=UrlCheckStatus.choices, default=UrlCheckStatus.QUEUED, db_index=True
    )
    report = models.ForeignKey(MatchReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Why it failed: a key of core.fetch.REASONS (or "image" with the image loader's words in both languages in
    # ``details``), worded when shown so the reader gets their own language.
    reason = models.CharField(_("失败原因"), max_length=20, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("网址检查")
        verbose_name_plural = _("网址检查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.url}"

    def abandoned(self) -> bool:
        """Waiting or running for so long that it was lost (see URL_CHECK_ABANDONED_AFTER)."""
        pending = self.status in (UrlCheckStatus.QUEUED, UrlCheckStatus.RUNNING)
        return pending and self.created_at < timezone.now() - URL_CHECK_ABANDONED_AFTER

    def pending(self) -> bool:
        """Still waiting for the worker (the page keeps asking until it is not)."""
        return self.status in (UrlCheckStatus.QUEUED, UrlCheckStatus.RUNNING) and not self.abandoned()

    def failure(self) -> str:
        """Why the check did not give a report, in the active language ("" while pending or when done)."""
        if self.abandoned() or (self.status == UrlCheckStatus.FAILED and self.reason == "error"):
            return str(_("检查没有完成，请重新提交。"))
        if self.status != UrlCheckStatus.FAILED:
            return ""
        if self.reason == "image":
            english = (get_language() or "").startswith("en")
            return str(self.details.get("en" if english else "zh", ""))
        return reason_message(self.reason, self.details)
