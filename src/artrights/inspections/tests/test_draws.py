"""Plans, commitments and verifiable draws: the log holds each step, the record re-runs, bad input changes nothing."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from artrights import verify
from artrights.inspections import services
from artrights.inspections.models import Assignment, Draw, Target
from artrights.inspections.tests import factories
from artrights.ledger.models import LogEntry
from artrights.ledger.selectors import statement_at
from artrights.proofs import draw as drawing

pytestmark = pytest.mark.django_db


def test_the_directory_is_built_from_credit_subjects_and_a_record_in_force_puts_one_in_the_key_pool(supervisor, world):
    listed = Target.objects.get(subject=world["subjects"][0])
    other = Target.objects.get(subject=world["subjects"][1])
    assert (listed.pool, listed.credit_grade) == ("key", "C")
    assert (other.pool, other.credit_grade) == ("general", "B")
    assert Target.objects.count() == 12


def test_the_commitment_is_in_the_log_before_the_draw_and_the_draw_reveals_a_secret_that_opens_it(supervisor, world):
    plan = factories.plan(supervisor)
    committed, kept = services.commit(user=supervisor, plan=plan)
    assert kept == ""  # the platform keeps it sealed
    statement = statement_at(committed.commit_log_index)
    assert statement["type"] == "artrights/inspection-commit@v1"
    assert statement["pool_hash"] == committed.pool_hash and statement["commitment"] == committed.commitment
    assert "secret" not in statement and statement["pool_size"] == 12
    found = services.execute(user=supervisor, plan=plan)
    drawn = statement_at(found.draw_log_index)
    assert drawn["refers_to"] == {"log_index": committed.commit_log_index}
    assert drawing.commitment(bytes.fromhex(drawn["secret"])) == committed.commitment
    # The public value is a checkpoint that covers the commitment: it did not exist when the commitment was made.
    assert f"{committed.commit_log_index}" in found.public_source and found.public_value.count("\n") >= 3
    assert drawing.verify_draw(found.record) == []
    assert found.record["pool_hash"] == committed.pool_hash and found.sealed_secret == ""
    # The committed plan is the plan drawn: anyone can match the record to the log entry made before the draw.
    assert statement["plan"] == found.record["plan"]


def test_the_key_pool_is_drawn_in_full_and_each_target_gets_two_inspectors_without_a_conflict(supervisor, world):
    services.declare_conflict(
        user=supervisor, inspector=world["inspectors"][0], code=world["subjects"][0].code, reason="近亲属在该企业任职"
    )
    found = factories.drawn(supervisor)
    key = Target.objects.get(subject=world["subjects"][0])
    assert key.draw_id in found.record["drawn"]
    team = Assignment.objects.filter(draw=found, target=key, active=True)
    assert team.count() == 2 and world["inspectors"][0] not in {a.inspector for a in team}
    for target_id in found.record["drawn"]:
        assert Assignment.objects.filter(draw=found, target__subject__code=target_id).count() == 2


def test_the_downloaded_record_verifies_offline_and_a_tampered_one_is_named(supervisor, world, client, tmp_path):
    found = factories.drawn(supervisor)
    response = client.get(f"/inspections/draws/{found.pk}/record.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    good = tmp_path / "draw.json"
    good.write_bytes(response.content)
    assert verify.main([str(good)]) == 0
    record = json.loads(response.content)
    record["drawn"] = record["drawn"][1:]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    assert verify.main([str(bad)]) == 1


def test_a_pool_changed_after_the_commitment_is_refused_with_the_reason_and_nothing_changes(supervisor, world):
    plan = factories.plan(supervisor)
    committed, _ = services.commit(user=supervisor, plan=plan)
    target = Target.objects.get(subject=world["subjects"][3])
    services.update_target(user=supervisor, target=target, sector="publishing", region="", entity_class="enterprise")
    size = LogEntry.objects.count()
    with pytest.raises(drawing.PoolChanged) as exc:
        services.execute(user=supervisor, plan=plan)
    assert "名录在承诺之后发生了变化" in exc.value.message_zh
    committed.refresh_from_db()
    plan.refresh_from_db()
    assert committed.status == "committed" and committed.record is None and plan.status == "committed"
    assert not Assignment.objects.exists()
    # The checkpoint signed for the draw is no statement: the log holds no draw entry.
    assert not LogEntry.objects.filter(kind="artrights/inspection-draw@v1").exists()
    assert LogEntry.objects.count() == size


def test_a_reveal_that_does_not_match_the_commitment_is_refused(supervisor, world):
    plan = factories.plan(supervisor)
    _, kept = services.commit(user=supervisor, plan=plan, keep_secret=True)
    assert len(kept) == 64 and Draw.objects.get().sealed_secret == ""
    with pytest.raises(drawing.RevealMismatch):
        services.execute(user=supervisor, plan=plan, secret_hex="00" * 32)
    assert Draw.objects.get().status == "committed"
    found = services.execute(user=supervisor, plan=plan, secret_hex=kept)
    assert found.status == "drawn" and found.record["secret"] == kept


def test_a_published_figure_can_be_the_public_value_but_only_with_its_source(supervisor, world):
    plan = factories.plan(supervisor)
    services.commit(user=supervisor, plan=plan)
    with pytest.raises(ValidationError):
        services.execute(user=supervisor, plan=plan, public_value="10234.56")
    found = services.execute(
        user=supervisor, plan=plan, public_value="10234.56", public_source="深证成指 2026-12-01 收盘，深圳证券交易所"
    )
    assert found.record["public_value"] == {"value": "10234.56", "source": "深证成指 2026-12-01 收盘，深圳证券交易所"}


def test_a_second_draw_of_the_same_plan_needs_a_reason_and_is_in_the_log(supervisor, world):
    first = factories.drawn(supervisor)
    plan = first.plan
    with pytest.raises(ValidationError):
        services.commit(user=supervisor, plan=plan)
    second, _ = services.commit(user=supervisor, plan=plan, reason="抽取后发现名录漏录 1 家企业")
    statement = statement_at(second.commit_log_index)
    assert statement["attempt"] == 2 and statement["reason"] == "抽取后发现名录漏录 1 家企业"
    assert statement["refers_to"] == {"log_index": first.commit_log_index}
    first.refresh_from_db()
    assert first.status == "superseded"
    again = services.execute(user=supervisor, plan=plan)
    assert again.attempt == 2 and drawing.verify_draw(again.record) == []
    # Both attempts stay on the public page, the first marked as replaced, the second with its reason.
    assert list(Draw.objects.order_by("attempt").values_list("status", flat=True)) == ["superseded", "drawn"]


def test_nobody_but_a_supervisor_commits_or_draws(people, world, supervisor):
    plan = factories.plan(supervisor)
    for role in ("inspector", "registrar", "artist", "partner"):
        with pytest.raises(PermissionDenied):
            services.commit(user=people[role], plan=plan)


def test_a_stratum_missing_from_the_ratio_lines_is_refused_with_the_line(supervisor, world):
    with pytest.raises(ValidationError) as exc:
        factories.plan(supervisor, ratio_lines="general/B/2 = 0.25\nnot a line")
    assert "第 2 行" in str(exc.value)
    plan = factories.plan(supervisor, ratio_lines="general/B/2 = 1")
    assert plan.ratios["general/B/2"] == "1" and plan.ratios["general/A/1"] == "0.05"


def test_a_directed_draw_only_takes_the_chosen_sector(supervisor, world):
    target = Target.objects.get(subject=world["subjects"][2])
    services.update_target(user=supervisor, target=target, sector="publishing", region="", entity_class="enterprise")
    found = factories.drawn(supervisor, directed={"sector": ["publishing"]}, ratio_lines="general/B/2 = 1")
    assert found.record["drawn"] == [target.draw_id]


def test_an_inspector_directory_changed_after_the_commitment_is_refused_and_a_new_commitment_needs_a_reason(
    supervisor, world
):
    plan = factories.plan(supervisor)
    first, _ = services.commit(user=supervisor, plan=plan)
    services.declare_conflict(
        user=supervisor, inspector=world["inspectors"][1], code=world["subjects"][4].code, reason="曾为该企业提供咨询"
    )
    with pytest.raises(ValidationError) as exc:
        services.execute(user=supervisor, plan=plan)
    assert "检查人员名录" in str(exc.value)
    assert Draw.objects.get().status == "committed" and not Assignment.objects.exists()
    with pytest.raises(ValidationError):
        services.commit(user=supervisor, plan=plan)  # a new attempt says why
    second, _ = services.commit(user=supervisor, plan=plan, reason="承诺后新增利害关系申报")
    assert statement_at(second.commit_log_index)["refers_to"] == {"log_index": first.commit_log_index}
    assert services.execute(user=supervisor, plan=plan).attempt == 2
