from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CaptureForm(forms.Form):
    url = forms.URLField(label=_("侵权网页网址"), max_length=2000, assume_scheme="https")
    description = forms.CharField(
        label=_("说明（可选）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FilesForm(forms.Form):
    uploads = MultipleFileField(label=_("文件（截图、照片、聊天记录、视频等）"))
    description = forms.CharField(
        label=_("这些文件是什么、从哪里取得"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_url = forms.URLField(label=_("来源网址（可选）"), required=False, max_length=2000, assume_scheme="https")
