"""What the one-stop service tells people: the requester of each change of their request, the staff of overdue
requests (once per request), a person of the place they took or gave back at a training and, the day before, of
the training itself."""

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
SIGNED_UP = register(
    Kind(
        "onestop.signed_up",
        label=_("培训报名确认"),
        title=_("已报名培训：%(topic)s"),
        body=_(
            "%(station)s 的培训“%(topic)s”将于 %(starts)s 在 %(place)s 举行。不能参加请提前取消报名，把名额留给他人。"
        ),
    )
)
SIGNUP_CANCELLED = register(
    Kind(
        "onestop.signup_cancelled",
        label=_("培训报名取消"),
        title=_("已取消报名：%(topic)s"),
        body=_("您在 %(station)s 的培训“%(topic)s”（%(starts)s）的名额已取消。"),
    )
)
TRAINING_REMINDER = register(
    Kind(
        "onestop.training_reminder",
        label=_("培训开课提醒"),
        title=_("明天开课：%(topic)s"),
        body=_("%(station)s 的培训“%(topic)s”将于 %(starts)s 在 %(place)s 举行。"),
    )
)
