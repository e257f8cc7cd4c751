"""Parties, the audit log, uploaded files and working-day overrides."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import auditchain, validators

_M = TypeVar("_M", bound=models.Model)


class PartyKind(models.TextChoices):
    NATURAL = "natural", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MO_TW_PERMIT = "permit", _("港澳台居民通行证/居住证")
    USCC = "uscc", _("统一社会信用代码")
    OTHER = "other", _("其他有效证件")


class Party(models.Model):
    """A natural person or an organisation that can hold rights, apply, or be a party to a case."""

    kind = models.CharField(_("类型"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(_("名称/姓名"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=64)
    country = models.CharField(_("国籍/国家"), max_length=64, default="中国")
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        constraints = [models.UniqueConstraint(fields=["id_type", "id_number"], name="party_unique_identifier")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        hidden: dict[str, ValidationError] = {}
        for name in ("name", "id_number", "country", "address", "phone"):
            try:
                validators.validate_plain_text(getattr(self, name))
            except ValidationError as exc:
                hidden[name] = exc
        if hidden:
            raise ValidationError(hidden)
        if self.kind == PartyKind.NATURAL and self.id_type == IdType.USCC:
            raise ValidationError({"id_type": _("自然人不能使用统一社会信用代码。")})
        if self.kind == PartyKind.ORGANISATION and self.id_type == IdType.RESIDENT_ID:
            raise ValidationError({"id_type": _("组织不能使用居民身份证。")})
        if self.id_type == IdType.RESIDENT_ID:
            self.id_number = validators.validate_resident_id(self.id_number)
        elif self.id_type == IdType.USCC:
            self.id_number = validators.validate_uscc(self.id_number)
        elif not self.id_number.strip():
            raise ValidationError({"id_number": _("请填写证件号码。")})


def _append_only(model: type[models.Model], change: str) -> ValidationError:
    name = model._meta.verbose_name_plural
    if change == "delete":
        return ValidationError(_("%(records)s只能追加，不能删除。") % {"records": name})
    return ValidationError(_("%(records)s只能追加，不能修改。") % {"records": name})


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise _append_only(self.model, "update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _append_only(self.model, "delete")


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never changed or deleted (records that serve as evidence).

    The database enforces it too, with triggers added in each app's migrations.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise _append_only(type(self), "update")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _append_only(type(self), "delete")


class AuditEvent(AppendOnlyModel):
    """One write to the platform. Rows are never updated or deleted (also enforced by database triggers).

    The events form a hash chain (``core.auditchain``): ``seq`` counts from 1 without gaps, ``prev_hash`` is the
    hash of event ``seq - 1`` and ``hash`` covers both and every field, so a deleted or changed event breaks the
    chain there. The chain's head is anchored in the public log (``ledger.services.anchor_audit_log``).
    """

    # Set by `audit.record()` before the hash is computed (not auto_now_add, which would overwrite it on save).
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # PROTECT: a user who ever wrote something stays (deactivated), so the log keeps pointing at them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人标识"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    request_path = models.CharField(_("请求路径"), max_length=300, blank=True)
    via = models.CharField(_("途径"), max_length=20, blank=True)  # web, api, cli, worker
    seq = models.BigIntegerField(_("链序号"), unique=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    hash = models.CharField(_("事件哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"

    @property
    def action_label(self) -> str:
        """The action as its actor would say it, in the active language (the code when no app declares it)."""
        from . import audit

        return audit.action_label(self.action)

    @property
    def object_type_label(self) -> str:
        """The kind of object in words (the model's verbose name); the stored type when no model has it now."""
        try:
            model = django_apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)


AUDIT_CHAIN_HEAD_ID = 1


class AuditChainHead(models.Model):
    """The one row naming the audit chain's last event; writers lock it, so events are chained one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=AUDIT_CHAIN_HEAD_ID)
    seq = models.BigIntegerField(_("事件数"), default=0)
    hash = models.CharField(_("最新事件哈希"), max_length=64, default=auditchain.GENESIS)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=AUDIT_CHAIN_HEAD_ID), name="core_single_audit_head")
        ]

    def __str__(self) -> str:
        return f"audit chain {self.seq}"


def _upload_path(instance: StoredFile, filename: str) -> str:
    return f"files/{instance.sha256[:2]}/{instance.sha256}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """An uploaded file with its SHA-256, kept in the configured storage (local disk or S3)."""

    file = models.FileField(_("文件"), upload_to=_upload_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="files"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def digest(chunks: Iterable[bytes]) -> tuple[str, int]:
        h = hashlib.sha256()
        size = 0
        for chunk in chunks:
            h.update(chunk)
            size += len(chunk)
        return h.hexdigest(), size


class CalendarOverride(models.Model):
    """An official working-day decision for a day the bundled schedule does not know yet (or corrects)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_workday else '休息日'}"


class Notification(models.Model):
    """One message in a user's inbox: what happened (a kind and its parameters), about what, and where to act.

    The text is not stored: ``title`` and ``body`` are rendered from the kind's templates in the reader's
    language each time (``core.notifying``). Copies by e-mail and SMS are :class:`Delivery` rows.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("通知类型"), max_length=100, db_index=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # The object it is about, named as the audit log names objects (no foreign key across apps).
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        # The unread count in every page's header.
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from .notifying import render

        return render(self.kind, self.params).title

    @property
    def body(self) -> str:
        from .notifying import render

        return render(self.kind, self.params).body

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    NO_ADDRESS = "no_address", _("没有地址（未填写邮箱或未验证手机）")
    OPTED_OUT = "opted_out", _("用户选择不接收")


class Delivery(models.Model):
    """A copy of a notification sent outside the platform (e-mail, SMS), or the reason none was sent."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=20, choices=DeliveryStatus.choices)
    address = models.CharField(_("地址"), max_length=254, blank=True)  # as it was when the notification was sent
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知发送")
        verbose_name_plural = _("通知发送")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_one_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address} {self.get_status_display()}"
