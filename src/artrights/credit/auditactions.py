"""What the named actions credit records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "credit.record": pgettext_lazy("audit action", "记录失信行为"),
        "credit.publish": pgettext_lazy("audit action", "公示信用记录"),
        "credit.object": pgettext_lazy("audit action", "对信用记录提出异议"),
        "credit.decide_objection": pgettext_lazy("audit action", "处理信用异议"),
        "credit.ask_repair": pgettext_lazy("audit action", "申请信用修复"),
        "credit.decide_repair": pgettext_lazy("audit action", "处理信用修复申请"),
        "credit.withdraw": pgettext_lazy("audit action", "撤销信用记录"),
        "credit.repair": pgettext_lazy("audit action", "信用修复后停止公示记录"),
        "credit.expire": pgettext_lazy("audit action", "信用记录公示期满"),
        "credit.propose_listing": pgettext_lazy("audit action", "告知拟列入名单"),
        "credit.list": pgettext_lazy("audit action", "列入名单"),
        "credit.drop_listing": pgettext_lazy("audit action", "不予列入名单"),
        "credit.extend_listing": pgettext_lazy("audit action", "延长列入名单期限"),
        "credit.remove_listing": pgettext_lazy("audit action", "移出名单"),
        "credit.repair_listing": pgettext_lazy("audit action", "信用修复后移出名单"),
        "credit.expire_listing": pgettext_lazy("audit action", "名单期满移出"),
        "credit.extend_case": pgettext_lazy("audit action", "延长异议或修复办理期限"),
        "credit.import": pgettext_lazy("audit action", "批量导入信用记录"),
        "credit.add_evidence": pgettext_lazy("audit action", "录入信用评价材料"),
        "credit.withdraw_evidence": pgettext_lazy("audit action", "撤回信用评价材料"),
    }
)
