"""Users, their roles, the organisations they belong to, and API tokens."""

from __future__ import annotations

import contextlib
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.core.validators import uscc_validator, validate_uscc


class Role(models.TextChoices):
    ARTIST = "artist", _("著作权人/艺术家")
    AGENCY = "agency", _("代理机构")
    REGISTRAR = "registrar", _("登记审核员")
    MEDIATOR = "mediator", _("调解员")
    MEDIATION_ADMIN = "mediation_admin", _("调解管理员")
    SUPERVISOR = "supervisor", _("监管人员")
    INSPECTOR = "inspector", _("执法检查人员")
    PARTNER = "partner", _("联合惩戒成员单位")
    COURT = "court", _("法院诉调对接人员")
    ADMIN = "admin", _("系统管理员")


class OrganisationKind(models.TextChoices):
    AGENCY = "agency", _("代理机构/版权服务机构")
    WORKSTATION = "workstation", _("知识产权保护工作站")
    DEPARTMENT = "department", _("政府部门")
    MEDIATION_ORG = "mediation_org", _("调解组织")
    COURT = "court", _("人民法院")


class Organisation(models.Model):
    kind = models.CharField(_("机构类型"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("机构名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[uscc_validator])
    address = models.CharField(_("地址"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    # The organisation as a party to registrations, contracts and cases (same USCC). Kept here, not on Party,
    # so that core (parties) does not depend on accounts.
    party = models.OneToOneField(
        "core.Party",
        verbose_name=_("当事人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Normalise (spaces, lower case) when valid; the field's validator reports an invalid code once.
        with contextlib.suppress(ValidationError):
            self.uscc = validate_uscc(self.uscc)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.ARTIST)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    # The number the user proved is theirs (a code sent to it, or checked at the service desk); text messages go
    # only to this number, and only while it is still the user's phone number.
    verified_phone = models.CharField(_("已验证的手机号码"), max_length=20, blank=True)
    # The language of e-mail and text messages (pages follow the language switch, which also sets this).
    language = models.CharField(_("语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    # Kinds of notification (core.notifying keys) the user reads in the inbox only, without e-mail or SMS.
    muted_kinds = models.JSONField(_("只在站内接收的通知"), default=list, blank=True)
    # The person behind the account (real name and a checked identity document): the owner a rights holder files
    # for. One party has at most one account, so nobody files in someone else's name.
    party = models.OneToOneField(
        "core.Party",
        verbose_name=_("实名信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (self.role in roles or self.is_platform_admin)

    @property
    def email_verified(self) -> bool:
        return bool(self.email) and self.email_verified_at is not None

    @property
    def real_name_verified(self) -> bool:
        """A checked identity and a contact the user proved is theirs: what filing in one's own name needs."""
        return self.party_id is not None and (self.email_verified or bool(self.sms_number))

    @property
    def sms_number(self) -> str:
        """The phone number text messages go to: the verified one, while it is still the user's number."""
        return self.phone if self.phone and self.phone == self.verified_phone else ""

    def wants_copies_of(self, kind: str) -> bool:
        """Whether notifications of ``kind`` also go out by e-mail and SMS (the inbox always has them)."""
        return kind not in self.muted_kinds


class PhoneChallenge(models.Model):
    """A code sent by text message to prove a phone number is the user's; kept hashed, short-lived, few tries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_challenges")
    phone = models.CharField(_("手机号码"), max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.phone}"


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "write", _("读写")
    CREDIT_QUERY = "credit:query", _("信用查询")
    CREDIT_FEEDBACK = "credit:feedback", _("惩戒措施反馈")


def hash_token(raw: str) -> str:
    # Tokens are long random strings, so a plain SHA-256 is enough (no need for a slow password hash).
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for scripts and partner departments. Only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("权限范围"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用IP"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # The token whose bearer minted this one through the API (none when made in the browser). A child never holds
    # a scope its parent lacks, never outlives it, and is revoked with it.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("创建它的令牌"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """A new raw token, its display prefix and its hash."""
        raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:12], hash_token(raw)

    @property
    def is_usable(self) -> bool:
        """Not revoked, not expired, its user active, and the same for every token above it (revocation reaches
        the children at once, but a parent revoked or cut short in the back office must stop them too)."""
        now = timezone.now()
        own = self.revoked_at is None and (self.expires_at is None or self.expires_at > now) and self.user.is_active
        return own and (self.parent is None or self.parent.is_usable)

    def allows(self, scope: str) -> bool:
        """Whether the token carries ``scope``; ``write`` includes ``read``."""
        if scope == TokenScope.READ:
            return TokenScope.READ in self.scopes or TokenScope.WRITE in self.scopes
        return scope in self.scopes
