"""Writes for "double random" supervision: directories, plans, commitments, draws, recusals and results.

Every function checks access first and writes the audit log and the public log in one transaction, so a refused
draw (the pool changed after the commitment, a reveal that does not match) changes nothing. The draw itself is
``proofs/draw.py``: the same code ``artrights verify DRAW.json`` runs offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.accounts.models import Role
from artrights.core import audit
from artrights.core.errors import BilingualError
from artrights.core.messages import in_user_language
from artrights.core.selectors import working_calendar
from artrights.core.services import notify
from artrights.core.validators import validate_plain_text
from artrights.credit.models import IN_FORCE, CreditRecord, CreditSubject, EntryStatus, Evaluation, ListEntry
from artrights.ledger import services as ledger
from artrights.proofs import draw as drawing
from artrights.proofs.statements import StatementType

from . import statements
from .models import (
    DRAW_FLOW,
    PLAN_FLOW,
    RESULT_FLOW,
    VIOLATIONS,
    Assignment,
    Conflict,
    Draw,
    DrawStatus,
    EntityClass,
    InspectionItem,
    Inspector,
    Outcome,
    Plan,
    Pool,
    Result,
    ResultStatus,
    Target,
)
from .notifications import ASSIGNED

RESULT_WORKING_DAYS = 20  # D10: from the check to publication


@dataclass(frozen=True)
class InLanguage:
    """A framework-free refusal as a parameter of a gettext message: it reads in the language active when shown."""

    error: BilingualError

    def __str__(self) -> str:
        return in_user_language(self.error)


def refused(code: str, message: Any, /, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _text(value: str, label: Any, *, limit: int = 300, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise refused("required", _("请填写%(field)s。"), field=label)
    try:
        validate_plain_text(text, multiline=True)
    except ValidationError as exc:
        raise refused("hidden_characters", _("%(field)s：%(reason)s"), field=label, reason=exc.messages[0]) from None
    return text[:limit]


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


# --- plans ---------------------------------------------------------------------------------------------------


def default_ratios() -> dict[str, str]:
    """Every stratum's default ratio: D9 (Daqing) by credit grade for the general pool, 100 % for the key pool."""
    table = {}
    for grade, ratio in drawing.DEFAULT_GRADE_RATIOS.items():
        for risk in ("1", "2", "3", "4"):
            table[f"general/{grade}/{risk}"] = ratio
            table[f"key/{grade}/{risk}"] = drawing.KEY_POOL_RATIO
    return dict(sorted(table.items()))


def parse_ratio_lines(text: str) -> dict[str, str]:
    """``stratum = ratio`` lines (e.g. ``general/B/2 = 0.25``) over the defaults; refused with the line at fault."""
    table = default_ratios()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        stratum, sep, ratio = line.partition("=")
        stratum, ratio = stratum.strip(), ratio.strip()
        if not sep or stratum not in table:
            raise refused(
                "ratio_line", _("第 %(n)d 行不是“分层 = 比例”（分层如 general/B/2）：%(line)s"), n=number, line=line
            )
        try:
            drawing.parse_ratio(ratio)
        except drawing.DrawError as exc:
            raise refused("ratio", _("第 %(n)d 行：%(reason)s"), n=number, reason=InLanguage(exc)) from None
        table[stratum] = ratio
    return table


def _next_plan_number(year: int) -> str:
    used = Plan.objects.select_for_update().filter(year=year).count()
    return f"SJ-{year}-{used + 1:04d}"


def create_plan(
    *,
    user: Any,
    name: str,
    year: int,
    dept: str,
    items: Iterable[InspectionItem],
    directed: Mapping[str, Iterable[str]] | None = None,
    ratio_lines: str = "",
    recent_window_days: int = 365,
    recent_weight: int = 500,
    inspectors_per_target: int = drawing.MIN_INSPECTORS,
    specialty: str = "",
) -> Plan:
    """A spot-check plan with its items, scope (a directed draw narrows by sector, region, type) and ratios."""
    require(user, "create", Plan)
    chosen = list(items)
    if not chosen:
        raise refused("no_items", _("抽查计划至少要有一项随机抽查事项（没有法定依据不得检查）。"))
    scope = {k: sorted({v.strip() for v in vs if v.strip()}) for k, vs in (directed or {}).items()}
    scope = {k: v for k, v in scope.items() if v}
    ratios = parse_ratio_lines(ratio_lines)
    # Checked as the draw will read it; a DrawError says what is wrong in both languages.
    drawing.DrawPlan(
        "check",
        ratios,
        timezone.localdate().isoformat(),
        directed=scope,
        recent_window_days=recent_window_days,
        recent_weight=recent_weight,
        inspectors_per_target=inspectors_per_target,
        specialty=specialty or None,
    )
    with transaction.atomic():
        plan = Plan.objects.create(
            number=_next_plan_number(year),
            name=_text(name, _("计划名称"), limit=200),
            year=year,
            dept=_text(dept, _("实施部门"), limit=200),
            directed=scope,
            ratios=ratios,
            recent_window_days=recent_window_days,
            recent_weight=recent_weight,
            inspectors_per_target=inspectors_per_target,
            specialty=specialty.strip(),
            created_by=user,
        )
        plan.items.set(chosen)
        audit.record("inspections.create_plan", plan, actor=user)
    return plan


