"""The agency credit evaluation (DOMAIN.md §3.3), framework-free: a court, a partner department or a benchmark can
recompute a published grade from its lines without the platform.

Start from a score (100), deduct the points of every piece of negative evidence, each indicator at most its cap;
add the bonus points of honours and contributions beside it. The grade follows the score: A from 90, B from 80,
C from 60, D below; an A with at least the A+ bonus becomes A+. Every line names the indicator and the evidence it
rests on, so nothing in a grade is unexplained. The indicators and the scale are arguments (the platform reads
them from its catalogue and settings), never constants here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from artrights.core.errors import BilingualError

DEDUCTION = "deduction"
BONUS = "bonus"
GRADES = ("A+", "A", "B", "C", "D")


@dataclass(frozen=True)
class Indicator:
    """What one piece of evidence of this indicator is worth, and at most how much all of them are."""

    code: str
    kind: str  # DEDUCTION or BONUS
    points: int
    cap: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in (DEDUCTION, BONUS):
            raise BilingualError(
                "indicator_kind",
                f"指标 {self.code} 的类型只能是扣分或加分。",
                f"Indicator {self.code} must be a deduction or a bonus.",
            )
        if self.points < 0 or (self.cap is not None and self.cap < 0):
            raise BilingualError(
                "indicator_points",
                f"指标 {self.code} 的分值不能为负数。",
                f"Indicator {self.code} cannot have negative points.",
            )


@dataclass(frozen=True)
class Evidence:
    """One fact an indicator counts: a record's number, a list entry's number, a document's reference."""

    indicator: str
    reference: str


@dataclass(frozen=True)
class Scale:
    start: int = 100
    a: int = 90
    b: int = 80
    c: int = 60
    a_plus_bonus: int = 5

    def __post_init__(self) -> None:
        if not (self.start >= self.a >= self.b >= self.c >= 0) or self.a_plus_bonus < 1:
            raise BilingualError(
                "grade_scale",
                "等级分数线须满足：起始分 ≥ A ≥ B ≥ C ≥ 0，A+ 所需加分至少为 1。",
                "Grade floors must satisfy start ≥ A ≥ B ≥ C ≥ 0, and the A+ bonus must be at least 1.",
            )

    def grade(self, score: int, bonus: int) -> str:
        if score >= self.a:
            return "A+" if bonus >= self.a_plus_bonus else "A"
        if score >= self.b:
            return "B"
        return "C" if score >= self.c else "D"


@dataclass(frozen=True)
class Line:
    """An indicator's total in a grade: its points after the cap and the evidence counted."""

    indicator: str
    kind: str
    points: int
    references: tuple[str, ...]
    capped: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "indicator": self.indicator,
            "kind": self.kind,
            "points": self.points,
            "references": list(self.references),
            "capped": self.capped,
        }


@dataclass(frozen=True)
class Result:
    score: int
    bonus: int
    grade: str
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def deducted(self) -> int:
        return sum(line.points for line in self.lines if line.kind == DEDUCTION)


def evaluate(indicators: Mapping[str, Indicator], evidence: Iterable[Evidence], scale: Scale = Scale()) -> Result:
    """The score, bonus and grade that ``evidence`` earns under ``indicators`` and ``scale``.

    Evidence naming an indicator that is not given is refused (a line must never rest on an unknown rule); the
    same reference counted twice for one indicator counts once.
    """
    grouped: dict[str, list[str]] = {}
    for item in evidence:
        if item.indicator not in indicators:
            raise BilingualError(
                "unknown_indicator",
                f"评价材料 {item.reference} 对应的指标 {item.indicator} 不存在或未启用。",
                f"Evidence {item.reference} names indicator {item.indicator}, which does not exist or is not active.",
            )
        references = grouped.setdefault(item.indicator, [])
        if item.reference not in references:
            references.append(item.reference)
    lines = []
    for code in sorted(grouped):
        indicator = indicators[code]
        raw = indicator.points * len(grouped[code])
        points = raw if indicator.cap is None else min(raw, indicator.cap)
        lines.append(Line(code, indicator.kind, points, tuple(sorted(grouped[code])), capped=points < raw))
    deducted = sum(line.points for line in lines if line.kind == DEDUCTION)
    bonus = sum(line.points for line in lines if line.kind == BONUS)
    score = max(0, scale.start - deducted)
    return Result(score=score, bonus=bonus, grade=scale.grade(score, bonus), lines=tuple(lines))
