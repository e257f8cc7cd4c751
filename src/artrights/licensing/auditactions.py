"""What the named actions licensing records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "licensing.create_offer": pgettext_lazy("audit action", "发布授权要约"),
        "licensing.withdraw_offer": pgettext_lazy("audit action", "撤回授权要约"),
        "licensing.close_offer": pgettext_lazy("audit action", "关闭转许可要约"),
        "licensing.create_contract": pgettext_lazy("audit action", "起草合同"),
        "licensing.amend": pgettext_lazy("audit action", "修改合同条款"),
        "licensing.sign": pgettext_lazy("audit action", "签署合同"),
        "licensing.cancel": pgettext_lazy("audit action", "取消合同"),
        "licensing.file_contract": pgettext_lazy("audit action", "备案合同"),
        "licensing.settle_trade": pgettext_lazy("audit action", "完成交易结算"),
        "licensing.create_listing": pgettext_lazy("audit action", "挂牌转让"),
        "licensing.withdraw_listing": pgettext_lazy("audit action", "撤回挂牌"),
        "licensing.register_deposit": pgettext_lazy("audit action", "登记竞买保证金"),
        "licensing.bid": pgettext_lazy("audit action", "出价竞买"),
        "licensing.match": pgettext_lazy("audit action", "交易成交"),
        "licensing.lapse_auction": pgettext_lazy("audit action", "拍卖流拍"),
        "licensing.return_deposit": pgettext_lazy("audit action", "退还保证金"),
        "licensing.report_royalty": pgettext_lazy("audit action", "报告许可使用费"),
        "licensing.record_payment": pgettext_lazy("audit action", "登记付款"),
        "licensing.link_financing": pgettext_lazy("audit action", "关联质押融资与许可"),
        "licensing.propose_termination": pgettext_lazy("audit action", "提议协商解除许可"),
        "licensing.agree_termination": pgettext_lazy("audit action", "同意协商解除"),
        "licensing.decline_termination": pgettext_lazy("audit action", "拒绝协商解除"),
        "licensing.withdraw_termination": pgettext_lazy("audit action", "撤回协商解除提议"),
        "licensing.lapse_termination_proposal": pgettext_lazy("audit action", "协商解除提议失效"),
        "licensing.terminate": pgettext_lazy("audit action", "终止许可合同"),
    }
)
