"""The one-stop service's forms: they only shape the input; every rule is checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RequestType
from .selectors import workstations


class RequestForm(forms.Form):
    workstation = forms.ModelChoiceField(label=_("工作站"), queryset=workstations(), empty_label=None)
    type = forms.ChoiceField(label=_("服务类型"), choices=RequestType.choices)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    url = forms.CharField(label=_("相关网址（侵权举报、相似性比对必填）"), required=False, max_length=2000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["workstation"].queryset = workstations()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("办理记录"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    for_requester = forms.BooleanField(label=_("申请人可见"), required=False, initial=True)


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("满意度评分"), choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int)
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TrainingForm(forms.Form):
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("开课时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("地点"), max_length=300)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=1000)
