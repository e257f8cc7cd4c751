"""Forms of the mediation pages: they shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from artrights.accounts.models import Organisation, OrganisationKind
from artrights.core.models import IdType, PartyKind
from artrights.core.services import PartyInput

from .models import (
    COURT_SOURCES,
    Capacity,
    ConflictGround,
    DisputeType,
    FailureReason,
    MediatorStatus,
    Procedure,
    SessionMode,
    Source,
    Specialty,
)
from .services import CaseInput

TEXT = forms.Textarea(attrs={"rows": 4})


class ApplyForm(forms.Form):
    """An application (a party) or a case entered by the organisation's staff (court, workstation, agency)."""

    organisation = forms.ModelChoiceField(
        label=_("调解组织"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.MEDIATION_ORG, is_active=True),
        required=False,
    )
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    summary = forms.CharField(label=_("纠纷概要"), widget=TEXT, max_length=4000)
    claim = forms.CharField(label=_("调解请求"), max_length=1000)
    amount = forms.CharField(label=_("请求金额（元，可不填）"), required=False, max_length=20)
    respondent_name = forms.CharField(label=_("被申请人名称/姓名"), max_length=200)
    respondent_kind = forms.ChoiceField(label=_("被申请人类型"), choices=PartyKind.choices)
    respondent_id_type = forms.ChoiceField(label=_("被申请人证件类型"), choices=IdType.choices)
    respondent_id_number = forms.CharField(label=_("被申请人证件号码"), max_length=64)
    online = forms.BooleanField(label=_("在线调解"), required=False, initial=True)
    work_ids = forms.CharField(label=_("涉及的登记作品（编号，逗号分隔）"), required=False, max_length=200)
    evidence_ids = forms.CharField(label=_("电子证据（编号，逗号分隔）"), required=False, max_length=200)
    match_report_ids = forms.CharField(label=_("比对报告（编号，逗号分隔）"), required=False, max_length=200)

    def ids(self, name: str) -> list[int]:
        raw = self.cleaned_data.get(name) or ""
        out = []
        for part in raw.replace("，", ",").split(","):
            part = part.strip().lstrip("#")
            if part:
                if not part.isdigit():
                    raise forms.ValidationError(_("编号只能是数字：%(value)s") % {"value": part})
                out.append(int(part))
        return out

    def applicants(self) -> list[PartyInput]:
        return []  # the signed-in party applies

    def case_input(self, source: str) -> CaseInput:
        """The case as the services take it (call after ``is_valid()``)."""
        d = self.cleaned_data
        respondent = PartyInput(
            name=d["respondent_name"],
            id_type=d["respondent_id_type"],
            id_number=d["respondent_id_number"],
            kind=d["respondent_kind"],
        )
        return CaseInput(
            source=source,
            dispute_type=d["dispute_type"],
            summary=d["summary"],
            respondents=[respondent],
            applicants=self.applicants(),
            claims=[(d["claim"], d["amount"])],
            online=d["online"],
            organisation_id=d["organisation"].pk if d.get("organisation") else None,
            court=d.get("court", ""),
            court_case_no=d.get("court_case_no", ""),
            procedure=d.get("procedure", ""),
            referring_body=d.get("referring_body", ""),
            work_ids=self.ids("work_ids"),
            evidence_ids=self.ids("evidence_ids"),
            match_report_ids=self.ids("match_report_ids"),
        )


class RegisterForm(ApplyForm):
    source = forms.ChoiceField(label=_("来源"), choices=[c for c in Source.choices if c[0] != Source.PARTY_APPLICATION])
    court = forms.CharField(label=_("法院"), required=False, max_length=200)
    court_case_no = forms.CharField(label=_("法院案号"), required=False, max_length=100)
    procedure = forms.ChoiceField(label=_("审理程序"), choices=[("", "—"), *Procedure.choices], required=False)
    referring_body = forms.CharField(label=_("转来单位"), required=False, max_length=200)
    applicant_name = forms.CharField(label=_("申请人名称/姓名"), max_length=200)
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=PartyKind.choices)
    applicant_id_type = forms.ChoiceField(label=_("申请人证件类型"), choices=IdType.choices)
    applicant_id_number = forms.CharField(label=_("申请人证件号码"), max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]
        # Who applies before whom they apply against, as on the paper form.
        self.order_fields(
            ["source", "court", "court_case_no", "procedure", "referring_body", "dispute_type", "summary"]
            + ["claim", "amount"]
            + [f"applicant_{part}" for part in ("name", "kind", "id_type", "id_number")]
        )

    def applicants(self) -> list[PartyInput]:
        d = self.cleaned_data
        return [
            PartyInput(
                name=d["applicant_name"],
                id_type=d["applicant_id_type"],
                id_number=d["applicant_id_number"],
                kind=d["applicant_kind"],
            )
        ]


