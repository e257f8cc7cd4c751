"""Mediation's part of the demo data (``artrights demo``): the demo mediator on the roster of the demo mediation
committee, and cases in several states, made by the demo accounts through the services.

The demo artist's disputes are with the demo agency's firm (an organisation party its member answers for):
one application waits for acceptance; one is in mediation with a draft agreement the artist has signed; one ended
in an effective agreement in which the firm confirmed infringement (its signed PDF is made by the worker, and the
supervisor has a credit referral to record). A court's delegated case failed and went back with its referral
package; a court's entrusted case waits for the respondent's answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from artrights.accounts.models import Role
from artrights.core.audit import context as audit_context
from artrights.core.identifiers import compose_uscc
from artrights.core.services import PartyInput
from artrights.evidence.models import EvidenceRecord
from artrights.registry.models import Work

from . import services
from .models import Capacity, Case

COURT = "深圳市龙岗区人民法院"
GALLERY = PartyInput(
    name="深圳市大芬示例画廊有限公司",
    id_type="uscc",
    id_number=compose_uscc("9", "1", "440307", "MA5D7K08"),
    kind="organisation",
)


def _firm(agent: Any) -> PartyInput:
    org = agent.organisation
    return PartyInput(name=org.name, id_type="uscc", id_number=org.uscc, kind="organisation")


def _application(artist: Any, agent: Any, summary: str, claim: str, amount: str, **links: Any) -> Case:
    return services.open_case(
        user=artist,
        data=services.CaseInput(
            dispute_type="infringement",
            summary=summary,
            respondents=[_firm(agent)],
            claims=[(claim, amount)],
            organisation_id=None,
            **links,
        ),
    )


def _mediating(case: Case, admin: Any, agent: Any, mediator: Any) -> Case:
    case = services.decide_acceptance(user=admin, case=case, accept=True)
    case = services.answer(user=agent, case=case, consent=True)
    case = services.appoint(user=admin, case=case, mediator=mediator)
    return services.confirm(user=mediator.user, case=case, accept=True)


def load(users: Mapping[str, Any], works: Sequence[Work], evidence: Sequence[EvidenceRecord]) -> list[Case]:
    """Create mediation's demo data for the demo accounts (``users`` by role); returns the cases."""
    artist, agent = users[Role.ARTIST], users[Role.AGENCY]
    admin, mediator_user = users[Role.MEDIATION_ADMIN], users[Role.MEDIATOR]
    with audit_context(actor=admin, via="cli"):
        mediator = services.enrol(
            user=admin,
            account=mediator_user,
            name=mediator_user.display_name or "李调解",
            specialties=["copyright", "art", "licence"],
            court_rosters=[COURT],
            level="一级调解员",
            training="2026 年深圳市知识产权纠纷调解员培训（40 学时）",
        )
    links = {
        "work_ids": [w.pk for w in works[:1]],
        "evidence_ids": [e.pk for e in evidence[:1]],
    }
    made: list[Case] = []
    with audit_context(actor=artist, via="cli"):
        made.append(
            _application(
                artist,
                agent,
                "对方在电商平台销售印有我的油画《大芬村的清晨》的装饰画。",
                "停止销售、下架商品",
                "",
                **links,
            )
        )
        drafting = _application(artist, agent, "对方在宣传册中使用我的作品。", "赔偿损失", "12000", **links)
        settled = _application(artist, agent, "对方网店商品图复制我的作品。", "停止侵权并赔偿", "20000", **links)
    with audit_context(actor=admin, via="cli"):
        drafting = _mediating(drafting, admin, agent, mediator)
        settled = _mediating(settled, admin, agent, mediator)
    with audit_context(actor=mediator_user, via="cli"):
        services.record_session(
            user=mediator_user,
            case=drafting,
            held_at=timezone.now(),
            mode="online",
            minutes="双方在线陈述意见；被申请人表示愿意协商赔偿。",
            undisputed_facts="被申请人的宣传册第 3 页使用了申请人的作品。",
        )
        draft = services.draft(
            user=mediator_user,
            case=drafting,
            facts="被申请人在宣传册中使用申请人的作品，未取得许可。",
            terms="被申请人停止使用并支付许可费 6000 元。",
            obligations=[
                services.ObligationInput(
                    payer_id=drafting.respondents()[0].pk,
                    due=timezone.localdate() + dt.timedelta(days=20),
                    amount="6000",
                )
            ],
        )
        agreement = services.draft(
            user=mediator_user,
            case=settled,
            facts="被申请人网店的商品图复制了申请人的作品，被申请人确认构成侵权。",
            terms="被申请人下架商品，并于十五日内赔偿申请人 10000 元。",
            infringement_confirmed=True,
            obligations=[
                services.ObligationInput(
                    payer_id=settled.respondents()[0].pk,
                    due=timezone.localdate() + dt.timedelta(days=15),
                    amount="10000",
                    act="下架涉案商品",
                )
            ],
        )
    services.sign(user=artist, agreement=draft, sha256=draft.sha256)
    services.sign(user=artist, agreement=agreement, sha256=agreement.sha256)
    services.sign(user=agent, agreement=agreement, sha256=agreement.sha256)
    services.sign(user=mediator_user, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.MEDIATOR)
    services.sign(user=admin, agreement=agreement, sha256=agreement.sha256, capacity=Capacity.ORGANISATION)
    made += [drafting, settled]

    artist_party = PartyInput(name=artist.party.name, id_type=artist.party.id_type, id_number=artist.party.id_number)
    with audit_context(actor=admin, via="cli"):
        delegated = services.open_case(
            user=admin,
            data=services.CaseInput(
                source="court_delegated",
                dispute_type="licence",
                summary="许可使用费争议，法院立案前委派调解。",
                applicants=[artist_party],
                respondents=[_firm(agent)],
                claims=[("支付许可使用费", "30000")],
                court=COURT,
            ),
        )
        delegated = _mediating(delegated, admin, agent, mediator)
    with audit_context(actor=mediator_user, via="cli"):
        delegated = services.fail(
            user=mediator_user,
            case=delegated,
            reason="big_gap",
            note="双方对许可使用费数额分歧较大。",
            cost_conduct="被申请人两次未按约定时间参加在线调解。",
        )
    with audit_context(actor=admin, via="cli"):
        delegated = services.record_court_step(user=admin, case=delegated, step="transfer_to_court")
        entrusted = services.open_case(
            user=admin,
            data=services.CaseInput(
                source="court_entrusted",
                dispute_type="infringement",
                summary="法院立案后委托调解的著作权侵权纠纷。",
                applicants=[artist_party],
                respondents=[GALLERY],
                claims=[("赔偿损失", "50000")],
                court=COURT,
                court_case_no="（2026）粤0307民初8801号",
                procedure="simple",
            ),
        )
        entrusted = services.decide_acceptance(user=admin, case=entrusted, accept=True)
    return [*made, delegated, entrusted]
