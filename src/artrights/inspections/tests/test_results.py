"""Recusals after the draw and results: only the assigned inspector enters, a supervisor publishes, the public reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artrights.inspections import services
from artrights.inspections.models import Assignment, Result, Target
from artrights.inspections.tests import factories
from artrights.ledger.models import LogEntry
from artrights.ledger.selectors import statement_at
from artrights.proofs import draw as drawing

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(supervisor, world):
    return factories.drawn(supervisor)


def _first(found):
    return Assignment.objects.filter(draw=found, active=True).select_related("inspector__user", "target").first()


def test_a_recusal_redraws_that_slot_from_the_seed_and_records_why(supervisor, drawn):
    leaving = _first(drawn)
    staying = Assignment.objects.get(draw=drawn, target=leaving.target, active=True, pk__gt=leaving.pk)
    new = services.recuse(user=leaving.inspector.user, assignment=leaving, reason="本人曾在该企业任职")
    leaving.refresh_from_db()
    assert not leaving.active and leaving.recusal_reason == "本人曾在该企业任职"
    assert new.inspector not in (leaving.inspector, staying.inspector) and leaving.replaced_by == new.inspector
    drawn.refresh_from_db()
    (recusal,) = drawn.record["recusals"]
    assert recusal == {
        "target": leaving.target.draw_id,
        "inspector": leaving.inspector.draw_id,
        "reason": "本人曾在该企业任职",
        "replacement": new.inspector.draw_id,
    }
    assert drawing.verify_draw(drawn.record) == []  # the redraw is the seed's, anyone can check it
    assert LogEntry.objects.filter(kind="artrights/inspection-recusal@v1").count() == 1


def test_only_the_assigned_inspector_may_withdraw(supervisor, drawn, people):
    assignment = _first(drawn)
    for someone in (people["inspector"], people["supervisor"], people["artist"]):
        with pytest.raises(PermissionDenied):
            services.recuse(user=someone, assignment=assignment, reason="x")


def test_a_result_from_someone_not_assigned_is_refused_with_the_reason_and_nothing_is_stored(supervisor, drawn, world):
    assignment = _first(drawn)
    outsider = next(
        i
        for i in world["inspectors"]
        if not Assignment.objects.filter(draw=drawn, target=assignment.target, inspector=i, active=True).exists()
    )
    with pytest.raises(PermissionDenied) as exc:
        services.enter_result(
            user=outsider.user,
            assignment=assignment,
            check_date=timezone.localdate(),
            outcome="no_problem",
            findings="未发现问题",
        )
    assert "谁检查、谁录入" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.enter_result(
            user=supervisor, assignment=assignment, check_date=timezone.localdate(), outcome="x", findings="x"
        )
    assert not Result.objects.exists()


def test_an_assigned_inspector_enters_a_result_with_a_deadline_of_20_working_days_and_a_supervisor_publishes_it(
    supervisor, drawn
):
    assignment = _first(drawn)
    today = timezone.localdate()
    result = services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=today,
        outcome="abnormal",
        findings="未按规定公示作品授权信息。",
        follow_up="列入经营异常名录",
    )
    assert result.status == "pending_audit" and result.publish_due > today + dt.timedelta(days=20)
    returned = services.review_result(user=supervisor, result=result, publish=False, opinion="请补充检查照片编号")
    assert returned.status == "returned"
    services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=today,
        outcome="abnormal",
        findings="未按规定公示作品授权信息（照片 3 张）。",
    )
    published = services.review_result(user=supervisor, result=Result.objects.get(), publish=True)
    assert published.status == "published" and statement_at(published.log_index)["outcome"] == "abnormal"
    target = Target.objects.get(pk=assignment.target_id)
    assert target.last_checked == today and target.pool == "key"  # a violation puts it in the key pool


def test_returning_a_result_needs_the_reason(supervisor, drawn):
    assignment = _first(drawn)
    result = services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=timezone.localdate(),
        outcome="no_problem",
        findings="未发现问题。",
    )
    with pytest.raises(ValidationError):
        services.review_result(user=supervisor, result=result, publish=False, opinion="")
    result.refresh_from_db()
    assert result.status == "pending_audit"


def test_an_inspector_with_a_declared_conflict_is_never_assigned_to_that_subject(supervisor, world):
    key = world["subjects"][0]
    for inspector in world["inspectors"][:2]:
        services.declare_conflict(user=inspector.user, inspector=inspector, code=key.code, reason="近亲属持股")
    found = factories.drawn(supervisor)
    team = {a.inspector for a in Assignment.objects.filter(draw=found, target__subject=key)}
    assert len(team) == 2 and not team & set(world["inspectors"][:2])


def test_an_inspector_may_not_declare_a_conflict_for_someone_else(world):
    one, other = world["inspectors"][:2]
    with pytest.raises(PermissionDenied):
        services.declare_conflict(user=one.user, inspector=other, code=world["subjects"][0].code, reason="x")


def test_the_plan_is_completed_once_every_drawn_target_has_a_published_result(supervisor, drawn):
    from artrights.inspections.models import Plan

    targets = {
        a.target_id: a for a in Assignment.objects.filter(draw=drawn, active=True).select_related("inspector__user")
    }
    for n, assignment in enumerate(targets.values()):
        result = services.enter_result(
            user=assignment.inspector.user,
            assignment=assignment,
            check_date=timezone.localdate(),
            outcome="no_problem",
            findings="未发现问题。",
        )
        assert Plan.objects.get(pk=drawn.plan_id).status == "drawn"
        services.review_result(user=supervisor, result=result, publish=True)
        expected = "completed" if n == len(targets) - 1 else "drawn"
        assert Plan.objects.get(pk=drawn.plan_id).status == expected


def test_a_published_case_with_its_penalty_decision_becomes_the_targets_credit_record(supervisor, drawn):
    from artrights.credit.models import CreditRecord

    assignment = _first(drawn)
    result = services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=timezone.localdate(),
        outcome="case",
        findings="销售未经许可复制的油画复制品 40 件。",
        follow_up="立案查处",
    )
    with pytest.raises(ValidationError, match="作出处罚的部门"):
        services.review_result(user=supervisor, result=result, publish=True, penalty_decision_no="深市监罚〔2026〕88号")
    assert (
        Result.objects.get().status == "pending_audit"
        and not CreditRecord.objects.filter(behaviour__code="SPOT_CHECK_PENALTY").exists()
    )
    published = services.review_result(
        user=supervisor,
        result=result,
        publish=True,
        penalty_decision_no="深市监罚〔2026〕88号",
        penalty_dept="深圳市市场监督管理局",
    )
    record = CreditRecord.objects.get(number=published.credit_record_number)
    assert record.subject == assignment.target.subject and record.behaviour.code == "SPOT_CHECK_PENALTY"
    assert record.decision_no == "深市监罚〔2026〕88号" and record.status == "published"


def test_a_penalty_decision_is_refused_for_a_result_that_opened_no_case(supervisor, drawn):
    assignment = _first(drawn)
    result = services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=timezone.localdate(),
        outcome="no_problem",
        findings="未发现问题。",
    )
    with pytest.raises(ValidationError, match="立案查处"):
        services.review_result(
            user=supervisor, result=result, publish=True, penalty_decision_no="深市监罚〔2026〕89号", penalty_dept="x"
        )
    assert Result.objects.get().status == "pending_audit"
