"""Test data for inspections: a directory built from credit subjects, inspectors, a plan and its draw, all made
through the app's own services."""

from __future__ import annotations

import itertools
from typing import Any

from artrights.accounts.services import create_user
from artrights.credit.tests import factories as credit
from artrights.inspections import services
from artrights.inspections.models import Draw, InspectionItem, Inspector, Plan
from artrights.testing import TEST_PASSWORD

_serials = itertools.count(1)


def item(code: str = "") -> InspectionItem:
    found, _ = InspectionItem.objects.get_or_create(
        code=code or "BQ-01",
        defaults={
            "name": "著作权保护情况检查",
            "legal_basis": "《中华人民共和国著作权法》第五十五条",
            "dept": "深圳市市场监督管理局",
        },
    )
    return found


def directory(supervisor: Any, *, companies: int = 12, listed: int = 1) -> list[Any]:
    """``companies`` credit subjects in the target directory; the first ``listed`` have a record in force (key pool)."""
    subjects = [credit.subject(supervisor) for _ in range(companies)]
    for subject in subjects[:listed]:
        credit.record(supervisor, subject)
    services.sync_targets(user=supervisor)
    return subjects


def inspector(supervisor: Any, *, name: str = "", user: Any = None, qualification: str = "") -> Inspector:
    serial = next(_serials)
    account = user or create_user(
        username=f"inspector-{serial}", role="inspector", password=TEST_PASSWORD, display_name=name or f"检查员{serial}"
    )
    return services.add_inspector(
        user=supervisor,
        account=account,
        dept="深圳市市场监督管理局",
        qualification=qualification or f"44030020{serial:04d}",
        specialties=["copyright"],
    )


def inspectors(supervisor: Any, n: int = 4) -> list[Inspector]:
    return [inspector(supervisor) for _ in range(n)]


def plan(supervisor: Any, **kw: Any) -> Plan:
    return services.create_plan(
        user=supervisor,
        name=kw.pop("name", "2026 年度著作权保护双随机抽查"),
        year=kw.pop("year", 2026),
        dept="深圳市市场监督管理局",
        items=[item()],
        **kw,
    )


def drawn(supervisor: Any, **kw: Any) -> Draw:
    """A plan committed and drawn (the public value: a log checkpoint signed after the commitment)."""
    found = plan(supervisor, **kw)
    services.commit(user=supervisor, plan=found)
    return services.execute(user=supervisor, plan=found)


def some_draw() -> Draw:
    """A drawn draw, made the first time it is asked for (by the API access table, whose world has none)."""
    found = Draw.objects.exclude(record=None).first()
    if found is not None:
        return found
    supervisor = create_user(username=f"draw-supervisor-{next(_serials)}", role="supervisor", password=TEST_PASSWORD)
    directory(supervisor, companies=3, listed=0)
    inspectors(supervisor, 2)
    return drawn(supervisor)
