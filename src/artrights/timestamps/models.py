"""Tokens from external time-stamping authorities, kept beside the built-in TSA's.

Every digest the platform stamps with its own TSA (checkpoints, certificates, evidence) is also sent to each
external TSA the operator configured, so a relying party that does not trust the platform's TSA has an
independent token over the same bytes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from artrights.core.models import AppendOnlyModel


class ExternalTimestamp(AppendOnlyModel):
    digest = models.CharField(_("SHA-256 摘要"), max_length=64, db_index=True)
    url = models.URLField(_("时间戳服务网址"), max_length=500)
    response = models.BinaryField(_("RFC 3161 响应"))
    gen_time = models.DateTimeField(_("时间戳时间"))
    created_at = models.DateTimeField(_("取得时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外部时间戳")
        verbose_name_plural = _("外部时间戳")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.digest[:16]}… @ {self.url}"
