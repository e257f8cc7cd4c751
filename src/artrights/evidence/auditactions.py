"""What the named actions evidence records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "evidence.requested": pgettext_lazy("audit action", "申请证据固定"),
        "evidence.sealed": pgettext_lazy("audit action", "封存证据包"),
        "evidence.anchored": pgettext_lazy("audit action", "证据写入公共日志"),
        "evidence.voided": pgettext_lazy("audit action", "终止无法固定的证据"),
    }
)
