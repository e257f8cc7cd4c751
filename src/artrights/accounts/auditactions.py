"""What the named actions accounts records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "accounts.complete_identity": pgettext_lazy("audit action", "补全实名信息"),
        "accounts.login_locked": pgettext_lazy("audit action", "登录因多次失败被锁定"),
        "accounts.notifications_read": pgettext_lazy("audit action", "将全部通知标为已读"),
    }
)
