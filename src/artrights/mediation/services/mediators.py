"""The roster: mediators of an organisation with their specialties, court rosters, level, training and status, and
the conflicts of interest each declares (M2, M11, M12)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.accounts.models import Role
from artrights.core import audit
from artrights.core.identifiers import normalise

from ..models import Conflict, ConflictGround, Mediator, MediatorStatus, Specialty
from ._common import clean_text, refused


def _specialties(values: Sequence[str]) -> list[str]:
    unknown = [v for v in values if v not in Specialty.values]
    if unknown or not values:
        raise refused("specialties", _("请至少选择一项专长（可选：著作权、美术作品、许可与转让合同等）。"))
    return sorted(set(values))


def _courts(values: Sequence[str]) -> list[str]:
    return sorted({clean_text(v, _("法院"), limit=200, multiline=False) for v in values if v.strip()})


@transaction.atomic
def enrol(
    *,
    user: Any,
    account: Any,
    name: str,
    specialties: Sequence[str],
    court_rosters: Sequence[str] = (),
    level: str = "",
    training: str = "",
) -> Mediator:
    """Put a mediator's account on the organisation's roster."""
    require(user, "enrol", Mediator)
    if account.role != Role.MEDIATOR:
        raise refused("role", _("只有角色为“调解员”的账户才能列入调解员名册。"))
    if Mediator.objects.filter(user=account).exists():
        raise refused("enrolled", _("该账户已在调解员名册中。"))
    mediator = Mediator.objects.create(
        user=account,
        organisation_id=user.organisation_id,
        name=clean_text(name, _("姓名"), limit=100, multiline=False),
        specialties=_specialties(specialties),
        court_rosters=_courts(court_rosters),
        level=clean_text(level, _("等级"), required=False, limit=40, multiline=False),
        training=clean_text(training, _("培训记录"), required=False, limit=4000),
    )
    audit.record("mediation.enrol", mediator, actor=user)
    return mediator


@transaction.atomic
def update(
    *,
    user: Any,
    mediator: Mediator,
    specialties: Sequence[str],
    court_rosters: Sequence[str],
    status: str,
    level: str = "",
    training: str = "",
) -> Mediator:
    """Change a mediator's specialties, rosters, level, training record or status (suspended, dismissed, M2)."""
    require(user, "manage", mediator)
    if status not in MediatorStatus.values:
        raise refused("status", _("调解员状态无效。"))
    mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
    mediator.specialties = _specialties(specialties)
    mediator.court_rosters = _courts(court_rosters)
    mediator.status = status
    mediator.level = clean_text(level, _("等级"), required=False, limit=40, multiline=False)
    mediator.training = clean_text(training, _("培训记录"), required=False, limit=4000)
    mediator.save()
    audit.record("mediation.update_mediator", mediator, actor=user, changes={"status": status})
    return mediator


@transaction.atomic
def declare_conflict(
    *, user: Any, mediator: Mediator, id_number: str, name: str, ground: str, note: str = ""
) -> Conflict:
    """A mediator declares a relationship with a person or organisation: never assigned to their cases (M12)."""
    require(user, "declare", mediator)
    if ground not in ConflictGround.values:
        raise refused("ground", _("请选择利害关系的事由。"))
    number = normalise(clean_text(id_number, _("证件号码"), limit=64, multiline=False))
    conflict = Conflict.objects.create(
        mediator=mediator,
        id_number=number,
        name=clean_text(name, _("姓名/名称"), limit=200, multiline=False),
        ground=ground,
        note=clean_text(note, _("说明"), required=False, limit=500),
    )
    audit.record("mediation.declare_conflict", mediator, actor=user, changes={"ground": ground})
    return conflict
