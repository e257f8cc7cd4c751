"""What the actions core records itself are called: every model write (by signal) and signing in and out."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from .audit import declare

declare(
    {
        "create": pgettext_lazy("audit action", "创建记录"),
        "update": pgettext_lazy("audit action", "修改记录"),
        "delete": pgettext_lazy("audit action", "删除记录"),
        "login": pgettext_lazy("audit action", "登录"),
        "logout": pgettext_lazy("audit action", "退出登录"),
        "login_failed": pgettext_lazy("audit action", "登录失败"),
    }
)
