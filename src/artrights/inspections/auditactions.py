"""What the named actions inspections records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "inspections.add_inspector": pgettext_lazy("audit action", "将检查人员加入名录"),
        "inspections.declare_conflict": pgettext_lazy("audit action", "申报回避关系"),
        "inspections.sync_targets": pgettext_lazy("audit action", "更新检查对象名录"),
        "inspections.update_target": pgettext_lazy("audit action", "修改检查对象信息"),
        "inspections.create_plan": pgettext_lazy("audit action", "制定抽查计划"),
        "inspections.commit": pgettext_lazy("audit action", "冻结抽取范围并提交随机数承诺"),
        "inspections.draw": pgettext_lazy("audit action", "执行双随机抽取"),
        "inspections.recuse": pgettext_lazy("audit action", "检查人员回避"),
        "inspections.enter_result": pgettext_lazy("audit action", "录入检查结果"),
        "inspections.publish_result": pgettext_lazy("audit action", "公示检查结果"),
        "inspections.return_result": pgettext_lazy("audit action", "退回检查结果"),
        "inspections.complete_plan": pgettext_lazy("audit action", "抽查计划完成"),
    }
)
