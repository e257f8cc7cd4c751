"""The agency grade, framework-free: start 100, deductions and bonuses each tied to evidence, grades A+ to D."""

from __future__ import annotations

import pytest

from artrights.core.errors import BilingualError
from artrights.credit.grading import BONUS, DEDUCTION, Evidence, Indicator, Scale, evaluate

INDICATORS = {
    "abnormal": Indicator("abnormal", DEDUCTION, 10, cap=40),
    "stop_business": Indicator("stop_business", DEDUCTION, 60),
    "revoked": Indicator("revoked", DEDUCTION, 100),
    "workload": Indicator("workload", DEDUCTION, 15),
    "honour": Indicator("honour", BONUS, 5, cap=10),
}


def test_an_agency_without_evidence_keeps_its_hundred_points_and_an_a():
    result = evaluate(INDICATORS, [])
    assert (result.score, result.bonus, result.grade, result.lines) == (100, 0, "A", ())


def test_each_deduction_names_its_evidence_and_the_grade_follows_the_score():
    result = evaluate(INDICATORS, [Evidence("workload", "CR-2026-00000001")])
    assert (result.score, result.grade) == (85, "B")
    assert result.lines[0].indicator == "workload" and result.lines[0].references == ("CR-2026-00000001",)
    assert evaluate(INDICATORS, [Evidence("abnormal", f"CR-{i}") for i in range(3)]).grade == "C"  # 70
    assert evaluate(INDICATORS, [Evidence("stop_business", "责令停业〔2026〕1号")]).grade == "D"  # 40


def test_abnormal_applications_deduct_at_most_forty_points():
    result = evaluate(INDICATORS, [Evidence("abnormal", f"CR-{i}") for i in range(9)])
    assert result.score == 60 and result.lines[0].capped and len(result.lines[0].references) == 9


def test_a_revoked_licence_takes_every_point_and_the_score_never_goes_below_zero():
    result = evaluate(INDICATORS, [Evidence("revoked", "吊销〔2026〕1号"), Evidence("workload", "x")])
    assert (result.score, result.grade, result.deducted) == (0, "D", 115)


def test_an_a_with_enough_bonus_is_an_a_plus_and_a_b_with_a_bonus_stays_a_b():
    assert evaluate(INDICATORS, [Evidence("honour", "表彰〔2026〕3号")]).grade == "A+"
    with_deduction = evaluate(INDICATORS, [Evidence("honour", "表彰"), Evidence("workload", "CR-1")])
    assert (with_deduction.score, with_deduction.bonus, with_deduction.grade) == (85, 5, "B")
    assert evaluate(INDICATORS, [Evidence("honour", "a")], Scale(a_plus_bonus=10)).grade == "A"


def test_the_same_evidence_counted_twice_counts_once():
    result = evaluate(INDICATORS, [Evidence("workload", "CR-1"), Evidence("workload", "CR-1")])
    assert result.score == 85


def test_evidence_for_an_unknown_indicator_is_refused_in_both_languages():
    with pytest.raises(BilingualError) as refused:
        evaluate(INDICATORS, [Evidence("invented", "CR-1")])
    assert refused.value.code == "unknown_indicator"
    assert "invented" in refused.value.message_zh and "does not exist" in refused.value.message_en


def test_a_scale_whose_floors_are_out_of_order_is_refused():
    with pytest.raises(BilingualError):
        Scale(a=70, b=80)
    with pytest.raises(BilingualError):
        Indicator("x", "penalty", 5)
