"""Reads for evidence: what a person's pages and the API list."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import get_visible_or_404, visible_to

from .models import EvidenceRecord, EvidenceStatus


def records_for(user: Any) -> QuerySet[EvidenceRecord]:
    """The records ``user`` may read, newest first."""
    return visible_to(user, EvidenceRecord.objects.select_related("work", "requester"))


def record_by_number(user: Any, number: str) -> EvidenceRecord:
    """One record ``user`` may read, by its number (404 otherwise, never a hint that it exists)."""
    return get_visible_or_404(user, EvidenceRecord.objects.select_related("work", "requester"), number=number)


def sealed_count(user: Any) -> int:
    return (
        records_for(user)
        .filter(status__in=(EvidenceStatus.SEALED, EvidenceStatus.VERIFIED, EvidenceStatus.VERIFY_FAILED))
        .count()
    )


def in_progress_count(user: Any) -> int:
    return (
        records_for(user)
        .exclude(
            status__in=(
                EvidenceStatus.SEALED,
                EvidenceStatus.VERIFIED,
                EvidenceStatus.VERIFY_FAILED,
                EvidenceStatus.VOID,
            )
        )
        .count()
    )


# What the capture environment's fields are called on the record's page; a field not named here shows its key.
ENVIRONMENT_LABELS: dict[str, Promise] = {
    "tool": _("固化工具"),
    "tool_version": _("工具版本"),
    "browser": _("浏览器"),
    "playwright": _("Playwright 版本"),
    "python": _("Python 版本"),
    "platform": _("操作系统"),
    "user_agent": _("User-Agent"),
    "viewport": _("视口"),
    "device_scale_factor": _("像素比"),
    "locale": _("语言区域"),
    "timezone": _("时区"),
    "target_addresses": _("目标网站的地址"),
    "tls": _("目标网站的 TLS 证书"),
    "proxy": _("代理设置"),
    "clock_check": _("时钟校验"),
    "started_at": _("开始时间（UTC）"),
    "finished_at": _("结束时间（UTC）"),
    "browser_executable": _("浏览器程序"),
    "warcio": _("warcio 版本"),
    "machine": _("处理器架构"),
    "target_url": _("目标网址"),
    "target_host": _("目标主机"),
    "target_port": _("目标端口"),
    "network": _("网络隔离"),
    "channel": _("取得方式"),
    "account": _("上传账户"),
    "received_by": _("接收机构"),
}


def environment_rows(record: EvidenceRecord) -> list[tuple[str, str]]:
    """The capture environment as (label, text) rows, in the order it was recorded."""
    return [(str(ENVIRONMENT_LABELS.get(key, key)), _text(value)) for key, value in record.environment.items()]


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, indent=1)