def draw_plan(plan: Plan, reference: dt.date) -> drawing.DrawPlan:
    return drawing.DrawPlan(
        plan.number,
        dict(plan.ratios),
        reference.isoformat(),
        directed={k: list(v) for k, v in plan.directed.items()},
        recent_window_days=plan.recent_window_days,
        recent_weight=plan.recent_weight,
        inspectors_per_target=plan.inspectors_per_target,
        specialty=plan.specialty or None,
    )


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


def _locked_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def commit(*, user: Any, plan: Plan, reason: str = "", keep_secret: bool = False) -> tuple[Draw, str]:
    """Freeze the pool and commit to a fresh random secret, in the public log before anything is drawn.

    A plan already drawn is drawn again only through here, with a reason: the new attempt and its reason are in the
    log, so nobody re-draws quietly. Returns the draw and, when ``keep_secret``, the secret for the committer to
    keep (the platform then stores only the commitment and the secret must be entered at the draw)."""
    plan.refresh_from_db(fields=["status"])
    again = plan.status != "planned"
    require(user, "redraw" if again else "commit", plan)
    if again:
        reason = _text(reason, _("重新抽取的理由"), limit=500)
    given = plan
    with transaction.atomic():
        plan = _locked_plan(plan)
        previous = plan.draws.exclude(status=DrawStatus.SUPERSEDED).order_by("-attempt").first()
        PLAN_FLOW.apply(plan, "redraw" if again else "commit")
        pool = pool_of()
        if not pool:
            raise refused("empty_pool", _("检查对象名录库为空，先从信用主体生成名录。"))
        rules = draw_plan(plan, timezone.localdate())
        missing = sorted({drawing.stratum_of(t) for t in pool if rules.selects(t)} - set(rules.ratios))
        if missing:
            raise drawing.UnknownStratum(missing[0])
        pool_hash = drawing.pool_snapshot_hash(pool)
        secret = drawing.new_secret()
        attempt = plan.draws.count() + 1
        now = timezone.now()
        statement = statements.base(StatementType.INSPECTION_COMMIT, f"{plan.number}#{attempt}", now)
        statement.update(
            {
                "plan": {**rules.to_json(), "reference_date": None},
                "items": sorted(plan.items.values_list("code", flat=True)),
                "attempt": attempt,
                "pool_hash": pool_hash,
                "pool_size": len(pool),
                "commitment": drawing.commitment(secret),
                "reason": reason,
            }
        )
        if previous is not None:
            statement["refers_to"] = {"log_index": previous.commit_log_index}
            DRAW_FLOW.apply(previous, "supersede")
            previous.save(update_fields=["status"])
        found = Draw.objects.create(
            plan=plan,
            attempt=attempt,
            reason=reason,
            pool_hash=pool_hash,
            pool_size=len(pool),
            commitment=drawing.commitment(secret),
            sealed_secret="" if keep_secret else secret.hex(),
            commit_log_index=statements.append(statement),
            committed_by=user,
            committed_at=now,
        )
        plan.save(update_fields=["status"])
        audit.record("inspections.commit", found, actor=user, changes={"attempt": attempt, "reason": reason})
    given.status = plan.status
    return found, secret.hex() if keep_secret else ""


def current_draw(plan: Plan) -> Draw | None:
    return plan.draws.exclude(status=DrawStatus.SUPERSEDED).order_by("-attempt").first()


def checkpoint_after(found: Draw) -> tuple[str, str]:
    """A signed log checkpoint that covers the commitment: a public value that did not exist when it was made."""
    checkpoint = ledger.publish_checkpoint()
    if checkpoint.size <= found.commit_log_index:
        checkpoint = ledger.publish_checkpoint(force=True)
    source = (
        f"公开日志第 {checkpoint.seq} 号检查点（{checkpoint.size} 条记录，晚于第 {found.commit_log_index} 条承诺）/ "
        f"log checkpoint {checkpoint.seq} ({checkpoint.size} entries, after commitment entry {found.commit_log_index})"
    )
    return checkpoint.body, source


