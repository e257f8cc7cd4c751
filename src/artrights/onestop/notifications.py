"""What the one-stop service tells people: the requester of each change of their request, the staff of overdue
requests (once per request), a person of the place they took or gave back at a training and, the day before, of
the training itself."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

# The steps a requester hears of in fixed words, stored as their codes so the requester reads them in their own
# language; a note or outcome the staff wrote is stored and shown as written.
STEPS = {
    "triaged": _("已受理，承办人：%(handler)s"),
    "started": _("开始办理。"),
    "routed_check": _("已转办：侵权比对报告将出现在您的比对记录中。"),
    "routed_capture": _("已转办：网页取证结果将出现在您的电子证据中。"),
    "routed_both": _("已转办：侵权比对报告将出现在您的比对记录中；网页取证结果将出现在您的电子证据中。"),
    "referred": _("已转送调解组织，案号 %(case)s，受理期限 %(due)s。"),
    "draft_ready": _("工作站已为您填好登记申请草稿《%(title)s》，请核对后提交。"),
}

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
        coded={"note": STEPS},
        written=frozenset({"note"}),
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
