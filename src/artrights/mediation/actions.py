"""The moves a case offers, one row per button: the verb that allows it, the form that shapes it, and the service
call. The case page and the API both read this table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import (
    AcceptForm,
    AgreementForm,
    AnswerForm,
    ConfirmationApplyForm,
    ConfirmationStepForm,
    ConfirmForm,
    CourtStepForm,
    DecideRecusalForm,
    ExtensionForm,
    FailForm,
    MediatorChoiceForm,
    PerformanceForm,
    ReasonForm,
    RecusalForm,
    SessionForm,
    SignForm,
)
from .models import (
    Agreement,
    AgreementStatus,
    Case,
    CaseStatus,
    Extension,
    ExtensionStatus,
    JudicialConfirmation,
    Mediator,
    Obligation,
    Recusal,
    RecusalStatus,
)


def _mediator(pk: int | None) -> Mediator | None:
    return get_object_or_404(Mediator, pk=pk) if pk else None


def _agreement(case: Case) -> Agreement:
    return get_object_or_404(Agreement, case=case)


def _recusal(case: Case) -> Recusal:
    return get_object_or_404(Recusal, case=case, status=RecusalStatus.PENDING)


def _extension(case: Case) -> Extension:
    return get_object_or_404(Extension, case=case, status=ExtensionStatus.PENDING)


def _obligations(case: Case, data: dict[str, Any]) -> list[services.ObligationInput]:
    if not data.get("payer"):
        return []
    if data.get("due") is None:
        raise forms.ValidationError(_("请填写履行期限。"))
    return [
        services.ObligationInput(
            payer_id=data["payer"], due=data["due"], amount=data.get("amount") or "", act=data.get("act") or ""
        )
    ]


@dataclass(frozen=True)
class Action:
    verb: str
    label: Promise
    form: type[forms.Form]
    run: Callable[[Any, Case, dict[str, Any], dict[str, Any]], Any]
    states: tuple[str, ...] = ()  # empty: any state (the service decides)
    confirm: Promise | None = None  # irreversible or public: the page asks first


S = CaseStatus
ACTIONS: dict[str, Action] = {
    "accept": Action(
        "accept",
        _("受理决定"),
        AcceptForm,
        lambda u, c, d, x: services.decide_acceptance(user=u, case=c, accept=d["accept"], reason=d["reason"]),
        (S.APPLIED,),
    ),
    "answer": Action(
        "answer",
        _("答复是否同意调解"),
        AnswerForm,
        lambda u, c, d, x: services.answer(user=u, case=c, consent=d["consent"]),
        (S.ACCEPTED,),
    ),
    "choose": Action(
        "choose",
        _("选定调解员"),
        MediatorChoiceForm,
        lambda u, c, d, x: services.choose(user=u, case=c, mediator=get_object_or_404(Mediator, pk=d["mediator"] or 0)),
        (S.CONSENTED,),
    ),
    "appoint": Action(
        "appoint",
        _("指定调解员（不填编号则在符合条件的调解员中抽取）"),
        MediatorChoiceForm,
        lambda u, c, d, x: services.appoint(user=u, case=c, mediator=_mediator(d["mediator"])),
        (S.CONSENTED,),
    ),
    "confirm": Action(
        "confirm",
        _("确认接受指派"),
        ConfirmForm,
        lambda u, c, d, x: services.confirm(user=u, case=c, accept=d["accept"], reason=d["reason"]),
        (S.MEDIATOR_ASSIGNED,),
    ),
    "recusal": Action(
        "request_recusal",
        _("申请回避"),
        RecusalForm,
        lambda u, c, d, x: services.request_recusal(user=u, case=c, ground=d["ground"], reason=d["reason"]),
        (S.IN_MEDIATION,),
    ),
    "decide_recusal": Action(
        "decide_recusal",
        _("决定回避申请"),
        DecideRecusalForm,
        lambda u, c, d, x: services.decide_recusal(
            user=u,
            recusal=_recusal(c),
            grant=d["grant"],
            decision=d["decision"],
            replacement=_mediator(d["replacement"]),
        ),
        (S.RECUSAL_PENDING,),
    ),
    "session": Action(
        "mediate",
        _("记录调解过程"),
        SessionForm,
        lambda u, c, d, x: services.record_session(
            user=u,
            case=c,
            held_at=d["held_at"],
            mode=d["mode"],
            minutes=d["minutes"],
            undisputed_facts=d["undisputed_facts"],
            place=d["place"],
        ),
        (S.IN_MEDIATION,),
    ),
    "extension": Action(
        "mediate",
        _("征求延长调解期限"),
        ExtensionForm,
        lambda u, c, d, x: services.propose_extension(user=u, case=c, days=d["days"], reason=d["reason"]),
        (S.IN_MEDIATION,),
    ),
    "grant_extension": Action(
        "mediate",
        _("延长调解期限（须全部当事人同意）"),
        ReasonForm,
        lambda u, c, d, x: services.grant_extension(user=u, extension=_extension(c)),
        (S.IN_MEDIATION,),
    ),
    "consent_extension": Action(
        "answer_extension",
        _("同意延长调解期限"),
        ReasonForm,
        lambda u, c, d, x: services.answer_extension(user=u, extension=_extension(c), consent=True),
        (S.IN_MEDIATION,),
    ),
    "refuse_extension": Action(
        "answer_extension",
        _("不同意延长"),
        ReasonForm,
        lambda u, c, d, x: services.answer_extension(user=u, extension=_extension(c), consent=False),
        (S.IN_MEDIATION,),
    ),
    "agreement": Action(
        "mediate",
        _("起草或修改调解协议"),
        AgreementForm,
        lambda u, c, d, x: services.draft(
            user=u,
            case=c,
            facts=d["facts"],
            terms=d["terms"],
            infringement_confirmed=d["infringement_confirmed"],
            obligations=_obligations(c, d),
        ),
        (S.IN_MEDIATION,),
        _("协议有人签名后再修改，所有签名都将失效，各方会收到通知。确定保存吗？"),
    ),
    "sign": Action(
        "sign",
        _("签署调解协议"),
        SignForm,
        lambda u, c, d, x: services.sign(user=u, agreement=_agreement(c), sha256=d["sha256"], capacity=d["capacity"]),
        (S.IN_MEDIATION,),
        _("签名与您的账户和协议摘要绑定；各方签名后协议生效并记入公开日志。确定签名吗？"),
    ),
    "refuse_sign": Action(
        "sign",
        _("拒绝签名"),
        ReasonForm,
        lambda u, c, d, x: services.refuse_to_sign(user=u, agreement=_agreement(c), reason=d["reason"]),
        (S.IN_MEDIATION,),
        _("拒绝签名将终止调解。确定吗？"),
    ),
    "suspend": Action(
        "mediate",
        _("中止调解"),
        ReasonForm,
        lambda u, c, d, x: services.suspend(user=u, case=c, reason=d["reason"]),
        (S.IN_MEDIATION,),
    ),
    "resume": Action(
        "mediate", _("恢复调解"), ReasonForm, lambda u, c, d, x: services.resume(user=u, case=c), (S.SUSPENDED,)
    ),
    "fail": Action(
        "mediate",
        _("终止调解（调解不成）"),
        FailForm,
        lambda u, c, d, x: services.fail(
            user=u, case=c, reason=d["reason"], note=d["note"], cost_conduct=d["cost_conduct"]
        ),
        (S.IN_MEDIATION, S.SUSPENDED, S.RECUSAL_PENDING),
        _("终止后调解不能继续。确定吗？"),
    ),
    "end": Action(
        "end",
        _("不再继续调解"),
        ReasonForm,
        lambda u, c, d, x: services.end_by_party(user=u, case=c, reason=d["reason"]),
        (S.IN_MEDIATION, S.RECUSAL_PENDING),
        _("终止后调解不能继续。确定吗？"),
    ),
    "withdraw": Action(
        "withdraw",
        _("撤回申请"),
        ReasonForm,
        lambda u, c, d, x: services.withdraw(user=u, case=c, reason=d["reason"]),
        (S.APPLIED, S.ACCEPTED, S.CONSENTED, S.MEDIATOR_ASSIGNED, S.IN_MEDIATION, S.SUSPENDED),
        _("撤回后案件结束。确定吗？"),
    ),
    "court": Action(
        "court",
        _("法院衔接"),
        CourtStepForm,
        lambda u, c, d, x: services.record_court_step(user=u, case=c, step=d["step"], note=d["note"]),
        (S.AGREEMENT_EFFECTIVE, S.FAILED),
    ),
    "apply_confirmation": Action(
        "court",
        _("登记司法确认申请"),
        ConfirmationApplyForm,
        lambda u, c, d, x: services.apply_confirmation(user=u, case=c, court=d["court"], applied_on=d["applied_on"]),
    ),
    "confirmation": Action(
        "court",
        _("登记法院的处理"),
        ConfirmationStepForm,
        lambda u, c, d, x: services.record_confirmation(
            user=u,
            confirmation=get_object_or_404(JudicialConfirmation, pk=x.get("confirmation"), agreement__case=c),
            action=d["action"],
            court_case_no=d["court_case_no"],
            grounds=d["grounds"],
        ),
    ),
    "performance": Action(
        "performance",
        _("登记履行情况"),
        PerformanceForm,
        lambda u, c, d, x: services.record_performance(
            user=u,
            obligation=get_object_or_404(
                Obligation, pk=x.get("obligation"), agreement__case=c, agreement__status=AgreementStatus.EFFECTIVE
            ),
            action=d["action"],
            on=d["on"],
            note=d["note"],
        ),
    ),
}