def execute(*, user: Any, plan: Plan, public_value: str = "", public_source: str = "", secret_hex: str = "") -> Draw:
    """Reveal the secret, mix it with the public value and draw targets and inspectors (``proofs/draw.py``).

    Without a public value given, a log checkpoint signed after the commitment is used. The pool is read afresh:
    if it differs from the committed snapshot, the draw is refused (``draw.pool_changed``), as is a secret that does
    not open the commitment (``draw.reveal_mismatch``); either way nothing changes."""
    plan.refresh_from_db(fields=["status"])
    require(user, "draw", plan)
    found = current_draw(plan)
    if found is None or found.status != DrawStatus.COMMITTED:
        raise refused("not_committed", _("该计划没有待抽取的承诺。"))
    public_value, public_source = (public_value or "").strip(), (public_source or "").strip()
    if public_value and not public_source:
        raise refused("source", _("请注明公开随机值的来源（例如：次一交易日深证成指收盘点位，发布机构和网址）。"))
    if not public_value:
        public_value, public_source = checkpoint_after(found)
    else:
        public_source = _text(public_source, _("公开随机值来源"))
    secret_text = (secret_hex or found.sealed_secret).strip().lower()
    try:
        secret = bytes.fromhex(secret_text)
    except ValueError:
        raise refused("secret", _("随机秘密应为 64 位十六进制字符。")) from None
    given = plan
    with transaction.atomic():
        plan = _locked_plan(plan)
        found = Draw.objects.select_for_update().get(pk=found.pk)
        now = timezone.now()
        record = drawing.run_draw(
            plan=draw_plan(plan, found.committed_at.date()),
            pool=pool_of(),
            inspectors=inspectors_of(),
            secret=secret,
            public_value=public_value,
            public_source=public_source,
            committed_pool_hash=found.pool_hash,
            committed_secret=found.commitment,
            drawn_at=now.isoformat(timespec="seconds"),
        )
        PLAN_FLOW.apply(plan, "draw")
        DRAW_FLOW.apply(found, "draw")
        statement = statements.base(StatementType.INSPECTION_DRAW, found.number, now)
        statement.update(
            {
                "refers_to": {"log_index": found.commit_log_index},
                "secret": record["secret"],
                "public_value": public_value,
                "public_source": public_source,
                "seed": record["seed"],
                "result_hash": record["result_hash"],
                "drawn": len(record["drawn"]),
                "assignments_hash": statements.sha256_of(record["assignments"]),
            }
        )
        found.public_value, found.public_source = public_value, public_source
        found.record, found.result_hash, found.drawn_count = record, record["result_hash"], len(record["drawn"])
        found.draw_log_index, found.drawn_by, found.drawn_at = statements.append(statement), user, now
        found.sealed_secret = ""
        found.save()
        plan.save(update_fields=["status"])
        _make_assignments(found, record["assignments"])
        audit.record("inspections.draw", found, actor=user, changes={"drawn": len(record["drawn"])})
    given.status = plan.status
    return found


def _make_assignments(found: Draw, teams: Mapping[str, list[str]]) -> None:
    targets = {t.draw_id: t for t in Target.objects.select_related("subject")}
    inspectors = {i.draw_id: i for i in Inspector.objects.select_related("user")}
    rows = [
        Assignment(draw=found, target=targets[target], inspector=inspectors[member])
        for target, team in teams.items()
        for member in team
    ]
    Assignment.objects.bulk_create(rows)
    for inspector_id in sorted({m for team in teams.values() for m in team}):
        inspector = inspectors[inspector_id]
        count = sum(inspector_id in team for team in teams.values())
        notify(
            recipients=[inspector.user],
            kind=ASSIGNED.key,
            subject=found,
            params={"plan": found.plan.number, "count": count},
            url=reverse("inspections:mine"),
        )


