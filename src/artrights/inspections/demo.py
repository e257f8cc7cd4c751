"""Inspections' part of the demo data (``artrights demo``): a published, verifiable draw.

Made by the demo supervisor and inspector through the services, from the credit subjects credit's demo made plus
eight gallery and framing companies of 大芬村: the target directory (the listed and recorded subjects in the key
pool), three inspectors (one with a declared conflict), the 2026 plan committed and drawn against a log checkpoint
signed after the commitment, and one result entered by the demo inspector and published.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from artrights.accounts.models import Role
from artrights.accounts.services import create_user
from artrights.core.audit import context as audit_context
from artrights.core.identifiers import compose_uscc
from artrights.credit import services as credit
from artrights.credit.models import CreditSubject

from . import services
from .models import Assignment, Draw, InspectionItem

_GALLERIES = ["油画", "画框", "艺术品", "美术用品", "画廊", "装裱", "文创", "版画"]


def _items() -> list[InspectionItem]:
    rows = [
        (
            "BQ-01",
            "美术作品复制品经营者著作权保护情况检查",
            "《中华人民共和国著作权法》第五十三条、第五十五条",
            "on_site",
        ),
        ("BQ-02", "网络销售美术作品的信息网络传播权保护检查", "《信息网络传播权保护条例》第十八条", "online"),
    ]
    return [
        InspectionItem.objects.get_or_create(
            code=code, defaults={"name": name, "legal_basis": basis, "dept": "深圳市市场监督管理局", "method": method}
        )[0]
        for code, name, basis, method in rows
    ]


def load(users: Mapping[str, Any], subjects: Sequence[CreditSubject]) -> Draw:
    """Create inspections' demo data for the demo accounts (``users`` by role) on credit's ``subjects``."""
    supervisor, inspector_user = users[Role.SUPERVISOR], users[Role.INSPECTOR]
    with audit_context(actor=supervisor, via="cli"):
        for n, kind in enumerate(_GALLERIES, start=1):
            credit.register_subject(
                user=supervisor,
                code=compose_uscc("9", "1", "440307", f"MA5DF{n:03d}"),
                name=f"深圳市大芬{kind}有限公司（示例）",
                subject_type="legal_person",
                legal_rep="陈经理",
            )
        services.sync_targets(user=supervisor)
        dept = "深圳市市场监督管理局（示例）"
        team = [
            services.add_inspector(
                user=supervisor,
                account=inspector_user,
                dept=dept,
                qualification="44030020260001",
                specialties=["copyright"],
            )
        ]
        for n, name in enumerate(["刘检查", "黄检查"], start=2):
            account = create_user(
                username=f"inspector-{n}-{inspector_user.username}",
                role=Role.INSPECTOR,
                password=secrets.token_urlsafe(12),
                organisation=inspector_user.organisation,
                display_name=name,
                check_password=False,
            )
            team.append(
                services.add_inspector(
                    user=supervisor,
                    account=account,
                    dept=dept,
                    qualification=f"4403002026000{n}",
                    specialties=["copyright"],
                )
            )
        if subjects:
            services.declare_conflict(
                user=supervisor, inspector=team[2], code=subjects[0].code, reason="配偶在该机构任职（示例）"
            )
        plan = services.create_plan(
            user=supervisor,
            name="2026 年度艺术品市场著作权保护双随机抽查",
            year=timezone.localdate().year,
            dept=dept,
            items=_items(),
        )
        services.commit(user=supervisor, plan=plan)
        found = services.execute(user=supervisor, plan=plan)
    mine = Assignment.objects.filter(draw=found, inspector=team[0], active=True).select_related("target").first()
    if mine is not None:
        with audit_context(actor=inspector_user, via="cli"):
            result = services.enter_result(
                user=inspector_user,
                assignment=mine,
                check_date=timezone.localdate(),
                outcome="rectify",
                findings="店内展销的 3 幅油画复制品未取得著作权人许可，已责令下架。",
                follow_up="责令 15 日内整改",
            )
        with audit_context(actor=supervisor, via="cli"):
            services.review_result(user=supervisor, result=result, publish=True)
    return found
