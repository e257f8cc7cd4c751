"""The fund's forms: they only shape the input; every rule is checked by the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AmountRule, Application, Programme, RefusalGround
from .selectors import Candidate, offered_kinds

# A browser's date picker takes and gives ISO dates, whatever the page's language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: Any, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=12, decimal_places=2, **kwargs)


class ProgrammeForm(forms.Form):
    code = forms.CharField(label=_("项目编号"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    name_en = forms.CharField(label=_("英文名称"), max_length=300, required=False)
    item_kinds = forms.MultipleChoiceField(label=_("资助对象"), widget=forms.CheckboxSelectMultiple)
    amount_rule = forms.ChoiceField(label=_("资助标准"), choices=AmountRule.choices)
    amount = _money(_("每件金额（元）；按比例资助时为每件最高金额，0 为不限"), initial=0)
    class_amounts = forms.CharField(
        label=_("各类作品金额（按类别定额时填写，每行一个，如 FINE_ART=3000）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fee_share_percent = forms.IntegerField(label=_("资助比例（%）"), min_value=0, max_value=100, initial=0)
    cap_per_applicant_year = _money(_("每个申请人每年上限（元）"))
    budget = _money(_("项目预算（元）"))
    local_only = forms.BooleanField(label=_("限本市登记的申请人"), required=False, initial=True)
    region_code = forms.CharField(label=_("本市行政区划码前缀"), max_length=6, initial="4403")
    city_name = forms.CharField(label=_("本市名称"), max_length=40, initial="深圳")
    registered_from = forms.DateField(label=_("登记日期起"), required=False, widget=DATE)
    registered_until = forms.DateField(label=_("登记日期止"), required=False, widget=DATE)
    opens_on = forms.DateField(label=_("申报开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("申报截止日期"), widget=DATE)
    required_documents = forms.CharField(
        label=_("须提交的材料（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_days = forms.IntegerField(label=_("审核期限（工作日）"), min_value=1, max_value=60, initial=20)

    def __init__(self, *args: Any, programme: Programme | None = None, **kwargs: Any) -> None:
        if programme is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{
                    f: getattr(programme, f)
                    for f in self.base_fields
                    if f not in ("class_amounts", "required_documents")
                },
                "class_amounts": "\n".join(f"{k}={v}" for k, v in programme.class_amounts.items()),
                "required_documents": "\n".join(programme.required_documents),
            }
        super().__init__(*args, **kwargs)
        field = self.fields["item_kinds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = offered_kinds()
        if programme is not None:
            self.fields["code"].disabled = True

    def clean_class_amounts(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for line in str(self.cleaned_data.get("class_amounts") or "").splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise forms.ValidationError(_("每行写成“类别=金额”，如 FINE_ART=3000。"))
            found[key.strip().upper()] = value.strip()
        return found

    def clean_required_documents(self) -> list[str]:
        text = str(self.cleaned_data.get("required_documents") or "")
        return [line.strip() for line in text.splitlines() if line.strip()]


class ApplyForm(forms.Form):
    """The items the platform's records offer (ticked), the fee of each when the programme pays a share of it, a
    training event, and one file per required document."""

    event_title = forms.CharField(label=_("培训宣传活动名称"), max_length=150, required=False)
    event_date = forms.DateField(label=_("活动日期"), required=False, widget=DATE)
    event_fee = _money(_("活动费用（元）"), required=False)

    def __init__(self, *args: Any, programme: Programme, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.candidates = candidates
        self.fields["items"] = forms.MultipleChoiceField(
            label=_("申请资助的事项"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(c.key, f"{c.kind_label} {c.reference}《{c.title}》 {c.dated:%Y-%m-%d}") for c in candidates],
        )
        if programme.amount_rule == AmountRule.FEE_SHARE:
            for n, candidate in enumerate(candidates):
                self.fields[f"fee_{n}"] = _money(
                    _("%(item)s 已缴费用（元）") % {"item": candidate.reference}, required=False
                )
        if not programme.covers("training_event"):
            for name in ("event_title", "event_date", "event_fee"):
                del self.fields[name]
        for n, name in enumerate(programme.required_documents):
            self.fields[f"doc_{n}"] = forms.FileField(label=name, required=False)
        self.order_fields(["items"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("event_title")) != bool(data.get("event_date")):
            raise forms.ValidationError(_("申请资助培训宣传活动的，请同时填写活动名称和活动日期。"))
        return data

    def fees(self) -> dict[str, Any]:
        return {
            c.key: self.cleaned_data.get(f"fee_{n}")
            for n, c in enumerate(self.candidates)
            if self.cleaned_data.get(f"fee_{n}") is not None
        }

    def documents(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(f"doc_{n}")
            for n, name in enumerate(self.programme.required_documents)
            if self.cleaned_data.get(f"doc_{n}") is not None
        }


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见（部分资助时必填）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(application.items.all())
        for item in self.items:
            self.fields[f"amount_{item.pk}"] = _money(
                _("%(item)s 核定金额（元，申请 %(claimed)s）") % {"item": item.reference, "claimed": item.claimed},
                initial=item.claimed,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("%(item)s 核定说明") % {"item": item.reference}, required=False, max_length=300
            )
        self.order_fields([name for i in self.items for name in (f"amount_{i.pk}", f"note_{i.pk}")] + ["note"])

    def amounts(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data[f"amount_{i.pk}"] for i in self.items}

    def notes(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"note_{i.pk}") or "" for i in self.items}


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("不予资助理由"), choices=RefusalGround.choices)
    note = forms.CharField(
        label=_("审核意见（以信用理由不予资助时，平台写明名单和措施）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PayForm(forms.Form):
    amount = _money(_("拨付金额（元）"))
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE)
    voucher_no = forms.CharField(label=_("凭证号"), max_length=60)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"amount": application.approved_total, "paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("拨付日期起"), widget=DATE)
    end = forms.DateField(label=_("拨付日期止"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise forms.ValidationError(_("截止日期不能早于起始日期。"))
        return data
