"""What the named actions mediation records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "mediation.open": pgettext_lazy("audit action", "申请调解"),
        "mediation.accept": pgettext_lazy("audit action", "受理调解申请"),
        "mediation.reject": pgettext_lazy("audit action", "不予受理调解申请"),
        "mediation.answer": pgettext_lazy("audit action", "答复调解邀请"),
        "mediation.choose": pgettext_lazy("audit action", "选定调解员"),
        "mediation.draw": pgettext_lazy("audit action", "指定调解员"),
        "mediation.assign": pgettext_lazy("audit action", "确定调解员"),
        "mediation.take_file": pgettext_lazy("audit action", "调解员接受案件"),
        "mediation.decline": pgettext_lazy("audit action", "调解员拒绝案件"),
        "mediation.request_recusal": pgettext_lazy("audit action", "申请调解员回避"),
        "mediation.decide_recusal": pgettext_lazy("audit action", "决定调解员回避"),
        "mediation.propose_extension": pgettext_lazy("audit action", "提议延长调解期限"),
        "mediation.answer_extension": pgettext_lazy("audit action", "答复延长调解期限"),
        "mediation.extend": pgettext_lazy("audit action", "延长调解期限"),
        "mediation.session": pgettext_lazy("audit action", "记录调解会谈"),
        "mediation.suspend": pgettext_lazy("audit action", "中止调解"),
        "mediation.resume": pgettext_lazy("audit action", "恢复调解"),
        "mediation.withdraw": pgettext_lazy("audit action", "撤回调解申请"),
        "mediation.fail": pgettext_lazy("audit action", "调解终结未达成协议"),
        "mediation.draft_agreement": pgettext_lazy("audit action", "起草调解协议"),
        "mediation.sign": pgettext_lazy("audit action", "签署调解协议"),
        "mediation.agreement_effective": pgettext_lazy("audit action", "调解协议生效"),
        "mediation.issue_agreement": pgettext_lazy("audit action", "出具调解协议书"),
        "mediation.apply_confirmation": pgettext_lazy("audit action", "申请司法确认"),
        "mediation.confirmation": pgettext_lazy("audit action", "记录司法确认结果"),
        "mediation.court_step": pgettext_lazy("audit action", "记录法院程序"),
        "mediation.performance": pgettext_lazy("audit action", "记录协议履行"),
        "mediation.record_credit": pgettext_lazy("audit action", "将侵权行为记入信用记录"),
        "mediation.no_answer": pgettext_lazy("audit action", "逾期未处理"),
        "mediation.enrol": pgettext_lazy("audit action", "将调解员加入名册"),
        "mediation.update_mediator": pgettext_lazy("audit action", "修改调解员信息"),
        "mediation.declare_conflict": pgettext_lazy("audit action", "申报回避关系"),
    }
)
