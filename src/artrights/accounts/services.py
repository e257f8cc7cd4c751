"""Writes for accounts: users, organisations, API tokens, a user's settings and their inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.core import audit, notifying
from artrights.core.models import Notification
from artrights.core.services import notify

from . import notifications, selectors
from .access import require
from .models import ApiToken, Organisation, Role, TokenScope, User


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    password: str,
    organisation: Organisation | None = None,
    display_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    """Create an active user with a role; the password is checked against the password policy."""
    if role not in Role.values:
        raise ValidationError(
            _("未知角色“%(role)s”。可选：%(roles)s") % {"role": role, "roles": ", ".join(Role.values)}
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名“%(name)s”已存在。") % {"name": username})
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        display_name=display_name,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def issue_token(
    *, user: Any, name: str, scopes: list[str], expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token; returns it and the raw value, which is shown once and never stored."""
    require(user, "issue", ApiToken)
    unknown = [s for s in scopes if s not in TokenScope.values]
    if unknown or not scopes:
        raise ValidationError(_("权限范围无效：%(scopes)s") % {"scopes": ", ".join(unknown) or "—"})
    if not name.strip():
        raise ValidationError(_("请为令牌填写名称。"))
    raw, prefix, digest = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, token_hash=digest, scopes=scopes, expires_at=expires_at
    )
    _tell_owner(token, notifications.TOKEN_ISSUED.key)
    return token, raw


@transaction.atomic
def revoke_token(*, user: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once; requests with it fail from now on."""
    require(user, "revoke", token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _tell_owner(token, notifications.TOKEN_REVOKED.key)
    return token


def _tell_owner(token: ApiToken, kind: str) -> None:
    # Whoever acted (the owner, or an administrator), the owner hears of it: a token someone else created with a
    # stolen session is how they would find out.
    notify(
        recipients=[token.user],
        kind=kind,
        subject=token,
        params={"name": token.name, "prefix": token.prefix, "scopes": ", ".join(token.scopes)},
        url=reverse("portal:tokens"),
    )


def authenticate_token(raw: str, *, ip: str | None = None) -> ApiToken | None:
    """The usable token for a raw bearer value, recording its last use; None when unknown or revoked."""
    from .models import hash_token

    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable:
        return None
    now = timezone.now()
    # A queryset update: last-use bookkeeping is not an audited business write.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at = now
    audit.set_actor(token.user)
    return token


@transaction.atomic
def update_settings(
    *, user: Any, target: User, language: str | None = None, muted_kinds: Collection[str] | None = None
) -> User:
    """Change a user's language and which notifications reach them by e-mail and SMS too (None: unchanged)."""
    require(user, "change_settings", target)
    fields = []
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise ValidationError(_("不支持的语言：%(language)s") % {"language": language})
        target.language = language
        fields.append("language")
    if muted_kinds is not None:
        optional = {kind.key for kind in notifying.declared() if not kind.essential}
        refused = sorted(set(muted_kinds) - optional)
        if refused:
            raise ValidationError(_("这些通知不能关闭邮件和短信：%(kinds)s") % {"kinds": ", ".join(refused)})
        target.muted_kinds = sorted(set(muted_kinds))
        fields.append("muted_kinds")
    if fields:
        target.save(update_fields=fields)
    return target


@transaction.atomic
def mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one notification read (opening it does this); reading it again keeps the first time."""
    require(user, "mark_read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many there were."""
    unread = selectors.inbox_of(user).filter(read_at__isnull=True)
    # One update for the whole inbox instead of a save (and an audit row) per notification; one named action
    # records it instead.
    count = unread.update(read_at=timezone.now())
    if count:
        audit.record("accounts.notifications_read", user, changes={"count": count})
    return count
