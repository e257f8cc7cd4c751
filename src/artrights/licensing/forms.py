"""The licensing pages' forms: they only shape the input; every rule is checked by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from artrights.registry.models import ECONOMIC_RIGHTS, WORK_TYPES, Right

from .models import ContractKind, Exclusivity, RoyaltyModel, TerminationGround, Territory, TradingMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RIGHT_CHOICES = [(value, label) for value, label in Right.choices if value in ECONOMIC_RIGHTS]


def _money(label: Any, *, required: bool = True, initial: Any = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, initial=initial, max_digits=14, decimal_places=2, min_value=Decimal(0)
    )


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def terms_of(data: dict[str, Any]) -> dict[str, Any]:
    """A form's terms as the services name them (the form calls ``media`` ``channels``: forms have a ``media``)."""
    terms = dict(data)
    if "channels" in terms:
        terms["media"] = terms.pop("channels")
    return terms


def _rights(label: Any = _("权利种类（著作权法第十条）")) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=RIGHT_CHOICES, widget=forms.CheckboxSelectMultiple)


class CatalogueForm(forms.Form):
    q = forms.CharField(label=_("作品名称或登记号"), max_length=100, required=False)
    work_type = forms.ChoiceField(label=_("作品类别"), choices=[("", _("全部")), *WORK_TYPES], required=False)
    right = forms.ChoiceField(label=_("权利"), choices=[("", _("全部")), *RIGHT_CHOICES], required=False)
    max_price = _money(_("最高价格（元）"), required=False)


class TermsForm(forms.Form):
    rights = _rights()
    exclusivity = forms.ChoiceField(label=_("许可方式"), choices=Exclusivity.choices, initial=Exclusivity.NON_EXCLUSIVE)
    territory = forms.ChoiceField(label=_("地域范围"), choices=Territory.choices)
    channels = forms.CharField(label=_("使用媒介与渠道"), max_length=200, required=False)
    sublicensable = forms.BooleanField(label=_("可转许可"), required=False)
    royalty_model = forms.ChoiceField(label=_("付费方式"), choices=RoyaltyModel.choices)
    price = _money(_("总价/保底/预付金额（元）"), initial=0)
    royalty_rate = forms.DecimalField(
        label=_("提成比例（%）"),
        initial=0,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    unit_fee = _money(_("每件报酬（元）"), initial=0)
    reporting_months = forms.IntegerField(label=_("报告周期（月）"), initial=3, min_value=1, max_value=12)


class OfferForm(TermsForm):
    work = forms.ChoiceField(label=_("作品"))
    kind = forms.ChoiceField(label=_("类型"), choices=ContractKind.choices)
    term_months = forms.IntegerField(label=_("许可期限（月）"), initial=12, min_value=1, max_value=600)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["work", "kind"]

    def __init__(self, *args: Any, works: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "work", [(w.pk, f"{w.number} {w.title}") for w in works])


class RequestForm(forms.Form):
    valid_from = forms.DateField(label=_("许可起始日期"), widget=DATE)
    industry = forms.CharField(label=_("所属行业"), max_length=60, required=False)


class AmendForm(TermsForm):
    valid_from = forms.DateField(label=_("起始日期"), widget=DATE)
    valid_until = forms.DateField(label=_("终止日期"), widget=DATE, required=False)


class RoyaltyReportForm(forms.Form):
    period_start = forms.ChoiceField(label=_("报告期间"))
    revenue = _money(_("净销售额（元）"), initial=0)
    units = forms.IntegerField(label=_("销售件数"), initial=0, min_value=0)

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "period_start",
            [(p.start.isoformat(), f"{p.start.isoformat()} — {p.end.isoformat()}") for p in periods],
        )


class PaymentForm(forms.Form):
    report = forms.ChoiceField(label=_("对应的报告"), required=False)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=_("付款日期"), widget=DATE)
    reference = forms.CharField(label=_("付款凭证号"), max_length=60, required=False)

    def __init__(self, *args: Any, reports: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "report", [("", _("总价/预付金/保底")), *[(r.pk, str(r)) for r in reports]])


class ListingForm(forms.Form):
    work = forms.ChoiceField(label=_("作品"))
    rights = _rights(_("转让的权利"))
    territory = forms.ChoiceField(label=_("地域范围"), choices=Territory.choices, initial=Territory.WORLDWIDE)
    method = forms.ChoiceField(label=_("交易方式"), choices=TradingMethod.choices)
    price = forms.DecimalField(
        label=_("挂牌价/起拍价（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    disclosure_until = forms.DateField(
        label=_("信息披露期至"),
        widget=DATE,
        required=False,
        help_text=_("不少于 20 个工作日；留空则按最短期限。披露期满前不能成交或竞价。"),
    )
    bidding_ends_at = forms.DateTimeField(
        label=_("竞价截止时间（拍卖）"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
        help_text=_("须在信息披露期满之后。"),
    )
    deposit = _money(_("竞买保证金（元，拍卖）"), required=False, initial=0)
    increment = _money(_("加价幅度（元，拍卖）"), required=False, initial=0)

    def __init__(self, *args: Any, works: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "work", [(w.pk, f"{w.number} {w.title}") for w in works])


class DepositForm(forms.Form):
    paid_on = forms.DateField(label=_("交纳日期"), widget=DATE)
    reference = forms.CharField(label=_("付款凭证号"), max_length=60)


class DepositReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("退还日期"), widget=DATE)
    reference = forms.CharField(label=_("退款凭证号（银行流水号或收据号）"), max_length=60)


class TerminationForm(forms.Form):
    """Ending a licence alone, on a ground that gives one side that right (mutual agreement is ProposalForm)."""

    on_date = forms.DateField(label=_("终止日"), widget=DATE)
    ground = forms.ChoiceField(
        label=_("终止事由"),
        choices=[
            c
            for c in TerminationGround.choices
            if c[0] not in (TerminationGround.PARENT_TERMINATED, TerminationGround.MUTUAL)
        ],
    )
    reason = forms.CharField(
        label=_("终止理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如对方违约的事实、不可抗力的情况；对方当事人将收到通知。"),
    )


class ProposalForm(forms.Form):
    """A proposal to end a licence by mutual agreement: the day and why; the other side agrees or declines."""

    on_date = forms.DateField(label=_("提议的终止日"), widget=DATE)
    reason = forms.CharField(
        label=_("解除说明"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如双方商定的解除条件、费用的结算；对方当事人将收到通知并在合同页面答复。"),
    )


class DeclineForm(forms.Form):
    answer = forms.CharField(
        label=_("拒绝的说明（可选）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SublicenceOfferForm(TermsForm):
    """A licensee's offer to sub-license under its licence: the same terms an offer has, for a term in months."""

    term_months = forms.IntegerField(label=_("许可期限（月）"), initial=6, min_value=1, max_value=600)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BidForm(forms.Form):
    amount = forms.DecimalField(label=_("出价（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class FinancingForm(forms.Form):
    pledge = forms.ChoiceField(label=_("质权登记"))
    contracts = forms.MultipleChoiceField(
        label=_("担保的许可收入（已备案的许可合同）"), widget=forms.CheckboxSelectMultiple
    )
    lender = forms.CharField(label=_("贷款人"), max_length=100)
    loan_amount = forms.DecimalField(
        label=_("贷款金额（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args: Any, pledges: list[Any], contracts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "pledge", [(p.pk, p.number) for p in pledges])
        _choices(self, "contracts", [(c.pk, f"{c.number} {c.work.title} · {c.licensee.name}") for c in contracts])
