"""The two directories (D2, D3): targets built from credit subjects, inspectors and their declared conflicts;
and both as the draw reads them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.accounts.models import Role
from artrights.core import audit
from artrights.credit.models import IN_FORCE, CreditRecord, CreditSubject, EntryStatus, Evaluation, ListEntry

from ..models import (
    Conflict,
    EntityClass,
    Inspector,
    Pool,
    Target,
)
from ._common import _text, refused

# --- the target directory ------------------------------------------------------------------------------------


def classify(subject: CreditSubject) -> dict[str, str]:
    """Grade, risk level and pool of ``subject`` from what credit holds (D5, D9, D11): a subject on a list is D
    and in the key pool; one with a record in force is C and in the key pool (an IP violation); an agency takes its
    published grade; others are B (no information: general risk)."""
    listed = ListEntry.objects.filter(subject=subject, status=EntryStatus.LISTED).exists()
    records = CreditRecord.objects.filter(subject=subject, status__in=IN_FORCE).count()
    evaluation = Evaluation.objects.filter(subject=subject).order_by("-at", "-pk").first()
    if listed:
        return {"credit_grade": "D", "risk_level": "4", "pool": Pool.KEY, "grade_basis": "名单在列 / on a list"}
    if records:
        basis = f"{records} 条信用记录在公示 / {records} record(s) in force"
        return {"credit_grade": "C", "risk_level": "3", "pool": Pool.KEY, "grade_basis": basis}
    if evaluation is not None:
        grade = "A" if evaluation.grade.startswith("A") else evaluation.grade[:1]
        risk = {"A": "1", "B": "2", "C": "3", "D": "4"}.get(grade, "2")
        return {"credit_grade": grade, "risk_level": risk, "pool": Pool.GENERAL, "grade_basis": evaluation.number}
    return {"credit_grade": "B", "risk_level": "2", "pool": Pool.GENERAL, "grade_basis": "无信用信息 / no records"}


def sync_targets(*, user: Any) -> dict[str, int]:
    """Build or refresh the target directory from the credit subjects: new subjects join, grades follow credit."""
    require(user, "manage", Target)
    made = changed = 0
    with transaction.atomic():
        known = {t.subject_id: t for t in Target.objects.select_for_update()}
        for subject in CreditSubject.objects.order_by("pk"):
            fields = classify(subject)
            target = known.get(subject.pk)
            if target is None:
                kind = EntityClass.INDIVIDUAL if subject.is_person else EntityClass.ENTERPRISE
                Target.objects.create(subject=subject, entity_class=kind, region=subject.region, **fields)
                made += 1
            elif any(getattr(target, k) != v for k, v in fields.items()):
                # A key-pool entry stays in the key pool once a result put it there (D11).
                if target.pool == Pool.KEY:
                    fields["pool"] = Pool.KEY
                Target.objects.filter(pk=target.pk).update(**fields, updated_at=timezone.now())
                changed += 1
        audit.record("inspections.sync_targets", None, actor=user, object_type="inspections.target")
    return {"created": made, "updated": changed}


def update_target(*, user: Any, target: Target, sector: str, region: str, entity_class: str) -> Target:
    """Set what credit does not know: sector, region and class (the fields a directed draw filters on)."""
    require(user, "manage", target)
    if entity_class not in EntityClass.values:
        raise refused("entity_class", _("对象类型无效：%(value)s"), value=entity_class)
    with transaction.atomic():
        target.sector = _text(sector, _("行业"), limit=40)
        target.region = _text(region, _("行政区划码"), limit=6, required=False)
        target.entity_class = entity_class
        target.save()
        audit.record("inspections.update_target", target, actor=user)
    return target


# --- the inspector directory ---------------------------------------------------------------------------------


def add_inspector(
    *,
    user: Any,
    account: Any,
    dept: str,
    qualification: str,
    specialties: Iterable[str] = (),
    region: str = "",
) -> Inspector:
    """Put an inspector account in the directory with its enforcement certificate and specialties."""
    require(user, "manage", Inspector)
    if account.role != Role.INSPECTOR:
        raise refused("not_inspector", _("只有执法检查人员账户才能加入检查人员名录库。"))
    if Inspector.objects.filter(user=account).exists():
        raise refused("duplicate", _("该账户已在检查人员名录库中。"))
    with transaction.atomic():
        inspector = Inspector.objects.create(
            user=account,
            name=account.display_name or account.username,
            dept=_text(dept, _("所在部门"), limit=200),
            qualification=_text(qualification, _("执法证号"), limit=40, required=False),
            specialties=sorted({s.strip() for s in specialties if s.strip()}),
            region=_text(region, _("行政区划码"), limit=6, required=False),
        )
        audit.record("inspections.add_inspector", inspector, actor=user)
    return inspector


def declare_conflict(*, user: Any, inspector: Inspector, code: str, reason: str) -> Conflict:
    """Declare a relationship with a subject (回避申报): the inspector is never drawn for it from now on."""
    require(user, "declare_conflict", inspector)
    subject = CreditSubject.objects.filter(code=(code or "").strip().upper()).first()
    if subject is None:
        raise refused("unknown_subject", _("名录中没有代码为 %(code)s 的主体。"), code=(code or "").strip() or "—")
    reason = _text(reason, _("利害关系"))
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(
            inspector=inspector, subject=subject, defaults={"reason": reason}
        )
        if not created:
            raise refused("duplicate", _("已申报过与该主体的利害关系。"))
        audit.record("inspections.declare_conflict", conflict, actor=user)
    return conflict


def pool_of() -> list[dict[str, str | None]]:
    """The target directory as the draw reads it (every active target; a directed plan narrows it in the draw)."""
    rows = Target.objects.filter(active=True).select_related("subject")
    return [
        {
            "id": t.draw_id,
            "credit_grade": t.credit_grade,
            "risk_level": t.risk_level,
            "pool": t.pool,
            "last_checked": t.last_checked.isoformat() if t.last_checked else None,
            "sector": t.sector,
            "region": t.region or None,
            "type": t.entity_class,
        }
        for t in rows
    ]


def inspectors_of() -> list[dict[str, Any]]:
    """The inspector directory as the draw reads it: qualification, specialties and declared conflicts by draw id."""
    targets = {t.subject_id: t.draw_id for t in Target.objects.select_related("subject")}
    conflicts: dict[int, list[str]] = {}
    for c in Conflict.objects.all():
        if c.subject_id in targets:
            conflicts.setdefault(c.inspector_id, []).append(targets[c.subject_id])
    return [
        {
            "id": i.draw_id,
            "qualified": i.qualified,
            "specialties": list(i.specialties),
            "conflicts": sorted(conflicts.get(i.pk, [])),
        }
        for i in Inspector.objects.order_by("pk")
    ]
