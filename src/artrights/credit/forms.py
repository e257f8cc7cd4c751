"""The credit pages' forms: they only shape the input; every rule is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    IN_FORCE,
    Behaviour,
    CreditRecord,
    CreditSubject,
    Disclosure,
    EvidenceSource,
    ExitReason,
    Indicator,
    ListEntry,
    ListType,
    Measure,
    MeasureAction,
    MeasureDomain,
    ObjectionGround,
    ObjectionOutcome,
    PrincipalRole,
    Severity,
    ShareScope,
    SubjectType,
)

# A browser's date picker takes and gives ISO dates, whatever the page's language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT = [("", _("按目录默认"))]


def _text(label: Any, rows: int = 3, required: bool = True, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class QueryForm(forms.Form):
    q = forms.CharField(label=_("名称或统一社会信用代码"), max_length=100, required=False)


class SubjectForm(forms.Form):
    subject_type = forms.ChoiceField(label=_("主体类型"), choices=SubjectType.choices)
    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)
    name = forms.CharField(label=_("名称/姓名"), max_length=200)
    legal_rep = forms.CharField(label=_("法定代表人"), max_length=100, required=False)
    is_agency = forms.BooleanField(label=_("代理机构（参加信用评价）"), required=False)
    principal_role = forms.ChoiceField(
        label=_("主要负责人身份"), choices=[("", "—"), *PrincipalRole.choices], required=False
    )
    principal_name = forms.CharField(label=_("主要负责人姓名"), max_length=100, required=False)
    principal_id = forms.CharField(label=_("主要负责人身份证号码"), max_length=30, required=False)


class RecordForm(forms.Form):
    behaviour = forms.ModelChoiceField(label=_("失信行为"), queryset=Behaviour.objects.filter(active=True))
    severity = forms.ChoiceField(label=_("严重程度"), choices=DEFAULT + list(Severity.choices), required=False)
    source_dept = forms.CharField(label=_("认定部门"), max_length=200)
    decision_no = forms.CharField(label=_("决定文书号"), max_length=100)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    facts = _text(_("主要事实"), required=False)
    disclosure = forms.ChoiceField(label=_("公开属性"), choices=DEFAULT + list(Disclosure.choices), required=False)
    share_scope = forms.ChoiceField(label=_("共享范围"), choices=DEFAULT + list(ShareScope.choices), required=False)
    publish = forms.BooleanField(label=_("录入后立即公示（写入公开日志，不能撤回）"), required=False, initial=True)


class ProposeForm(forms.Form):
    list_type = forms.ChoiceField(label=_("名单"), choices=ListType.choices)
    records = forms.ModelMultipleChoiceField(
        label=_("列入依据的记录"), queryset=CreditRecord.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    basis = _text(_("列入理由"))
    decision_no = forms.CharField(label=_("列入决定文书号"), max_length=100)

    def __init__(self, *args: Any, subject: CreditSubject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        records = subject.records.filter(status__in=IN_FORCE).select_related("behaviour")
        self.fields["records"].queryset = records  # type: ignore[attr-defined]
        self.fields["records"].label_from_instance = lambda r: f"{r.number} {r.behaviour.label}"  # type: ignore[attr-defined]


class DecideListingForm(forms.Form):
    list_it = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("列入名单")), ("0", _("不予列入"))],
        coerce=lambda v: v == "1",
    )
    waived = forms.BooleanField(label=_("当事人已书面放弃陈述申辩（在说明中写明）"), required=False)
    note = _text(_("说明（不予列入或当事人放弃陈述申辩时必填）"), rows=2, required=False)


class ExtendListingForm(forms.Form):
    record = forms.ModelChoiceField(label=_("名单期内再次发生的失信行为"), queryset=CreditRecord.objects.none())

    def __init__(self, *args: Any, entry: ListEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = entry.subject.records.filter(status__in=IN_FORCE).exclude(pk__in=entry.records.all())
        self.fields["record"].queryset = rows  # type: ignore[attr-defined]


class EscalateForm(forms.Form):
    source_dept = forms.CharField(label=_("认定部门"), max_length=200)
    decision_no = forms.CharField(label=_("认定决定文书号"), max_length=100)


class RemoveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("移出原因"),
        choices=[(c, label) for c, label in ExitReason.choices if c in ("set_aside", "obligation_met")],
    )
    note = _text(_("移出说明"), rows=2)


class NoteForm(forms.Form):
    note = _text(_("理由"), rows=2)


class ObjectionForm(forms.Form):
    ground = forms.ChoiceField(label=_("异议理由"), choices=ObjectionGround.choices)
    text = _text(_("异议内容（写明错误之处和依据）"), rows=4, max_length=4000)


class DecideObjectionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=ObjectionOutcome.choices)
    decision = _text(_("处理意见"), rows=3, max_length=4000)
    severity = forms.ChoiceField(label=_("更正：严重程度"), choices=[("", "—"), *Severity.choices], required=False)
    source_dept = forms.CharField(label=_("更正：认定部门"), max_length=200, required=False)
    decision_no = forms.CharField(label=_("更正：决定文书号"), max_length=100, required=False)
    facts = _text(_("更正：主要事实"), rows=2, required=False)

    def corrections(self) -> dict[str, str]:
        return {k: v for k in ("severity", "source_dept", "decision_no", "facts") if (v := self.cleaned_data.get(k))}


class RepairForm(forms.Form):
    measures_taken = _text(_("已采取的修复措施（信用承诺、整改、培训、信用报告等）"), rows=4, max_length=4000)


class DecideRepairForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("准予修复")), ("0", _("不予修复"))], coerce=lambda v: v == "1"
    )
    decision = _text(_("处理意见"), rows=3, max_length=4000)


class EvidenceForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("评价指标"),
        queryset=Indicator.objects.filter(active=True, evidence_source=EvidenceSource.MANUAL),
        to_field_name="code",
    )
    reference = forms.CharField(label=_("材料文号"), max_length=100)
    dated = forms.DateField(label=_("材料日期"), widget=DATE)
    note = _text(_("说明"), rows=2, required=False)


class PartnerQueryForm(forms.Form):
    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)
    purpose = forms.ChoiceField(label=_("查询用途"), choices=MeasureDomain.choices)
    authority = forms.CharField(label=_("查询依据（法律法规或备忘录条款）"), max_length=300)
    authorisation_ref = forms.CharField(label=_("授权文书号"), max_length=100)


class MeasureReportForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("措施"), queryset=Measure.objects.none(), to_field_name="code")
    action = forms.ChoiceField(label=_("情况"), choices=MeasureAction.choices)
    applied_on = forms.DateField(label=_("日期"), widget=DATE)
    note = _text(_("说明"), rows=2, required=False)

    def __init__(self, *args: Any, entry: ListEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = [m.code for m in Measure.objects.filter(active=True) if entry.list_type in m.list_types]
        self.fields["measure"].queryset = Measure.objects.filter(code__in=codes)  # type: ignore[attr-defined]
