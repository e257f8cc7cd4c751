from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.core import sms
from artrights.core.messages import error_messages

from . import lockout, services
from .forms import IdentityForm, PhoneCodeForm, PhoneForm, SignUpForm
from .models import User


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """Shown by django-axes instead of the login page while logins from the request's address are stopped: for
    the username tried, or for every username (lockout.py); both say that other addresses are not affected."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    lock = lockout.failures(request, credentials).locked or lockout.ACCOUNT
    context = {"cooloff_minutes": minutes, "lock": lock}
    return render(request, "registration/locked_out.html", context, status=429)


def sign_up(request: HttpRequest) -> HttpResponse:
    """A rights holder opens an account in their real name; an e-mail link confirms the address."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.sign_up(
                username=d["username"],
                password=d["password1"],
                identity=form.identity(),
                email=d["email"],
                phone=d.get("phone", ""),
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("账户已创建。我们向 %(email)s 发送了验证邮件，请打开邮件中的链接。") % {"email": user.email}
            )
            return redirect("accounts:identity")
    return render(request, "accounts/sign_up.html", {"form": form})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.verify_email(token=token)
    except ValidationError as exc:
        return render(request, "accounts/verify_email_failed.html", {"reasons": error_messages(exc)}, status=400)
    messages.success(request, _("电子邮箱 %(email)s 已验证。") % {"email": user.email})
    return redirect("accounts:identity" if request.user.is_authenticated else "login")


@login_required
def identity(request: HttpRequest) -> HttpResponse:
    """The person behind the account: real-name details (stated once) and the contacts the user proved."""
    user = cast(User, request.user)
    form = IdentityForm(request.POST or None) if user.party_id is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.complete_identity(user=user, identity=form.identity())
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("实名信息已登记。"))
            return redirect("accounts:identity")
    context = {
        "form": form,
        "phone_form": PhoneForm(initial={"phone": user.phone}),
        "code_form": PhoneCodeForm(),
        "sms_enabled": sms.configured(),
        "code_sent": user.phone_challenges.filter(used_at=None).exists(),
    }
    return render(request, "accounts/identity.html", context)


@login_required
@require_POST
def resend_email(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if user.email and not user.email_verified:
        services.send_email_verification(user=user)
        messages.success(request, _("验证邮件已重新发送到 %(email)s。") % {"email": user.email})
    return redirect("accounts:identity")


def _phone_step(
    request: HttpRequest, form: forms.Form, missing: str, step: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """Run one step of proving a phone number; its message, or the refusal, shows on the identity page."""
    try:
        if not form.is_valid():
            raise ValidationError(missing)
        messages.success(request, step(form.cleaned_data))
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    return redirect("accounts:identity")


@login_required
@require_POST
def send_phone_code(request: HttpRequest) -> HttpResponse:
    def send(data: dict[str, Any]) -> str:
        services.send_phone_code(user=request.user, phone=data["phone"])
        return _("验证码已发送，请在 %(minutes)s 分钟内填写。") % {"minutes": services.PHONE_CODE_MINUTES}

    return _phone_step(request, PhoneForm(request.POST), _("请填写手机号码。"), send)


@login_required
@require_POST
def verify_phone(request: HttpRequest) -> HttpResponse:
    def verify(data: dict[str, Any]) -> str:
        user = services.verify_phone(user=request.user, code=data["code"])
        return _("手机号码 %(phone)s 已验证。") % {"phone": user.verified_phone}

    return _phone_step(request, PhoneCodeForm(request.POST), _("请填写短信验证码。"), verify)
