"""What the named actions matching records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "matching.check": pgettext_lazy("audit action", "比对疑似侵权图片"),
        "matching.url_check": pgettext_lazy("audit action", "提交网址比对"),
    }
)