class DelegateForm(RegisterForm):
    """A court's liaison staff send a case of their court to a mediation organisation: 委派 before filing, 委托
    after (the court is the liaison's own)."""

    organisation = forms.ModelChoiceField(
        label=_("调解组织"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.MEDIATION_ORG, is_active=True),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        forms.Form.__init__(self, *args, **kwargs)
        for name in ("court", "referring_body"):
            del self.fields[name]
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [c for c in Source.choices if c[0] in COURT_SOURCES]
        self.order_fields(
            ["source", "organisation", "court_case_no", "procedure", "dispute_type", "summary", "claim", "amount"]
            + [f"applicant_{part}" for part in ("name", "kind", "id_type", "id_number")]
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=TEXT, max_length=4000, required=False)


class AcceptForm(ReasonForm):
    accept = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("受理")), ("0", _("不予受理"))], coerce=lambda v: v == "1"
    )


class AnswerForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("是否同意调解"), choices=[("1", _("同意调解")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )


class MediatorChoiceForm(forms.Form):
    mediator = forms.IntegerField(label=_("调解员编号"), required=False, min_value=1)


class ConfirmForm(ReasonForm):
    accept = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("接受并签收案件")), ("0", _("不接受"))], coerce=lambda v: v == "1"
    )


class RecusalForm(forms.Form):
    ground = forms.ChoiceField(label=_("事由"), choices=ConflictGround.choices)
    reason = forms.CharField(label=_("理由"), widget=TEXT, max_length=2000)


class DecideRecusalForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("准予回避")), ("0", _("驳回"))], coerce=lambda v: v == "1"
    )
    decision = forms.CharField(label=_("决定理由"), widget=TEXT, max_length=2000)
    replacement = forms.IntegerField(label=_("更换的调解员编号（不填则抽取）"), required=False, min_value=1)


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    mode = forms.ChoiceField(label=_("方式"), choices=SessionMode.choices)
    place = forms.CharField(label=_("地点或会议链接"), required=False, max_length=300)
    minutes = forms.CharField(label=_("调解笔录"), widget=TEXT, max_length=20000)
    undisputed_facts = forms.CharField(label=_("无争议事实"), widget=TEXT, required=False, max_length=8000)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=90)
    reason = forms.CharField(label=_("理由"), max_length=1000)


class AgreementForm(forms.Form):
    facts = forms.CharField(label=_("主要事实和争议事项"), widget=TEXT, max_length=8000)
    terms = forms.CharField(label=_("协议内容"), widget=TEXT, max_length=8000)
    infringement_confirmed = forms.BooleanField(label=_("被申请人确认侵权"), required=False)
    payer = forms.IntegerField(label=_("履行人"), required=False)
    amount = forms.CharField(label=_("金额（元）"), required=False, max_length=20)
    act = forms.CharField(label=_("履行行为"), required=False, max_length=500)
    due = forms.DateField(label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SignForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    capacity = forms.ChoiceField(widget=forms.HiddenInput, choices=Capacity.choices)


class FailForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("原因"), choices=[c for c in FailureReason.choices if c[0] != FailureReason.EXPIRED]
    )
    note = forms.CharField(label=_("说明"), widget=TEXT, required=False, max_length=4000)
    cost_conduct = forms.CharField(label=_("导致调解成本增加的行为"), widget=TEXT, required=False, max_length=4000)


class CourtStepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, max_length=30)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ConfirmationApplyForm(forms.Form):
    court = forms.CharField(label=_("法院"), max_length=200)
    applied_on = forms.DateField(label=_("申请日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ConfirmationStepForm(forms.Form):
    action = forms.ChoiceField(
        label=_("法院的处理"),
        choices=[
            ("court_accept", _("受理")),
            ("court_refuse", _("不予受理")),
            ("confirm", _("确认有效")),
            ("not_confirm", _("不予确认")),
            ("withdraw", _("撤回申请")),
        ],
    )
    court_case_no = forms.CharField(label=_("案号（调确字）"), required=False, max_length=100)
    grounds = forms.CharField(label=_("理由"), required=False, max_length=1000)


class PerformanceForm(forms.Form):
    action = forms.ChoiceField(
        label=_("履行情况"), choices=[("perform", _("已履行")), ("apply_enforcement", _("已申请强制执行"))]
    )
    on = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ConflictForm(forms.Form):
    name = forms.CharField(label=_("姓名/名称"), max_length=200)
    id_number = forms.CharField(label=_("证件号码"), max_length=64)
    ground = forms.ChoiceField(label=_("事由"), choices=ConflictGround.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class MediatorForm(forms.Form):
    username = forms.CharField(label=_("调解员账户（用户名）"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=100)
    specialties = forms.MultipleChoiceField(
        label=_("专长"), choices=Specialty.choices, widget=forms.CheckboxSelectMultiple
    )
    court_rosters = forms.CharField(label=_("特邀调解名册（法院，每行一个）"), widget=TEXT, required=False)
    level = forms.CharField(label=_("等级"), required=False, max_length=40)
    training = forms.CharField(label=_("培训记录"), widget=TEXT, required=False, max_length=4000)


class MediatorStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=MediatorStatus.choices)