def recuse(*, user: Any, assignment: Assignment, reason: str) -> Assignment:
    """An assigned inspector withdraws (回避); the slot is redrawn from the same seed, recorded with the reason."""
    require(user, "recuse", assignment)
    reason = _text(reason, _("回避理由"))
    with transaction.atomic():
        found = Draw.objects.select_for_update().get(pk=assignment.draw_id)
        assignment = Assignment.objects.select_related("target__subject", "inspector").get(pk=assignment.pk)
        if not assignment.active:
            raise refused("not_active", _("该指派已经调整过。"))
        leaving = drawing.Recusal(assignment.target.draw_id, assignment.inspector.draw_id, reason)
        record = drawing.with_recusals(found.record or {}, [leaving])
        replacement_id = record["recusals"][-1]["replacement"]
        replacement = next(i for i in Inspector.objects.all() if i.draw_id == replacement_id)
        now = timezone.now()
        assignment.active, assignment.recusal_reason = False, reason
        assignment.adjusted_at, assignment.replaced_by = now, replacement
        assignment.save()
        new = Assignment.objects.create(draw=found, target=assignment.target, inspector=replacement)
        statement = statements.base(StatementType.INSPECTION_RECUSAL, found.number, now)
        statement.update(
            {
                "refers_to": {"log_index": found.draw_log_index},
                "target": leaving.target,
                "inspector": leaving.inspector,
                "replacement": replacement_id,
                "reason_sha256": statements.sha256_of(reason),
                "assignments_hash": statements.sha256_of(record["assignments"]),
            }
        )
        statements.append(statement)
        found.record = record
        found.save(update_fields=["record"])
        audit.record(
            "inspections.recuse", assignment, actor=user, changes={"reason": reason, "replacement": replacement_id}
        )
        notify(
            recipients=[replacement.user],
            kind=ASSIGNED.key,
            subject=found,
            params={"plan": found.plan.number, "count": 1},
            url=reverse("inspections:mine"),
        )
    return new


# --- results -------------------------------------------------------------------------------------------------


def enter_result(
    *, user: Any, assignment: Assignment, check_date: dt.date, outcome: str, findings: str, follow_up: str = ""
) -> Result:
    """An assigned inspector enters the result of checking a drawn target ("谁检查、谁录入"); it waits for review."""
    if not (assignment.active and assignment.inspector.user_id == getattr(user, "pk", None)):
        raise PermissionDenied(_("只有被抽中指派到该对象的检查人员才能录入检查结果（谁检查、谁录入）。"))
    require(user, "enter_result", assignment)
    if outcome not in Outcome.values:
        raise refused("outcome", _("检查结果无效：%(value)s"), value=outcome)
    if check_date > timezone.localdate():
        raise refused("future", _("检查日期不能晚于今天。"))
    drawn_at = assignment.draw.drawn_at
    if drawn_at is not None and check_date < timezone.localtime(drawn_at).date():
        raise refused("before_draw", _("检查日期不能早于抽取日期。"))
    findings = _text(findings, _("检查情况"), limit=2000)
    follow_up = _text(follow_up, _("后续处置"), required=False)
    due = working_calendar().add_working_days(check_date, RESULT_WORKING_DAYS)
    with transaction.atomic():
        result = Result.objects.select_for_update().filter(draw=assignment.draw, target=assignment.target).first()
        fields = {
            "check_date": check_date,
            "outcome": outcome,
            "findings": findings,
            "follow_up": follow_up,
            "publish_due": due,
            "entered_by": user,
            "entered_at": timezone.now(),
        }
        if result is None:
            result = Result.objects.create(draw=assignment.draw, target=assignment.target, **fields)
        else:
            RESULT_FLOW.apply(result, "enter")
            for name, value in fields.items():
                setattr(result, name, value)
            result.save()
        audit.record("inspections.enter_result", result, actor=user)
    return result


def review_result(*, user: Any, result: Result, publish: bool, opinion: str = "") -> Result:
    """Publish a result (public page, public log; the target's last check and, on a violation, the key pool), or
    return it to the inspector with the reason."""
    require(user, "review", result)
    opinion = _text(opinion, _("审核意见"), limit=500, required=not publish)
    with transaction.atomic():
        result = Result.objects.select_for_update().select_related("target").get(pk=result.pk)
        RESULT_FLOW.apply(result, "publish" if publish else "return")
        result.audit_opinion, result.audited_by = opinion, user
        if publish:
            now = timezone.now()
            result.published_at = now
            statement = statements.base(StatementType.INSPECTION_RESULT, result.draw.number, now)
            statement.update(
                {
                    "refers_to": {"log_index": result.draw.draw_log_index},
                    "target": result.target.draw_id,
                    "outcome": result.outcome,
                    "check_date": result.check_date.isoformat(),
                    "content_sha256": statements.sha256_of(
                        {"findings": result.findings, "follow_up": result.follow_up}
                    ),
                }
            )
            result.log_index = statements.append(statement)
            target = result.target
            target.last_checked = max(filter(None, [target.last_checked, result.check_date]))
            if result.outcome in VIOLATIONS:
                target.pool = Pool.KEY  # D11: a violation puts the entity in the key pool
            target.save(update_fields=["last_checked", "pool", "updated_at"])
        result.save()
        audit.record("inspections.publish_result" if publish else "inspections.return_result", result, actor=user)
    return result


__all__ = [
    "ResultStatus",
    "add_inspector",
    "commit",
    "create_plan",
    "declare_conflict",
    "enter_result",
    "execute",
    "recuse",
    "review_result",
    "sync_targets",
    "update_target",
]
