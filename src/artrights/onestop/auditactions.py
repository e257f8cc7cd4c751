"""What the named actions onestop records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "onestop.set_up": pgettext_lazy("audit action", "设立工作站"),
        "onestop.submit": pgettext_lazy("audit action", "提交服务请求"),
        "onestop.triage": pgettext_lazy("audit action", "分派服务请求"),
        "onestop.start": pgettext_lazy("audit action", "开始办理服务请求"),
        "onestop.route": pgettext_lazy("audit action", "转办服务请求"),
        "onestop.note": pgettext_lazy("audit action", "添加办理备注"),
        "onestop.close": pgettext_lazy("audit action", "办结服务请求"),
        "onestop.rate": pgettext_lazy("audit action", "评价服务"),
        "onestop.overdue": pgettext_lazy("audit action", "服务请求逾期"),
        "onestop.training": pgettext_lazy("audit action", "发布培训活动"),
        "onestop.sign_up": pgettext_lazy("audit action", "报名培训"),
        "onestop.cancel_signup": pgettext_lazy("audit action", "取消培训报名"),
        "onestop.attendance": pgettext_lazy("audit action", "记录培训签到"),
    }
)
