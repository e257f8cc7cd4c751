"""Commitments, draws and recusals: each step in the public log, the draw itself ``proofs/draw.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.services import notify
from artrights.ledger import services as ledger
from artrights.proofs import draw as drawing
from artrights.proofs.statements import StatementType

from .. import statements
from ..models import (
    DRAW_FLOW,
    PLAN_FLOW,
    Assignment,
    Draw,
    DrawStatus,
    Inspector,
    Plan,
    Target,
)
from ..notifications import ASSIGNED
from ._common import _text, refused
from .directories import inspectors_of, pool_of
from .plans import draw_plan


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
        now = timezone.now()
        # The recency window counts back from the commitment's day: the committed plan is the plan drawn.
        rules = draw_plan(plan, timezone.localtime(now).date())
        missing = sorted({drawing.stratum_of(t) for t in pool if rules.selects(t)} - set(rules.ratios))
        if missing:
            raise drawing.UnknownStratum(missing[0])
        pool_hash = drawing.pool_snapshot_hash(pool)
        secret = drawing.new_secret()
        attempt = plan.draws.count() + 1
        statement = statements.base(StatementType.INSPECTION_COMMIT, f"{plan.number}#{attempt}", now)
        statement.update(
            {
                "plan": rules.to_json(),
                "items": sorted(plan.items.values_list("code", flat=True)),
                "attempt": attempt,
                "pool_hash": pool_hash,
                "pool_size": len(pool),
                "commitment": drawing.commitment(secret),
                "inspectors_hash": statements.sha256_of(inspectors_of()),
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
            inspectors_hash=statement["inspectors_hash"],
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
        inspectors = inspectors_of()
        if statements.sha256_of(inspectors) != found.inspectors_hash:
            raise refused(
                "inspectors_changed",
                _("检查人员名录（资格、专业领域、利害关系申报）在承诺之后发生了变化，不得抽取；请重新承诺。"),
            )
        record = drawing.run_draw(
            plan=draw_plan(plan, timezone.localtime(found.committed_at).date()),
            pool=pool_of(),
            inspectors=inspectors,
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
