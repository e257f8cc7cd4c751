"""Plans (D1, D4, D6, D9): items, scope (a directed draw narrows by sector, region, type) and the ratio table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.proofs import draw as drawing

from ..models import (
    InspectionItem,
    Plan,
)
from ._common import InLanguage, _text, refused

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
