"""The inspection pages' forms: they only shape the input; every rule is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.models import Role

from .models import EntityClass, InspectionItem, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _words(text: str) -> list[str]:
    return [w for w in text.replace("，", ",").split(",") if w.strip()]


class PlanForm(forms.Form):
    name = forms.CharField(label=_("计划名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    dept = forms.CharField(label=_("实施部门"), max_length=200)
    items = forms.ModelMultipleChoiceField(
        label=_("抽查事项"), queryset=InspectionItem.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    sector = forms.CharField(label=_("定向：行业（逗号分隔，空为不限）"), required=False, max_length=200)
    region = forms.CharField(label=_("定向：行政区划码（逗号分隔，空为不限）"), required=False, max_length=200)
    entity_type = forms.MultipleChoiceField(
        label=_("定向：对象类型（不选为不限）"),
        choices=EntityClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ratio_lines = forms.CharField(
        label=_(
            "调整分层比例（每行“分层 = 比例”，如 general/B/2 = 0.25；"
            "其余按默认：A 5%、B 20%、C 60%、D 100%，重点库 100%）"
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recent_window_days = forms.IntegerField(label=_("近期检查窗口（日）"), min_value=1, max_value=3650, initial=365)
    recent_weight = forms.IntegerField(
        label=_("近期检查过的对象被抽中的权重（‰，1000 为不降低）"), min_value=1, max_value=1000, initial=500
    )
    inspectors_per_target = forms.IntegerField(
        label=_("每个对象的检查人员数（至少 2 名）"), min_value=2, max_value=10, initial=2
    )
    specialty = forms.CharField(label=_("要求的专业领域（空为不限）"), required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def directed(self) -> dict[str, list[str]]:
        d = self.cleaned_data
        return {"sector": _words(d["sector"]), "region": _words(d["region"]), "type": list(d["entity_type"])}


class CommitForm(forms.Form):
    reason = forms.CharField(label=_("重新抽取的理由（重新抽取时必填，写入公开日志）"), required=False, max_length=500)
    keep_secret = forms.BooleanField(label=_("随机秘密由我保管（平台只保存承诺值，抽取时须输入秘密）"), required=False)


class DrawForm(forms.Form):
    public_value = forms.CharField(
        label=_("公开随机值（空：使用承诺之后签发的公开日志检查点）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    public_source = forms.CharField(label=_("公开随机值来源"), required=False, max_length=300)
    secret = forms.CharField(label=_("随机秘密（由您保管时填写）"), required=False, max_length=64)


class InspectorForm(forms.Form):
    account = forms.ModelChoiceField(label=_("执法检查人员账户"), queryset=get_user_model()._default_manager.none())
    dept = forms.CharField(label=_("所在部门"), max_length=200)
    qualification = forms.CharField(label=_("执法证号（无证的人员不会被抽取）"), required=False, max_length=40)
    specialties = forms.CharField(label=_("专业领域（逗号分隔）"), required=False, max_length=200)
    region = forms.CharField(label=_("行政区划码"), required=False, max_length=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model()._default_manager.filter(role=Role.INSPECTOR, is_active=True, inspector_entry=None)
        self.fields["account"].queryset = users  # type: ignore[attr-defined]

    def specialty_list(self) -> list[str]:
        return _words(self.cleaned_data["specialties"])


class ConflictForm(forms.Form):
    code = forms.CharField(label=_("主体的统一社会信用代码或身份证号码"), max_length=18)
    reason = forms.CharField(label=_("利害关系（如：近亲属在该企业任职）"), max_length=300)


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("回避理由"), max_length=300)


class ResultForm(forms.Form):
    check_date = forms.DateField(label=_("检查日期"), widget=DATE)
    outcome = forms.ChoiceField(label=_("检查结果"), choices=Outcome.choices)
    findings = forms.CharField(label=_("检查情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("后续处置"), required=False, max_length=300)


class ReviewForm(forms.Form):
    opinion = forms.CharField(label=_("审核意见（退回时必填）"), required=False, max_length=500)
    penalty_decision_no = forms.CharField(
        label=_("行政处罚决定书文号（立案查处且已作出处罚时填写，公示时录入信用记录）"), required=False, max_length=100
    )
    penalty_dept = forms.CharField(label=_("作出处罚的部门"), required=False, max_length=200)
