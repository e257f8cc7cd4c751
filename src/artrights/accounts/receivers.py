"""accounts' answers to signals from below: django-axes stopping a login (see lockout.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from artrights.core import audit
from artrights.core.services import notify

from . import lockout, notifications
from .models import User

logger = logging.getLogger("artrights.accounts.lockout")


def login_locked(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any) -> None:
    """Log every refused login of a lock; record the lock in the audit log when it begins, and tell the account's
    owner (their account, from that address) so they know someone tried and that they are not locked out."""
    found = lockout.failures(request, getattr(request, "axes_credentials", None))
    kind = found.locked or lockout.ACCOUNT
    logger.warning(
        "login locked by %s: username=%r address=%s failures for the username=%d from the address=%d",
        kind,
        username,
        ip_address,
        found.account,
        found.address,
    )
    # Axes sends this on every try during a lock; the lock begins when the count reaches its limit.
    limit = settings.AXES_FAILURE_LIMIT if kind == lockout.ACCOUNT else settings.ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT
    if (found.account if kind == lockout.ACCOUNT else found.address) != limit:
        return
    user = User.objects.filter(username=username).first() if username else None
    audit.record(
        "accounts.login_locked",
        user,
        object_type="accounts.user",
        object_repr=username or "",
        changes={"lock": kind, "address": ip_address, "failures": limit},
    )
    if user is not None and kind == lockout.ACCOUNT:
        notify(
            recipients=[user],
            kind=notifications.LOGIN_LOCKED.key,
            subject=user,
            params={
                "address": ip_address or "?",
                "count": limit,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
            url=reverse("password_change"),
        )
