"""What credit tells people: a subject of its records and listings, with the ground and its rights (S20 Arts 69,
78); supervisors of objections and repairs due; partner departments that their measures must stop."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

RECORD_PUBLISHED = register(
    Kind(
        "credit.record_published",
        label=_("信用记录公示"),
        title=_("信用记录 %(number)s 已公示"),
        body=_(
            "认定部门：%(department)s，决定文书号：%(decision)s。最短公示期至 %(min_end)s，公示截止 %(max_end)s。"
            "对记录有异议的，可以随时提出异议；最短公示期届满后，可以申请信用修复。"
        ),
        essential=True,
    )
)
RECORD_ENDED = register(
    Kind(
        "credit.record_ended",
        label=_("信用记录停止公示"),
        title=_("信用记录 %(number)s 已停止公示"),
        body=_("自 %(date)s 起不再公示和共享。"),
    )
)
LISTING_PROPOSED = register(
    Kind(
        "credit.listing_proposed",
        label=_("拟列入信用名单告知"),
        title=_("拟将您列入信用名单（%(number)s）"),
        body=_(
            "列入理由：%(basis)s（%(decision)s）。您有权在 %(due)s 前提出陈述和申辩，逾期视为放弃；"
            "期满后将作出是否列入的决定。"
        ),
        essential=True,
    )
)
LISTED = register(
    Kind(
        "credit.listed",
        label=_("列入信用名单告知"),
        title=_("您已被列入信用名单（%(number)s）"),
        body=_(
            "列入理由：%(basis)s（%(decision)s）。列入期限：%(until)s。对列入有异议的，可以提出异议；"
            "自列入之日起满 %(months)s 个月后，可以申请信用修复；名单期满或列入决定被撤销时自动移出。"
        ),
        essential=True,
    )
)
LISTED_UNTIL_MET = register(
    Kind(
        "credit.listed_until_met",
        label=_("列入经营异常名录告知"),
        title=_("您已被列入信用名单（%(number)s）"),
        body=_("列入理由：%(basis)s（%(decision)s）。履行相关义务后，可以申请移出。对列入有异议的，可以提出异议。"),
        essential=True,
    )
)
LISTING_EXTENDED = register(
    Kind(
        "credit.listing_extended",
        label=_("信用名单期限延长"),
        title=_("名单记录 %(number)s 延长至 %(until)s"),
        body=_("因名单期内再次发生失信行为（记录 %(record)s），名单期限延长。对延长有异议的，可以对该记录提出异议。"),
        essential=True,
    )
)
DELISTED = register(
    Kind(
        "credit.delisted",
        label=_("移出信用名单"),
        title=_("名单记录 %(number)s 已移出"),
        body=_("自 %(date)s 起移出名单，相关惩戒措施停止。"),
        essential=True,
    )
)
MEASURES_STOP = register(
    Kind(
        "credit.measures_stop",
        label=_("停止联合惩戒措施"),
        title=_("名单记录 %(number)s 已移出，请停止惩戒措施"),
        body=_("该主体自 %(date)s 起移出名单。贵单位报送过已实施的措施，请停止实施并报送停止情况。"),
        essential=True,
    )
)
OBJECTION_RECEIVED = register(
    Kind(
        "credit.objection_received",
        label=_("信用异议待处理"),
        title=_("异议 %(number)s 待处理"),
        body=_("记录 %(record)s 已标注“异议处理中”。请在 %(check_due)s 前核查，%(due)s 前办结。"),
    )
)
OBJECTION_DECIDED = register(
    Kind(
        "credit.objection_decided",
        label=_("信用异议处理结果"),
        title=_("异议 %(number)s 已办结"),
        body=_("处理意见：%(decision)s"),
        essential=True,
    )
)
REPAIR_RECEIVED = register(
    Kind(
        "credit.repair_received",
        label=_("信用修复待处理"),
        title=_("信用修复申请 %(number)s 待处理"),
        body=_("请在 %(due)s 前作出决定。"),
    )
)
REPAIR_DECIDED = register(
    Kind(
        "credit.repair_decided",
        label=_("信用修复结果"),
        title=_("信用修复申请 %(number)s 已办结"),
        body=_("处理意见：%(decision)s"),
        essential=True,
    )
)
ESCALATION_DUE = register(
    Kind(
        "credit.escalation_due",
        label=_("经营异常满三年待转列严重失信名单"),
        title=_("%(name)s 列入经营异常名录已满三年（%(number)s）"),
        body=_(
            "该机构自 %(listed_on)s 列入经营异常名录，至今仍未履行义务。请核实后录入认定决定，"
            "提出列入严重失信名单，当事人有权陈述申辩。"
        ),
    )
)
