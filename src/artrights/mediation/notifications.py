"""What mediation tells people: every step that asks something of a party, a mediator, the organisation or a
court, and every deadline that passed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

from .models import CaseStatus, ConfirmationStatus, ConflictGround, FailureReason, RecusalStatus, Source

# The fixed phrases of mediation's notices, stored as their codes so each reader gets them in their own language.
DECISIONS = {
    "accepted": _("已受理"),
    "rejected": _("不予受理"),
    "mediator_declined": _("调解员不接受指派"),
}
DECISION_NOTES = {
    "accepted": _("调解组织已受理，正在征询被申请人是否同意调解。"),
}
ENDINGS = {
    "respondent_refused": _("被申请人不同意调解，调解不予进行。您可以通过仲裁、行政或诉讼途径解决纠纷。"),
    "no_answer": _("被申请人未在期限内答复是否同意调解，视为不同意。"),
    "withdrawn": _("申请人撤回了调解申请。"),
    # Mediation failed: why (a FailureReason, in ``reason``) and where the parties go next.
    "failed": _("%(reason)s。您可以通过仲裁、行政处理或诉讼途径解决纠纷。"),
    "failed_court_delegated": _("%(reason)s。调解材料将移送委派法院，当事人坚持起诉的，由法院登记立案。"),
    "failed_court_entrusted": _("%(reason)s。案件将退回法院恢复审理。"),
}
RECUSAL_NOTES = {
    "replaced": _("准予回避，更换调解员为 %(replacement)s。当事人不接受更换后的调解员的，视为拒绝调解。"),
}
EXTENSIONS = {
    "refused": _("当事人不同意延长调解期限"),
    "extended": _("调解期限已延长"),
}
OVERDUE_STEPS = {
    "acceptance": _("决定是否受理"),
    "consent": _("征询被申请人"),
    "appointment": _("指定调解员"),
    "confirmation": _("调解员确认接受"),
    "confirmation_court": _("法院对司法确认的受理或决定"),
}
# A court step is the case's new status or the judicial confirmation's, whose codes overlap: prefixed.
COURT_STEPS = {
    **{f"case:{value}": label for value, label in CaseStatus.choices},
    **{f"confirmation:{value}": label for value, label in ConfirmationStatus.choices},
    "confirmation:requested": _("已申请司法确认"),
}

CASE_RECEIVED = register(
    Kind(
        "mediation.case_received",
        label=_("调解申请待受理"),
        title=_("调解案件 %(number)s 待受理"),
        body=_("来源：%(source)s。请在 %(due)s 前决定是否受理。"),
        coded={"source": Source},
        essential=True,
    )
)
CASE_DECIDED = register(
    Kind(
        "mediation.case_decided",
        label=_("调解申请受理结果"),
        title=_("调解案件 %(number)s：%(decision)s"),
        body=_("%(note)s"),
        essential=True,
        coded={"decision": DECISIONS, "note": DECISION_NOTES},
        written=frozenset({"note"}),
    )
)
CONSENT_ASKED = register(
    Kind(
        "mediation.consent_asked",
        label=_("征询是否同意调解"),
        title=_("%(applicant)s 申请与您调解（%(number)s）"),
        body=_("请在 %(due)s 前答复是否同意调解；逾期未答复视为不同意，调解终止。调解自愿、免费。"),
        essential=True,
    )
)
CHOOSE_MEDIATOR = register(
    Kind(
        "mediation.choose_mediator",
        label=_("选定调解员"),
        title=_("调解案件 %(number)s：请选定调解员"),
        body=_("双方可在 %(due)s 前共同选定调解员；未能共同选定的，由调解组织指定。"),
        essential=True,
    )
)
MEDIATOR_ASSIGNED = register(
    Kind(
        "mediation.mediator_assigned",
        label=_("调解员指派"),
        title=_("调解案件 %(number)s 已指定调解员 %(mediator)s"),
        body=_("调解员应在 %(due)s 前确认接受并签收案件；调解期限自签收之日起计算。"),
        essential=True,
    )
)
MEDIATION_STARTED = register(
    Kind(
        "mediation.started",
        label=_("调解开始"),
        title=_("调解案件 %(number)s 开始调解"),
        body=_("调解员 %(mediator)s 已签收案件，调解期限至 %(due)s。您有权申请调解员回避、拒绝或终止调解。"),
        essential=True,
    )
)
RECUSAL_REQUESTED = register(
    Kind(
        "mediation.recusal_requested",
        label=_("回避申请"),
        title=_("调解案件 %(number)s 收到回避申请"),
        body=_("申请调解员 %(mediator)s 回避，事由：%(ground)s。请作出决定。"),
        coded={"ground": ConflictGround},
        essential=True,
    )
)
RECUSAL_DECIDED = register(
    Kind(
        "mediation.recusal_decided",
        label=_("回避决定"),
        title=_("调解案件 %(number)s 回避申请：%(decision)s"),
        body=_("%(note)s"),
        essential=True,
        coded={"decision": RecusalStatus, "note": RECUSAL_NOTES},
        written=frozenset({"note"}),
    )
)
EXTENSION_ASKED = register(
    Kind(
        "mediation.extension_asked",
        label=_("征求延长调解期限的同意"),
        title=_("调解案件 %(number)s 拟延长调解期限 %(days)s 日"),
        body=_("理由：%(reason)s。只有全部当事人同意才能延长；期限 %(due)s 届满未延长的，调解终止。"),
        essential=True,
    )
)
EXTENSION_DECIDED = register(
    Kind(
        "mediation.extension_decided",
        label=_("延长调解期限结果"),
        title=_("调解案件 %(number)s：%(decision)s"),
        body=_("调解期限至 %(due)s。"),
        coded={"decision": EXTENSIONS},
    )
)
AGREEMENT_TO_SIGN = register(
    Kind(
        "mediation.agreement_to_sign",
        label=_("调解协议待签名"),
        title=_("调解协议 %(number)s（第 %(version)s 版）待您签名"),
        body=_("请阅读协议全文后在平台上签名；协议摘要 %(digest)s。"),
        essential=True,
    )
)
SIGNATURES_DROPPED = register(
    Kind(
        "mediation.signatures_dropped",
        label=_("调解协议修改，签名失效"),
        title=_("调解协议 %(number)s 已修改，此前的签名全部失效"),
        body=_("协议已改为第 %(version)s 版（摘要 %(digest)s）。请重新阅读并签名。"),
        essential=True,
    )
)
AGREEMENT_EFFECTIVE = register(
    Kind(
        "mediation.agreement_effective",
        label=_("调解协议生效"),
        title=_("调解协议 %(number)s 已生效"),
        body=_("各方均已签名。双方可在 %(due)s 前共同向法院申请司法确认；协议书（带电子签名的 PDF）可在案件页面下载。"),
        essential=True,
    )
)
CASE_ENDED = register(
    Kind(
        "mediation.case_ended",
        label=_("调解结束"),
        title=_("调解案件 %(number)s：%(outcome)s"),
        body=_("%(note)s"),
        essential=True,
        coded={"outcome": CaseStatus, "note": ENDINGS, "reason": FailureReason},
        written=frozenset({"note"}),
    )
)
OVERDUE = register(
    Kind(
        "mediation.overdue",
        label=_("调解事项逾期"),
        title=_("调解案件 %(number)s：%(step)s已逾期"),
        body=_("期限为 %(due)s。请尽快处理。"),
        essential=True,
        coded={"step": OVERDUE_STEPS},
    )
)
OBLIGATION_BREACHED = register(
    Kind(
        "mediation.obligation_breached",
        label=_("协议义务未按期履行"),
        title=_("调解协议 %(number)s 的义务未按期履行"),
        body=_("%(obligation)s，期限 %(due)s。经司法确认的协议可以申请强制执行。"),
        essential=True,
    )
)
COURT_STEP = register(
    Kind(
        "mediation.court_step",
        label=_("法院衔接"),
        title=_("调解案件 %(number)s：%(step)s"),
        body=_("%(note)s"),
        coded={"step": COURT_STEPS},
    )
)
CREDIT_REFERRAL = register(
    Kind(
        "mediation.credit_referral",
        label=_("调解确认侵权待录入信用记录"),
        title=_("调解案件 %(number)s 确认侵权，待录入信用记录"),
        body=_("被申请人：%(respondent)s，行为：%(behaviour)s。"),
    )
)
