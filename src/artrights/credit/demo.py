"""Credit's part of the demo data (``artrights demo``): subjects, records, listed parties and graded agencies.

Made by the demo supervisor, agency and partner through the services, after the registry's demo (a listing
would otherwise stop the demo agency's filings). The copier whose cropped painting screening held is on the
Guangdong serious list, so the registrar sees the credit flag on that application; another agency is on the CNIPA
list; the demo agency has two records (one under objection, one with a repair waiting) and a grade of C; a third
agency holds an A+ for an honour; the partner has queried the listed agency once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from artrights.accounts.models import Role
from artrights.core.audit import context as audit_context
from artrights.core.identifiers import compose_uscc, resident_id_check_char
from artrights.core.services import PartyInput

from . import services
from .models import CreditSubject, ListEntry

_PENGCHENG = compose_uscc("9", "1", "440300", "MA5D7K06")
_YOUXIN = compose_uscc("9", "1", "440300", "MA5D7K07")
_QIAN_ID = "44030319820315003" + resident_id_check_char("44030319820315003")


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _record(user: Any, subject: CreditSubject, behaviour: str, decision: str, days: int, facts: str) -> Any:
    data = services.RecordInput(
        behaviour_code=behaviour,
        source_dept="国家知识产权局" if not behaviour.startswith("GD_") else "深圳市市场监督管理局",
        decision_no=decision,
        decided_on=_ago(days),
        facts=facts,
    )
    return services.record_conduct(user=user, subject=subject, data=data)


def _list(
    user: Any, subject: CreditSubject, records: list[Any], list_type: str, basis: str, decision: str
) -> ListEntry:
    entry = services.propose_listing(
        user=user, subject=subject, list_type=list_type, records=records, basis=basis, decision_no=decision
    )
    return services.decide_listing(
        user=user, entry=entry, list_it=True, waived=True, note="当事人于告知当日书面放弃陈述申辩。"
    )


def load(users: Mapping[str, Any], *, held_owner: PartyInput | None = None) -> list[CreditSubject]:
    """Create credit's demo data for the demo accounts (``users`` by role); returns the subjects. ``held_owner``:
    the owner of the registry demo's held copy, put on a list so the registrar's review page shows the flag."""
    supervisor, agent, partner = users[Role.SUPERVISOR], users[Role.AGENCY], users[Role.PARTNER]
    with audit_context(actor=supervisor, via="cli"):
        own = agent.organisation
        demo_agency = services.register_subject(
            user=supervisor,
            code=own.uscc,
            name=own.name,
            subject_type="legal_person",
            legal_rep="王代理",
            is_agency=True,
        )
        penalty = _record(
            supervisor, demo_agency, "AGENCY_PENALTY", "国知罚〔2026〕18号", 130, "未按规定办理委托手续即代为提交申请。"
        )
        abnormal = _record(
            supervisor, demo_agency, "ABN_PATENT", "国知发〔2026〕52号", 160, "代理提交非正常专利申请 6 件。"
        )
        pengcheng = services.register_subject(
            user=supervisor,
            code=_PENGCHENG,
            name="深圳市鹏城专利代理有限公司（示例）",
            subject_type="legal_person",
            legal_rep="钱鹏",
            is_agency=True,
            principals=[services.PrincipalInput("legal_rep", "钱鹏", _QIAN_ID)],
        )
        first = _record(supervisor, pengcheng, "ABN_PATENT", "国知发〔2026〕61号", 40, "代理提交非正常专利申请 40 件。")
        second = _record(supervisor, pengcheng, "MAL_TM", "国知发〔2026〕77号", 20, "代理恶意商标注册申请 12 件。")
        _list(
            supervisor,
            pengcheng,
            [first, second],
            "cnipa_dishonest",
            "一年内两次代理非正常申请，情节严重。",
            "国知失信〔2026〕9号",
        )
        subjects = [demo_agency, pengcheng]
        if held_owner is not None:
            copier = services.register_subject(
                user=supervisor, code=held_owner.id_number, name=held_owner.name, subject_type="natural"
            )
            infringement = _record(
                supervisor,
                copier,
                "GD_WILFUL_INFRINGE",
                "深市监罚〔2026〕203号",
                25,
                "在网店销售复制的大芬村油画作品。",
            )
            _list(
                supervisor,
                copier,
                [infringement],
                "gd_serious",
                "故意侵犯美术作品著作权，严重破坏公平竞争。",
                "粤知失信〔2026〕4号",
            )
            subjects.append(copier)
        youxin = services.register_subject(
            user=supervisor,
            code=_YOUXIN,
            name="深圳市优信知识产权代理有限公司（示例）",
            subject_type="legal_person",
            is_agency=True,
        )
        services.add_evidence(
            user=supervisor,
            subject=youxin,
            indicator_code="B_HONOUR",
            reference="深知表〔2026〕3号",
            dated=_ago(60),
            note="年度知识产权服务优秀机构",
        )
    with audit_context(actor=agent, via="cli"):
        services.file_objection(
            user=agent, record=penalty, ground="error", text="委托手续已于次日补齐，处罚决定所述事实有误，附补正材料。"
        )
        services.ask_repair(
            user=agent, record=abnormal, measures_taken="已撤回全部非正常申请，完成合规培训并作出信用承诺。"
        )
    with audit_context(actor=partner, via="cli"):
        services.query_status(
            user=partner,
            code=_PENGCHENG,
            purpose="procurement",
            authority="《政府采购法》第二十二条、发改财金〔2018〕1702号",
            authorisation_ref="深采审〔2026〕88号",
            via="web",
        )
    return [*subjects, youxin]
