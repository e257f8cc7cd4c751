"""What licensing tells people: a contract to sign, signatures dropped by a change, a contract filed, a royalty
report and a payment, a report or payment overdue, a minimum guarantee short, a licence asked for, a trade
matched, a deposit to be returned and returned, a sub-licence offer closed with its licence, a licence terminated
by the other side, and a proposal to end a licence by mutual agreement made, agreed to, declined, withdrawn or
lapsed (one kind per cause of the lapse, so each reader is told why in their own language)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

from .models import ContractKind

TO_SIGN = register(
    Kind(
        "licensing.to_sign",
        label=_("待签署的合同"),
        title=_("合同 %(number)s 等待您签署"),
        body=_("作品《%(title)s》的%(kind)s，请核对条款和合同哈希后签署。"),
        coded={"kind": ContractKind},
    )
)
SIGNATURES_DROPPED = register(
    Kind(
        "licensing.signatures_dropped",
        label=_("合同条款变更"),
        title=_("合同 %(number)s 的条款已变更，原签署失效"),
        body=_("合同已更新为第 %(version)s 版，请重新核对并签署。"),
    )
)
FILED = register(
    Kind(
        "licensing.filed",
        label=_("合同已备案"),
        title=_("合同 %(number)s 已备案"),
        body=_("各方已签署，合同已作为著作权合同备案 %(filing)s 记入公开日志。"),
    )
)
ROYALTY_REPORTED = register(
    Kind(
        "licensing.royalty_reported",
        label=_("许可使用费报告"),
        title=_("合同 %(number)s 报送了 %(start)s 至 %(end)s 的许可使用费"),
        body=_("应付 %(amount)s 元，付款期限 %(due)s。"),
    )
)
PAYMENT_RECORDED = register(
    Kind(
        "licensing.payment_recorded",
        label=_("付款记录"),
        title=_("合同 %(number)s 记录了一笔付款"),
        body=_("金额 %(amount)s 元，付款日期 %(date)s。"),
    )
)
REPORT_OVERDUE = register(
    Kind(
        "licensing.report_overdue",
        label=_("许可使用费报告逾期"),
        title=_("合同 %(number)s 的许可使用费报告已逾期"),
        body=_("%(start)s 至 %(end)s 的销售报告应在 %(due)s 前报送。"),
        essential=True,
    )
)
PAYMENT_OVERDUE = register(
    Kind(
        "licensing.payment_overdue",
        label=_("许可使用费逾期未付"),
        title=_("合同 %(number)s 的许可使用费逾期未付"),
        body=_("%(start)s 至 %(end)s 的许可使用费尚欠 %(amount)s 元，付款期限为 %(due)s。"),
        essential=True,
    )
)
TRADE_MATCHED = register(
    Kind(
        "licensing.trade_matched",
        label=_("挂牌成交"),
        title=_("挂牌 %(listing)s 已成交"),
        body=_("成交价 %(price)s 元。请签署转让合同 %(number)s，签署后备案交割。"),
    )
)
DEPOSIT_TO_RETURN = register(
    Kind(
        "licensing.deposit_to_return",
        label=_("竞买保证金退还"),
        title=_("挂牌 %(listing)s 的竞买保证金待退还"),
        body=_("您未竞得该标的（或挂牌已撤销），交纳的 %(amount)s 元保证金应予退还。"),
    )
)
DEPOSIT_RETURNED = register(
    Kind(
        "licensing.deposit_returned",
        label=_("竞买保证金已退还"),
        title=_("挂牌 %(listing)s 的竞买保证金已退还"),
        body=_("%(amount)s 元保证金已于 %(date)s 退还，退款凭证号 %(reference)s。"),
    )
)
SUBLICENCE_OFFER_CLOSED = register(
    Kind(
        "licensing.sublicence_offer_closed",
        label=_("转许可要约已关闭"),
        title=_("《%(title)s》的转许可要约已关闭"),
        body=_("原许可合同 %(number)s 已到期或终止，依其发布的转许可要约已从许可目录撤下，不能再被申请。"),
    )
)
TERMINATED = register(
    Kind(
        "licensing.terminated",
        label=_("许可合同终止"),
        title=_("合同 %(number)s 已终止"),
        body=_("《%(title)s》的许可合同由 %(party)s 终止，终止日 %(date)s。说明：%(reason)s"),
        essential=True,  # the licence no longer covers any use after that day
    )
)
TERMINATION_PROPOSED = register(
    Kind(
        "licensing.termination_proposed",
        label=_("协商解除提议"),
        title=_("%(party)s 提议协商解除合同 %(number)s"),
        body=_(
            "%(party)s 提议《%(title)s》的许可合同自 %(date)s 终止。说明：%(reason)s "
            "请在合同页面同意或拒绝；您同意之前，合同继续有效。"
        ),
        essential=True,  # the other side must answer: agreeing ends the licence
    )
)
TERMINATION_AGREED = register(
    Kind(
        "licensing.termination_agreed",
        label=_("协商解除已达成"),
        title=_("合同 %(number)s 已协商一致解除"),
        body=_("%(party)s 同意了您的解除提议，《%(title)s》的许可合同于 %(date)s 终止，此后不再许可使用。"),
        essential=True,  # the licence no longer covers any use after that day
    )
)
TERMINATION_DECLINED = register(
    Kind(
        "licensing.termination_declined",
        label=_("解除提议被拒绝"),
        title=_("%(party)s 拒绝了解除合同 %(number)s 的提议"),
        body=_("自 %(date)s 解除《%(title)s》许可合同的提议未获同意，合同继续有效。对方说明：%(answer)s"),
    )
)
TERMINATION_WITHDRAWN = register(
    Kind(
        "licensing.termination_withdrawn",
        label=_("解除提议已撤回"),
        title=_("%(party)s 撤回了解除合同 %(number)s 的提议"),
        body=_("自 %(date)s 解除《%(title)s》许可合同的提议已撤回，无需再答复，合同继续有效。"),
    )
)
# A proposal lapses when the licence ends without the agreement; both sides are told why, so the one asked to
# answer knows it need not and the proposer knows the licence did not end on the day it proposed.
TERMINATION_LAPSED_TERMINATED = register(
    Kind(
        "licensing.termination_lapsed_terminated",
        label=_("解除提议失效（合同已另行终止）"),
        title=_("解除合同 %(number)s 的提议已失效"),
        body=_(
            "%(party)s 已以其他事由终止《%(title)s》的许可合同，终止日 %(terminated)s；"
            "%(proposer)s 提出的自 %(date)s 协商解除的提议随之失效，无需再答复。"
        ),
    )
)
TERMINATION_LAPSED_PARENT = register(
    Kind(
        "licensing.termination_lapsed_parent",
        label=_("解除提议失效（原许可已终止）"),
        title=_("解除合同 %(number)s 的提议已失效"),
        body=_(
            "《%(title)s》的原许可合同 %(parent)s 已终止，转许可合同 %(number)s 于 %(terminated)s 随之终止；"
            "%(proposer)s 提出的自 %(date)s 协商解除的提议随之失效，无需再答复。"
        ),
    )
)
TERMINATION_LAPSED_EXPIRED = register(
    Kind(
        "licensing.termination_lapsed_expired",
        label=_("解除提议失效（合同已期满）"),
        title=_("解除合同 %(number)s 的提议已失效"),
        body=_(
            "《%(title)s》的许可合同已于 %(until)s 期满，未经协商解除；"
            "%(proposer)s 提出的自 %(date)s 协商解除的提议随之失效，无需再答复。"
        ),
    )
)
SUBLICENCE_TERMINATED = register(
    Kind(
        "licensing.sublicence_terminated",
        label=_("转许可随原许可终止"),
        title=_("转许可合同 %(number)s 已随原许可终止"),
        body=_(
            "《%(title)s》的原许可合同 %(parent)s 于 %(date)s 终止，依其授予的转许可合同 %(number)s 同日终止，"
            "此后不再许可使用。"
        ),
        essential=True,  # the sub-licence no longer covers any use after that day
    )
)
SUBLICENCE_CANCELLED = register(
    Kind(
        "licensing.sublicence_cancelled",
        label=_("待签转许可已取消"),
        title=_("待签署的转许可合同 %(number)s 已取消"),
        body=_(
            "《%(title)s》的原许可合同 %(parent)s 于 %(date)s 终止，依其拟订的转许可合同 %(number)s 不能再签署，"
            "已取消。"
        ),
    )
)
GUARANTEE_SHORTFALL = register(
    Kind(
        "licensing.guarantee_shortfall",
        label=_("保底差额"),
        title=_("合同 %(number)s 的提成低于保底，差额 %(amount)s 元应付"),
        body=_("%(start)s 至 %(end)s 的提成未达到保底金额，差额计入应付，付款期限 %(due)s。"),
    )
)
