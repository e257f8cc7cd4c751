"""Writes for accounts: users, organisations, API tokens, a user's settings and their inbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.core import audit, notifying, public_url, sms
from artrights.core.models import IdType, Notification, Party, PartyKind
from artrights.core.services import PartyInput, notify, resolve_party

from . import notifications, selectors, tasks
from .access import require
from .models import ApiToken, Organisation, PhoneChallenge, Role, TokenScope, User


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
def party_of(organisation: Organisation) -> Party:
    """The organisation as a party to registrations, contracts and cases (same USCC), linked on first use."""
    if organisation.party_id is None:
        organisation.party = resolve_party(
            PartyInput(
                kind=PartyKind.ORGANISATION,
                name=organisation.name,
                id_type=IdType.USCC,
                id_number=organisation.uscc,
                address=organisation.address,
            )
        )
        organisation.save(update_fields=["party"])
    assert organisation.party is not None
    return organisation.party


@transaction.atomic
def issue_token(
    *,
    user: Any,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
    parent: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it and the raw value, which is shown once and never stored. A token minted with
    another token (``parent``) holds only scopes its parent holds, expires no later than it, and is revoked with
    it, so a leaked token can never be turned into a wider or longer-lived one."""
    require(user, "issue", ApiToken)
    unknown = [s for s in scopes if s not in TokenScope.values]
    if unknown or not scopes:
        raise ValidationError(_("权限范围无效：%(scopes)s") % {"scopes": ", ".join(unknown) or "—"})
    if not name.strip():
        raise ValidationError(_("请为令牌填写名称。"))
    if parent is not None:
        if parent.user_id != user.pk:
            raise PermissionDenied(_("您没有权限执行此操作。"))
        wider = [s for s in scopes if not parent.allows(s)]
        if wider:
            raise PermissionDenied(
                _("用令牌创建的令牌不能超出它自己的权限范围：%(scopes)s") % {"scopes": ", ".join(wider)}
            )
        if parent.expires_at is not None and (expires_at is None or expires_at > parent.expires_at):
            expires_at = parent.expires_at
    raw, prefix, digest = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        token_hash=digest,
        scopes=scopes,
        expires_at=expires_at,
        parent=parent,
    )
    _tell_owner(token, notifications.TOKEN_ISSUED.key)
    return token, raw


@transaction.atomic
def revoke_token(*, user: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once, and every token minted with it (and with those); requests with any of them fail
    from now on."""
    require(user, "revoke", token)
    now = timezone.now()
    level = [token]
    while level:
        for row in level:
            if row.revoked_at is None:
                row.revoked_at = now
                row.save(update_fields=["revoked_at"])
                _tell_owner(row, notifications.TOKEN_REVOKED.key)
        level = list(ApiToken.objects.filter(parent__in=level))
    return token


def _tell_owner(token: ApiToken, kind: str) -> None:
    # Whoever acted (the owner, or an administrator), the owner hears of it: a token someone else created with a
    # stolen session is how they would find out.
    notify(
        recipients=[token.user],
        kind=kind,
        subject=token,
        params={"name": token.name, "prefix": token.prefix, "scopes": "\n".join(token.scopes)},
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


# Real-name identity ------------------------------------------------------------------------------------------

EMAIL_TOKEN_SALT = "artrights.accounts.verify-email"
EMAIL_TOKEN_DAYS = 3
PHONE_CODE_MINUTES = 10
PHONE_CODE_TRIES = 5
PHONE_CODES_PER_DAY = 5
_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")


def _link_identity(user: User, identity: PartyInput) -> Party:
    """The party of ``identity`` (checked: GB 11643 / GB 32100), linked to ``user``; an identity that already has
    another account is refused, so nobody can file in someone else's name."""
    party = resolve_party(identity)
    holder = User.objects.filter(party=party).exclude(pk=user.pk).first()
    if holder is not None:
        raise ValidationError(
            _("证件号码 %(id)s 已经实名注册过账户；如是您本人，请用原账户登录或联系平台。") % {"id": party.id_number},
            code="identity_taken",
        )
    user.party = party
    return party


@transaction.atomic
def sign_up(*, username: str, password: str, identity: PartyInput, email: str, phone: str = "") -> User:
    """A rights holder opens an account in their real name (role artist) and is sent an e-mail to confirm the
    address; filing in their own name needs that confirmation (or a verified phone)."""
    if not email.strip():
        raise ValidationError(_("请填写电子邮箱，用于验证和接收通知。"), code="email_required")
    if phone and not _MAINLAND_MOBILE.fullmatch(phone.strip()):
        raise ValidationError(_("手机号码应为 11 位中国大陆手机号。"), code="bad_phone")
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise ValidationError(_("这个电子邮箱已经注册过账户。"), code="email_taken")
    user = create_user(
        username=username, role=Role.ARTIST, password=password, display_name=identity.name, email=email.strip()
    )
    user.phone = phone.strip()
    _link_identity(user, identity)
    user.save(update_fields=["phone", "party"])
    send_email_verification(user=user)
    return user


@transaction.atomic
def complete_identity(*, user: Any, identity: PartyInput) -> User:
    """An existing account states the real name and identity document of the person behind it (once)."""
    require(user, "change_settings", user)
    account = User.objects.select_for_update().get(pk=user.pk)
    if account.party_id is not None:
        raise ValidationError(_("实名信息已登记，不能自行修改；如有错误请联系平台。"), code="identity_set")
    _link_identity(account, identity)
    account.display_name = account.display_name or identity.name
    account.save(update_fields=["party", "display_name"])
    audit.record("accounts.complete_identity", account, actor=user)
    return account


def send_email_verification(*, user: User) -> None:
    """Mail ``user`` a link that proves the address is theirs (after the commit, by the worker)."""
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_TOKEN_SALT)
    link = public_url.absolute(reverse("accounts:verify_email", args=[token]))
    transaction.on_commit(lambda: tasks.send_verification_email_task(user.pk, link))


