"""Who may file for whom (DOMAIN.md R1.3, R1.7).

A rights holder's own account files only in the name behind it: the real name and checked identity document the
account holder stated and proved a contact for (``accounts.services.complete_identity``); co-owners may be
named beside them on an application a registrar reviews, never on a filing granted at once. Anyone else who may
apply (an agency, or the platform's own desk) files as the owners' agent: the power of attorney they signed is
one of the materials, and the agency is named on the record. Refusals say what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from artrights.accounts.models import Role
from artrights.accounts.services import party_of
from artrights.core.models import Party
from artrights.core.services import PartyInput, resolve_party
from artrights.core.signals import standing_of

from ..models import FileRole, Kind

if TYPE_CHECKING:
    from .applications import SampleInput


@dataclass(frozen=True)
class Filer:
    """The parties of a new application: its owners with their signatures (the first is the applicant) and the
    agent, if any."""

    owners: list[tuple[Party, str]]
    agent: Party | None = None


def files_for_self(user: Any) -> bool:
    """Does ``user`` file in their own name (a rights holder's account) rather than as somebody's agent?"""
    return getattr(user, "role", "") == Role.ARTIST


def filer(*, user: Any, kind: str, owners: list[PartyInput], files: list[SampleInput]) -> Filer:
    """The owners ``user`` may name on a new application, or a refusal that says why and what to do."""
    if files_for_self(user):
        return _for_self(user, kind, owners)
    return _as_agent(user, owners, files)


def _for_self(user: Any, kind: str, owners: list[PartyInput]) -> Filer:
    if not user.real_name_verified:
        raise ValidationError(
            _("以本人名义申请前，请先完成实名认证：在“实名信息”页登记真实姓名和身份证件，并验证电子邮箱或手机号码。"),
            code="identity_required",
        )
    own: Party = user.party
    named = [(resolve_party(owner), owner.signature) for owner in owners]
    others = [(party, signature) for party, signature in named if party.pk != own.pk]
    if named and len(others) == len(named):
        raise ValidationError(
            _("个人账户只能以本人（%(name)s）名义申请；为他人申请请通过代理机构，并上传著作权人签署的授权委托书。")
            % {"name": own.name},
            code="not_own_name",
        )
    if others and kind == Kind.DIGITAL_FILING:
        raise ValidationError(
            _("数字作品备案即时发证，只能由著作权人本人备案；合作作品请申请作品登记，由登记机构审查。"),
            code="co_owners_need_review",
        )
    own_signature = next((signature for party, signature in named if party.pk == own.pk), "")
    return Filer(owners=[(own, own_signature), *others])


def _as_agent(user: Any, owners: list[PartyInput], files: list[SampleInput]) -> Filer:
    if not owners:
        raise ValidationError(_("代理申请请填写委托人，即著作权人。"), code="owner_required")
    if not any(item.role == FileRole.POWER_OF_ATTORNEY for item in files):
        raise ValidationError(
            _("代理申请须上传著作权人签署的授权委托书（写明委托事项和权限）。"), code="power_of_attorney_missing"
        )
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        refuse_listed_agency(organisation.uscc)
    agent = party_of(organisation) if organisation is not None else None
    return Filer(owners=[(resolve_party(owner), owner.signature) for owner in owners], agent=agent)


def refuse_listed_agency(uscc: str) -> None:
    """A listed agency may not file for clients while a list it is on bars it (the credit app's measures list
    says which lists do; the credit app answers through ``core.signals.party_standing``)."""
    barring = [s for s in standing_of([uscc]) if s.bars_agency_filing and not s.as_principal_of]
    if barring:
        first = barring[0]
        raise ValidationError(
            _(
                "本机构已被列入“%(list)s”（名单记录 %(number)s，%(since)s 起）：名单期内不得代理委托人办理作品登记和"
                "备案。请由著作权人本人申请，或在移出名单后再代理。"
            )
            % {"list": first.list_label, "number": first.number, "since": first.since.isoformat()},
            code="agency_listed",
        )
