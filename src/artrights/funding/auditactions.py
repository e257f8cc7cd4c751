"""What the named actions funding records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "funding.programme_created": pgettext_lazy("audit action", "设立资助项目"),
        "funding.programme_changed": pgettext_lazy("audit action", "修改资助项目规则"),
        "funding.applied": pgettext_lazy("audit action", "提交资助申请"),
        "funding.refused_on_credit": pgettext_lazy("audit action", "资助申请因信用核查不予受理"),
        "funding.approved": pgettext_lazy("audit action", "批准资助申请"),
        "funding.refused": pgettext_lazy("audit action", "驳回资助申请"),
        "funding.paid": pgettext_lazy("audit action", "登记资助拨付"),
        "funding.withdrawn": pgettext_lazy("audit action", "撤回资助申请"),
    }
)
