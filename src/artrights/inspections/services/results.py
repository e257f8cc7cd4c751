"""Results (D10): entered by the assigned inspector, reviewed, published within 20 working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.selectors import working_calendar
from artrights.proofs.statements import StatementType

from .. import statements
from ..models import (
    PLAN_FLOW,
    RESULT_FLOW,
    VIOLATIONS,
    Assignment,
    Outcome,
    Plan,
    Pool,
    Result,
    ResultStatus,
)
from ._common import RESULT_WORKING_DAYS, _text, refused

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


# The credit catalogue's behaviour a published spot-check penalty is recorded as (§4.1 D5/D10: results link to the
# credit system).
PENALTY_BEHAVIOUR = "SPOT_CHECK_PENALTY"


def review_result(
    *,
    user: Any,
    result: Result,
    publish: bool,
    opinion: str = "",
    penalty_decision_no: str = "",
    penalty_dept: str = "",
) -> Result:
    """Publish a result (public page, public log; the target's last check and, on a violation, the key pool), or
    return it to the inspector with the reason. A result of a case opened (立案查处) whose penalty decision is
    given becomes the target's credit record in the same transaction."""
    require(user, "review", result)
    opinion = _text(opinion, _("审核意见"), limit=500, required=not publish)
    penalty_decision_no = _text(penalty_decision_no, _("行政处罚决定书文号"), limit=100, required=False)
    penalty_dept = _text(penalty_dept, _("作出处罚的部门"), limit=200, required=False)
    if penalty_decision_no and not publish:
        raise refused("penalty_on_return", _("退回的检查结果不能录入信用记录。"))
    if penalty_decision_no and result.outcome != Outcome.CASE:
        raise refused("penalty_outcome", _("只有“立案查处”的检查结果可以依处罚决定录入信用记录。"))
    if penalty_decision_no and not penalty_dept:
        raise refused("penalty_dept", _("请填写作出处罚的部门。"))
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
        if publish and penalty_decision_no:
            _record_penalty(user, result, decision_no=penalty_decision_no, dept=penalty_dept)
        audit.record("inspections.publish_result" if publish else "inspections.return_result", result, actor=user)
        if publish:
            _complete_when_all_published(result)
    return result


def _record_penalty(user: Any, result: Result, *, decision_no: str, dept: str) -> None:
    from artrights.credit import services as credit

    record = credit.record_conduct(
        user=user,
        subject=result.target.subject,
        data=credit.RecordInput(
            behaviour_code=PENALTY_BEHAVIOUR,
            source_dept=dept,
            decision_no=decision_no,
            decided_on=timezone.localdate(),
            facts=str(_("抽查 %(draw)s：%(findings)s")) % {"draw": result.draw.number, "findings": result.findings},
        ),
    )
    result.credit_record_number = record.number
    result.save(update_fields=["credit_record_number"])


def _complete_when_all_published(result: Result) -> None:
    """The plan is completed once every target of its standing draw has a published result (§4.3)."""
    draw = result.draw
    drawn = draw.assignments.values("target").distinct().count()
    published = draw.results.filter(status=ResultStatus.PUBLISHED).count()
    plan = Plan.objects.select_for_update().get(pk=draw.plan_id)
    if published >= drawn and PLAN_FLOW.can(plan, "complete"):
        PLAN_FLOW.apply(plan, "complete")
        plan.save(update_fields=["status"])
        audit.record("inspections.complete_plan", plan)
