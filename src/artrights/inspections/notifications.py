"""What inspections tells people: an inspector that targets were drawn for them (D12: assign within 2 working
days of the list)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

ASSIGNED = register(
    Kind(
        "inspections.assigned",
        label=_("抽查任务指派"),
        title=_("抽查计划 %(plan)s 为您抽取了 %(count)s 个检查对象"),
        body=_("请在“我的检查任务”中查看检查对象；与对象有利害关系的，请申报回避。"),
    )
)
