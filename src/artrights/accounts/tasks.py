"""Background work for accounts; thin wrappers around services."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from artrights.core import audit
from artrights.core.background import db_task


@db_task(retries=5, retry_delay=60)
def send_verification_email_task(user_id: int, link: str) -> bool:
    """Mail the address-confirmation link, in the user's language; False when the account is gone."""
    from .models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    with audit.context(via="worker"), translation.override(user.language):
        context = {"user": user, "link": link}
        subject = render_to_string("accounts/verify_email_subject.txt", context).strip()
        send_mail(subject, render_to_string("accounts/verify_email.txt", context), None, [user.email])
    return True


@db_task(retries=3, retry_delay=30)
def send_phone_code_task(phone: str, text: str) -> None:
    """Text a verification code through the configured SMS backend (retried when the gateway fails)."""
    from artrights.core import sms

    sms.backend().send(to=phone, text=text)
