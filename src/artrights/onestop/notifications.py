"""What the one-stop service tells people: the requester of each change of their request, the staff of overdue
requests (once per request)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

RECEIVED = register(
    Kind(
        "onestop.received",
        label=_("工作站收到新的服务请求"),
        title=_("新的服务请求 #%(number)s"),
        body=_("%(station)s 收到一项服务请求，请在 %(deadline)s 前办结。"),
    )
)
STATUS_CHANGED = register(
    Kind(
        "onestop.status_changed",
        label=_("服务请求办理进度"),
        title=_("您的服务请求 #%(number)s 有新进展"),
        body=_("%(station)s：%(note)s"),
    )
)
OVERDUE = register(
    Kind(
        "onestop.overdue",
        label=_("服务请求逾期提醒"),
        title=_("服务请求 #%(number)s 已逾期"),
        body=_("%(station)s 的服务请求办理期限为 %(deadline)s，已逾期，请尽快办理。"),
    )
)
