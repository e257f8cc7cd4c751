"""Forms for accounts: signing up in one's real name, stating the identity behind an account, proving a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from artrights.core.models import IdType, PartyKind
from artrights.core.services import PartyInput

# A person's documents (a unified social credit code belongs to an organisation, which an agency represents).
PERSONAL_ID_TYPES = [(value, label) for value, label in IdType.choices if value != IdType.USCC]


class IdentityForm(forms.Form):
    real_name = forms.CharField(label=_("真实姓名"), max_length=200)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=PERSONAL_ID_TYPES, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label=_("证件号码"), max_length=64)
    truthful = forms.BooleanField(label=_("我承诺以上实名信息真实，并用本人身份申请登记。"))

    def identity(self) -> PartyInput:
        d = self.cleaned_data
        return PartyInput(
            kind=PartyKind.NATURAL, name=d["real_name"].strip(), id_type=d["id_type"], id_number=d["id_number"]
        )


class SignUpForm(IdentityForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"))
    phone = forms.CharField(label=_("手机号码（可选）"), max_length=20, required=False)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("再次输入密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    field_order = ["username", "real_name", "id_type", "id_number", "email", "phone", "password1", "password2"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=20)


class PhoneCodeForm(forms.Form):
    code = forms.CharField(label=_("短信验证码"), max_length=6)