@transaction.atomic
def verify_email(*, token: str) -> User:
    """The account whose address the link proves; refused when the link is forged, expired or outdated."""
    try:
        data = signing.loads(token, salt=EMAIL_TOKEN_SALT, max_age=dt.timedelta(days=EMAIL_TOKEN_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(_("验证链接已过期，请在账户页面重新发送。"), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("验证链接无效。"), code="bad_token") from None
    user = User.objects.select_for_update().filter(pk=data.get("user")).first()
    if user is None or user.email != data.get("email"):
        raise ValidationError(_("验证链接与账户当前的邮箱不符，请重新发送。"), code="outdated")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def send_phone_code(*, user: Any, phone: str) -> PhoneChallenge:
    """Text a six-digit code to ``phone``; at most one a minute and a few a day, so the number cannot be flooded."""
    require(user, "change_settings", user)
    phone = phone.strip()
    if not _MAINLAND_MOBILE.fullmatch(phone):
        raise ValidationError(_("手机号码应为 11 位中国大陆手机号。"), code="bad_phone")
    if not sms.configured():
        raise ValidationError(_("平台未开通短信，请用电子邮箱验证。"), code="no_sms")
    now = timezone.now()
    recent = PhoneChallenge.objects.filter(user=user, created_at__gte=now - dt.timedelta(days=1))
    if recent.filter(created_at__gte=now - dt.timedelta(minutes=1)).exists():
        raise ValidationError(_("验证码刚刚发出，请一分钟后再试。"), code="too_soon")
    if recent.count() >= PHONE_CODES_PER_DAY:
        raise ValidationError(_("今天发送验证码的次数已用完，请明天再试。"), code="too_many")
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge = PhoneChallenge.objects.create(
        user=user,
        phone=phone,
        code_hash=_code_hash(user, phone, code),
        expires_at=now + dt.timedelta(minutes=PHONE_CODE_MINUTES),
    )
    text = _("【ArtRights】您的手机验证码是 %(code)s，%(minutes)s 分钟内有效。") % {
        "code": code,
        "minutes": PHONE_CODE_MINUTES,
    }
    transaction.on_commit(lambda: tasks.send_phone_code_task(phone, text))
    return challenge


def _code_hash(user: Any, phone: str, code: str) -> str:
    # Keyed with the site's secret: a leaked table does not give the codes away by brute force over 10^6 values.
    return hmac.new(settings.SECRET_KEY.encode(), f"{user.pk}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def verify_phone(*, user: Any, code: str) -> User:
    """Prove the phone number of the latest code; a wrong code counts, five wrong ones end the code."""
    require(user, "change_settings", user)
    with transaction.atomic():
        challenge = PhoneChallenge.objects.select_for_update().filter(user=user, used_at=None).first()
        if challenge is None or challenge.expires_at < timezone.now() or challenge.attempts >= PHONE_CODE_TRIES:
            raise ValidationError(_("验证码已失效，请重新发送。"), code="expired")
        if hmac.compare_digest(challenge.code_hash, _code_hash(user, challenge.phone, code.strip())):
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
            account = User.objects.get(pk=user.pk)
            account.phone = account.verified_phone = challenge.phone
            account.save(update_fields=["phone", "verified_phone"])
            return account
        # Counted in its own committed block, so the refusal below cannot roll the count back.
        PhoneChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
    raise ValidationError(_("验证码不正确。"), code="wrong_code")
