"""A case from the application to the end of mediation (DOMAIN.md §5.3), with the clocks of §5.1.

* Acceptance is decided within 3 working days of the application (M22), 5 for an administrative referral (M21).
* The respondent is asked within 10 working days whether it agrees to mediate (M22; 3 for online mediation, M19);
  a refusal, or no answer in time, ends the case (M3, M19).
* The parties may jointly choose a mediator within 2 working days of consenting; otherwise, or when they choose
  differently, the organisation appoints one within 3 (M11, M19): by name, or drawn among the qualified mediators
  without a declared conflict, the least busy first.
* The mediator confirms within 3 working days (M19); the period runs from the day they sign for the file (M18):
  30 days for a court delegation (委派) and every other source (M21), 15 / 7 for a court entrustment (委托) in
  ordinary / simple procedure. It is extended only with every party's recorded consent (M18, M20); when it runs
  out without one, the mediation fails (M20).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require, visible_to
from artrights.accounts.models import Organisation, OrganisationKind
from artrights.core import audit
from artrights.core.notifying import Written
from artrights.core.services import PartyInput, resolve_party, store_file
from artrights.evidence.models import EvidenceRecord
from artrights.matching.models import MatchReport
from artrights.registry.models import Work

from .. import notifications as N
from ..models import (
    CASE_FLOW,
    COURT_SOURCES,
    DISPUTE_SPECIALTY,
    OPEN_STATES,
    Case,
    CaseParty,
    CaseStatus,
    Claim,
    Conflict,
    ConflictGround,
    DisputeType,
    Ending,
    Extension,
    ExtensionAnswer,
    ExtensionStatus,
    FailureReason,
    Mediator,
    MediatorStatus,
    Procedure,
    Recusal,
    RecusalStatus,
    Session,
    SessionMode,
    Side,
    Source,
)
from ..rules import court_name
from ._common import (
    add_working_days,
    admins_of,
    calendar_due,
    clean_text,
    court_people,
    locked,
    mediator_people,
    next_number,
    party_people,
    refused,
    tell,
    today,
)


@dataclass
class CaseInput:
    """An application as a form or the API gives it."""

    dispute_type: str
    summary: str
    respondents: Sequence[PartyInput]
    claims: Sequence[tuple[str, str]] = ()  # (text, amount or "")
    source: str = Source.PARTY_APPLICATION
    online: bool = True
    organisation_id: int | None = None
    applicants: Sequence[PartyInput] = ()  # empty: the applying user's own identity
    court: str = ""
    court_case_no: str = ""
    procedure: str = ""
    referring_body: str = ""
    work_ids: Sequence[int] = ()
    match_report_ids: Sequence[int] = ()
    evidence_ids: Sequence[int] = ()
    power_of_attorney: UploadedFile[bytes] | None = field(default=None, repr=False)


def _organisation(organisation_id: int | None) -> Organisation:
    orgs = Organisation.objects.filter(kind=OrganisationKind.MEDIATION_ORG, is_active=True)
    found = orgs.filter(pk=organisation_id).first() if organisation_id else orgs.order_by("pk").first()
    if found is None:
        raise refused("organisation", _("请选择一个在册的调解组织。"))
    return found


def _claims(claims: Sequence[tuple[str, str]]) -> list[tuple[str, Decimal | None]]:
    out: list[tuple[str, Decimal | None]] = []
    for text, amount in claims:
        text = clean_text(text, _("请求事项"), required=False, limit=1000, multiline=False)
        if not text:
            continue
        value: Decimal | None = None
        if str(amount or "").strip():
            try:
                value = Decimal(str(amount).strip()).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise refused("amount", _("金额“%(value)s”不是有效的数字。"), value=str(amount)) from None
            if value < 0 or value >= Decimal("1e12"):
                raise refused("amount", _("金额“%(value)s”超出范围。"), value=str(amount))
        out.append((text, value))
    if not out:
        raise refused("claims", _("请至少填写一项调解请求。"))
    return out


def _links(user: Any, data: CaseInput) -> tuple[list[Work], list[MatchReport], list[EvidenceRecord]]:
    """The registrations, match reports and evidence the submitter may see; anything else is refused."""
    found: list[Any] = []
    for model, ids, label in (
        (Work, data.work_ids, _("登记作品")),
        (MatchReport, data.match_report_ids, _("比对报告")),
        (EvidenceRecord, data.evidence_ids, _("电子证据")),
    ):
        wanted = {int(i) for i in ids}
        rows = list(visible_to(user, model._default_manager.filter(pk__in=wanted))) if wanted else []
        if len(rows) != len(wanted):
            raise refused("links", _("所附的%(what)s不存在或您无权查看。"), what=label)
        found.append(rows)
    return found[0], found[1], found[2]


def _check_source(data: CaseInput) -> None:
    if data.source not in Source.values:
        raise refused("source", _("案件来源无效。"))
    if data.dispute_type not in DisputeType.values:
        raise refused("dispute_type", _("请选择纠纷类型。"))
    if data.source in COURT_SOURCES and not data.court.strip():
        raise refused("court", _("法院委派或委托的案件须填写法院。"))
    if data.source == Source.COURT_ENTRUSTED:
        if not data.court_case_no.strip():
            raise refused("court_case_no", _("立案后委托调解的案件须填写法院案号。"))
        if data.procedure not in Procedure.values:
            raise refused("procedure", _("立案后委托调解的案件须写明适用普通程序还是简易程序。"))
    elif data.procedure:
        raise refused("procedure", _("只有立案后委托调解的案件才区分普通程序和简易程序。"))
    if data.source in (Source.WORKSTATION, Source.ADMIN_REFERRAL) and not data.referring_body.strip():
        raise refused("referring_body", _("请填写转来案件的工作站或行政机关。"))


def _acceptance_days(source: str) -> int:
    if source == Source.ADMIN_REFERRAL:
        return int(settings.ARTRIGHTS_MEDIATION_ADMIN_ACCEPT_DAYS)
    return int(settings.ARTRIGHTS_MEDIATION_ACCEPT_DAYS)


def period_days(case: Case) -> int:
    """M18 / M21: 30 days for a delegation before filing and by default; 15 / 7 for an entrustment after filing."""
    if case.source == Source.COURT_ENTRUSTED:
        simple = case.procedure == Procedure.SIMPLE
        return int(
            settings.ARTRIGHTS_MEDIATION_PERIOD_SIMPLE if simple else settings.ARTRIGHTS_MEDIATION_PERIOD_ORDINARY
        )
    if case.source == Source.COURT_DELEGATED:
        return int(settings.ARTRIGHTS_MEDIATION_PERIOD_DELEGATED)
    return int(settings.ARTRIGHTS_MEDIATION_PERIOD_DEFAULT)


def open_case(*, user: Any, data: CaseInput) -> Case:
    """Apply for mediation (a party or its agent), or enter a case a court, workstation or administrative body
    sent (the organisation's staff): the case waits for acceptance, decided within its working-day clock."""
    # A party's own application: made here, or brought to a workstation that forwards it (then no applicant is
    # named, the signed-in party applies and the workstation is the referring body).
    own_application = data.source == Source.PARTY_APPLICATION or (
        data.source == Source.WORKSTATION and not data.applicants
    )
    court = court_name(user)
    delegated = not own_application and data.source in COURT_SOURCES and bool(court)
    require(user, "apply" if own_application else "delegate" if delegated else "register", Case)
    if delegated:
        data = replace(data, court=court)  # a court's liaison sends the cases of their own court
    _check_source(data)
    summary = clean_text(data.summary, _("纠纷概要"), limit=4000)
    claims = _claims(data.claims)
    works, reports, evidence = _links(user, data)
    organisation = _organisation(data.organisation_id if own_application or delegated else user.organisation_id)
    if not data.respondents:
        raise refused("respondents", _("请填写被申请人。"))
    applicants_in = list(data.applicants)
    agent = None
    if own_application and not applicants_in:
        if user.party is None:
            raise refused("identity", _("请先完成实名信息，再以本人名义申请调解。"))
    elif own_application:
        agent = user  # applying for a client: the power of attorney is required
        if data.power_of_attorney is None:
            raise refused("power_of_attorney", _("代理他人申请调解，须上传授权委托书。"))
    elif not applicants_in:
        raise refused("applicants", _("请填写申请人。"))
    with transaction.atomic():
        applicants = (
            [user.party] if own_application and not applicants_in else [resolve_party(p) for p in applicants_in]
        )
        respondents = [resolve_party(p) for p in data.respondents]
        ids = [p.pk for p in applicants + respondents]
        if len(set(ids)) != len(ids):
            raise refused("same_party", _("同一当事人不能重复列出，也不能既是申请人又是被申请人。"))
        poa = store_file(owner=user, upload=data.power_of_attorney) if agent is not None else None
        day = today()
        case = Case.objects.create(
            number=next_number("TJ"),
            source=data.source,
            dispute_type=data.dispute_type,
            summary=summary,
            online=data.online,
            court=clean_text(data.court, _("法院"), required=False, limit=200, multiline=False),
            court_case_no=clean_text(data.court_case_no, _("法院案号"), required=False, limit=100, multiline=False),
            procedure=data.procedure,
            referring_body=clean_text(data.referring_body, _("转来单位"), required=False, limit=200, multiline=False),
            organisation=organisation,
            submitted_by=user,
            applied_on=day,
            acceptance_due=add_working_days(day, _acceptance_days(data.source)),
        )
        for party in applicants:
            CaseParty.objects.create(
                case=case, side=Side.APPLICANT, party=party, agent=agent, power_of_attorney=poa if agent else None
            )
        for party in respondents:
            CaseParty.objects.create(case=case, side=Side.RESPONDENT, party=party)
        Claim.objects.bulk_create([Claim(case=case, text=t, amount=a) for t, a in claims])
        case.works.set(works)
        case.match_reports.set(reports)
        case.evidence.set(evidence)
        audit.record("mediation.open", case, actor=user, changes={"source": case.source})
        tell(
            case,
            admins_of(case),
            N.CASE_RECEIVED.key,
            source=case.source,
            due=case.acceptance_due.isoformat(),
            actor=user,
        )
    return case


def _case(case: Case) -> Case:
    return locked(case)


@transaction.atomic
def decide_acceptance(*, user: Any, case: Case, accept: bool, reason: str = "") -> Case:
    """Accept the case (the respondent is then asked, within its clock) or refuse it with reasons."""
    require(user, "accept", case)
    case = _case(case)
    day = today()
    if accept:
        CASE_FLOW.apply(case, "accept")
        case.accepted_on = day
        days = (
            settings.ARTRIGHTS_MEDIATION_ONLINE_CONSENT_DAYS
            if case.online
            else settings.ARTRIGHTS_MEDIATION_CONSENT_DAYS
        )
        case.consent_due = add_working_days(day, int(days))
        if case.is_court_case:
            # A court's referral carries the parties' consent to mediate (M11): the respondent is still asked, as
            # the mediator must contact them within the same clock (M19).
            pass
    else:
        reason = clean_text(reason, _("不予受理的理由"))
        CASE_FLOW.apply(case, "reject")
        case.ended_on, case.end_note = day, reason
    case.overdue_step = ""
    case.save()
    audit.record("mediation.accept" if accept else "mediation.reject", case, actor=user)
    decision = "accepted" if accept else "rejected"
    note = Written(reason) if not accept else "accepted"
    tell(
        case,
        party_people(case, Side.APPLICANT) + court_people(case),
        N.CASE_DECIDED.key,
        decision=decision,
        note=note,
        actor=user,
    )
    if accept:
        applicant = "、".join(p.party.name for p in case.applicants())
        tell(
            case,
            party_people(case, Side.RESPONDENT),
            N.CONSENT_ASKED.key,
            applicant=applicant,
            due=case.consent_due.isoformat() if case.consent_due else "",
            actor=user,
        )
    return case


def _start_choice(case: Case, day: dt.date) -> None:
    CASE_FLOW.apply(case, "consent")
    case.consented_on = day
    case.choice_due = add_working_days(day, int(settings.ARTRIGHTS_MEDIATION_CHOICE_DAYS))
    case.appointment_due = add_working_days(day, int(settings.ARTRIGHTS_MEDIATION_APPOINT_DAYS))


@transaction.atomic
def answer(*, user: Any, case: Case, consent: bool) -> Case:
    """The respondent agrees to mediate or refuses (a clear refusal means no mediation, M3)."""
    require(user, "answer", case)
    case = _case(case)
    if case.status != CaseStatus.ACCEPTED:
        CASE_FLOW.target(case.status, "consent")  # raises: not the time to answer
    mine = [p for p in case.respondents() if p.acts_for(user)]
    for p in mine:
        p.consent, p.answered_at = consent, timezone.now()
        p.save(update_fields=["consent", "answered_at"])
    day = today()
    if not consent:
        CASE_FLOW.apply(case, "refuse")
        case.ended_on, case.end_reason, case.ending = day, FailureReason.PARTY_REFUSES, Ending.RESPONDENT_REFUSED
    elif all(p.consent for p in case.respondents()):
        _start_choice(case, day)
    case.overdue_step = ""
    case.save()
    audit.record("mediation.answer", case, actor=user, changes={"consent": consent})
    if case.status == CaseStatus.ENDED:
        tell(
            case,
            party_people(case) + list(admins_of(case)),
            N.CASE_ENDED.key,
            outcome=case.status,
            note="respondent_refused",
            actor=user,
        )
    elif case.status == CaseStatus.CONSENTED:
        tell(
            case,
            party_people(case),
            N.CHOOSE_MEDIATOR.key,
            due=case.choice_due.isoformat() if case.choice_due else "",
            # a call to act with its deadline, not news of the consent: the respondent who consented chooses too
            actor=None,
        )
    return case


# --- mediators: qualification and assignment --------------------------------------------------------------------


def conflicts_with(mediator: Mediator, case: Case) -> list[Conflict]:
    """The mediator's declared conflicts with a party of ``case``."""
    ids = [p.party.id_number for p in case.parties.select_related("party")]
    return list(mediator.conflicts.filter(id_number__in=ids))


def why_unqualified(mediator: Mediator, case: Case) -> str:
    """Why ``mediator`` may not take ``case`` ("" when they may): status, organisation, court roster, conflicts."""
    if mediator.status != MediatorStatus.ACTIVE:
        return str(
            _("调解员 %(name)s 当前不在册（%(status)s）。")
            % {"name": mediator.name, "status": mediator.get_status_display()}
        )
    if mediator.organisation_id != case.organisation_id:
        return str(_("调解员 %(name)s 不属于本案的调解组织。") % {"name": mediator.name})
    if case.is_court_case and case.court not in mediator.court_rosters:
        return str(
            _("调解员 %(name)s 不在 %(court)s 的特邀调解名册中。") % {"name": mediator.name, "court": case.court}
        )
    if any(r.mediator_id == mediator.pk and r.status == RecusalStatus.GRANTED for r in case.recusals.all()):
        return str(_("调解员 %(name)s 已在本案回避。") % {"name": mediator.name})
    found = conflicts_with(mediator, case)
    if found:
        return str(
            _("调解员 %(name)s 已申报与当事人 %(party)s 存在利害关系（%(ground)s），不能调解本案。")
            % {"name": mediator.name, "party": found[0].name, "ground": found[0].get_ground_display()}
        )
    return ""


def qualified(case: Case) -> list[Mediator]:
    """The mediators who may take ``case``, the least busy first, those with the dispute's specialty before others."""
    wanted = str(DISPUTE_SPECIALTY.get(DisputeType(case.dispute_type), ""))
    rows = (
        Mediator.objects.filter(organisation_id=case.organisation_id, status=MediatorStatus.ACTIVE)
        .annotate(load=Count("cases", filter=Q(cases__status__in=OPEN_STATES)))
        .order_by("load", "pk")
    )
    fit = [m for m in rows if not why_unqualified(m, case)]
    return sorted(fit, key=lambda m: (wanted not in m.specialties, getattr(m, "load", 0)))


def _check(mediator: Mediator, case: Case) -> None:
    """Refuse a mediator who may not take ``case``, judged on the roster as it is now (not a copy read earlier)."""
    mediator.refresh_from_db()
    problem = why_unqualified(mediator, case)
    if problem:
        raise refused("mediator", _("%(reason)s"), reason=problem)


def _assign(case: Case, mediator: Mediator, *, by_choice: bool, actor: Any) -> None:
    _check(mediator, case)
    CASE_FLOW.apply(case, "assign")
    day = today()
    case.mediator, case.assigned_by_choice, case.assigned_on = mediator, by_choice, day
    case.confirmation_due = add_working_days(day, int(settings.ARTRIGHTS_MEDIATION_CONFIRM_DAYS))
    case.overdue_step = ""
    case.save()
    audit.record("mediation.assign", case, actor=actor, changes={"mediator": mediator.pk, "by_choice": by_choice})
    tell(
        case,
        [*party_people(case), mediator.user],
        N.MEDIATOR_ASSIGNED.key,
        mediator=mediator.name,
        due=case.confirmation_due.isoformat(),
        # Chosen jointly, the last party to choose hears the outcome with the others: their choice alone did not
        # make it.
        actor=None if by_choice else actor,
    )


@transaction.atomic
def choose(*, user: Any, case: Case, mediator: Mediator) -> Case:
    """A party names the mediator it wants; once every party named the same one, they are assigned (M4, M11)."""
    require(user, "choose", case)
    case = _case(case)
    if case.status != CaseStatus.CONSENTED:
        CASE_FLOW.target(case.status, "assign")
    _check(mediator, case)
    if case.choice_due is not None and today() > case.choice_due:
        raise refused(
            "choice_closed",
            _("共同选定调解员的期限已于 %(date)s 届满，由调解组织指定调解员。"),
            date=case.choice_due.isoformat(),
        )
    for p in case.parties.all():
        if p.acts_for(user):
            p.chosen_mediator = mediator
            p.save(update_fields=["chosen_mediator"])
    audit.record("mediation.choose", case, actor=user, changes={"mediator": mediator.pk})
    choices = {p.chosen_mediator_id for p in case.parties.all()}
    if choices == {mediator.pk}:
        _assign(case, mediator, by_choice=True, actor=user)
    return case


@transaction.atomic
def appoint(*, user: Any, case: Case, mediator: Mediator | None = None) -> Case:
    """The organisation appoints a mediator: the one named, or one drawn among the qualified mediators (M11)."""
    require(user, "appoint", case)
    case = _case(case)
    if case.status != CaseStatus.CONSENTED:
        CASE_FLOW.target(case.status, "assign")
    if mediator is None:
        pool = qualified(case)
        if not pool:
            raise refused("no_mediator", _("没有符合条件且无利害关系的调解员可以指定。"))
        least = [m for m in pool if getattr(m, "load", 0) == getattr(pool[0], "load", 0)]
        mediator = secrets.choice(least)
        audit.record("mediation.draw", case, actor=user, changes={"pool": [m.pk for m in pool], "drawn": mediator.pk})
    _assign(case, mediator, by_choice=False, actor=user)
    return case


@transaction.atomic
def confirm(*, user: Any, case: Case, accept: bool, reason: str = "") -> Case:
    """The assigned mediator signs for the file (the mediation period starts) or declines with reasons (M19)."""
    require(user, "confirm", case)
    case = _case(case)
    day = today()
    if accept:
        CASE_FLOW.apply(case, "confirm")
        case.taken_on = day
        case.period_days = period_days(case)
        case.mediation_due = calendar_due(day, case.period_days)
        case.overdue_step = ""
        case.save()
        audit.record("mediation.take_file", case, actor=user, changes={"due": case.mediation_due.isoformat()})
        tell(
            case,
            party_people(case) + list(admins_of(case)),
            N.MEDIATION_STARTED.key,
            mediator=case.mediator.name if case.mediator else "",
            due=case.mediation_due.isoformat(),
            actor=user,
        )
        return case
    reason = clean_text(reason, _("不接受的理由"))
    CASE_FLOW.apply(case, "decline")
    declined = case.mediator
    case.mediator, case.assigned_on, case.confirmation_due = None, None, None
    case.appointment_due = add_working_days(day, int(settings.ARTRIGHTS_MEDIATION_APPOINT_DAYS))
    for p in case.parties.all():
        p.chosen_mediator = None
        p.save(update_fields=["chosen_mediator"])
    case.save()
    audit.record("mediation.decline", case, actor=user, changes={"mediator": declined.pk if declined else None})
    tell(
        case,
        list(admins_of(case)) + party_people(case),
        N.CASE_DECIDED.key,
        decision="mediator_declined",
        note=Written(reason),
        actor=user,
    )
    return case


# --- recusal ----------------------------------------------------------------------------------------------------


@transaction.atomic
def request_recusal(*, user: Any, case: Case, ground: str, reason: str) -> Recusal:
    """A party asks that the mediator withdraw, or the mediator declares a ground themself (M12, M19, M21)."""
    require(user, "request_recusal", case)
    if ground not in ConflictGround.values:
        raise refused("ground", _("请选择回避事由。"))
    reason = clean_text(reason, _("回避理由"))
    case = _case(case)
    CASE_FLOW.apply(case, "request_recusal")
    assert case.mediator is not None
    by_mediator = case.mediator.user_id == user.pk
    if not by_mediator and case.recusals.filter(status=RecusalStatus.GRANTED, by_mediator=False).exists():
        # M19: the parties may have the mediator changed once; still objecting to the replacement is refusing
        # mediation, which the party records by ending the mediation (end_by_party).
        raise refused(
            "changed_once",
            _("调解员已应当事人申请更换过一次，不能再次更换。对更换后的调解员仍有异议的，视为拒绝调解，可以结束调解。"),
        )
    recusal = Recusal.objects.create(
        case=case, mediator=case.mediator, ground=ground, reason=reason, requested_by=user, by_mediator=by_mediator
    )
    case.save()
    audit.record("mediation.request_recusal", case, actor=user, changes={"ground": ground, "by_mediator": by_mediator})
    tell(
        case,
        list(admins_of(case)) + party_people(case) + mediator_people(case),
        N.RECUSAL_REQUESTED.key,
        mediator=case.mediator.name,
        ground=recusal.ground,
        actor=user,
    )
    return recusal


@transaction.atomic
def decide_recusal(
    *, user: Any, recusal: Recusal, grant: bool, decision: str, replacement: Mediator | None = None
) -> Recusal:
    """The organisation decides: granted, the mediator is replaced (named or drawn) and the mediation goes on with
    the period it had; rejected, the mediator continues. Either way the decision and its reasons are recorded."""
    case = _case(recusal.case)
    require(user, "decide_recusal", case)
    decision = clean_text(decision, _("决定理由"))
    recusal = locked(recusal)
    if recusal.status != RecusalStatus.PENDING:
        raise refused("decided", _("这项回避申请已经决定。"))
    recusal.status = RecusalStatus.GRANTED if grant else RecusalStatus.REJECTED
    recusal.decision, recusal.decided_by, recusal.decided_at = decision, user, timezone.now()
    recusal.save()  # before the replacement is checked: the recused mediator no longer qualifies
    CASE_FLOW.apply(case, "decide_recusal")
    if grant:
        if replacement is None:
            pool = qualified(case)
            if not pool:
                raise refused("no_mediator", _("没有符合条件且无利害关系的调解员可以更换。"))
            replacement = pool[0]
        _check(replacement, case)
        case.mediator = replacement
        recusal.replacement = replacement
        recusal.save(update_fields=["replacement"])
    case.save()
    audit.record("mediation.decide_recusal", case, actor=user, changes={"granted": grant})
    replaced = grant and replacement is not None
    tell(
        case,
        party_people(case) + [recusal.mediator.user] + ([replacement.user] if grant and replacement else []),
        N.RECUSAL_DECIDED.key,
        decision=recusal.status,
        note="replaced" if replaced else Written(decision),
        **({"replacement": replacement.name} if replacement is not None and replaced else {}),
        actor=user,
    )
    return recusal


# --- the mediation itself ----------------------------------------------------------------------------------------


@transaction.atomic
def record_session(
    *, user: Any, case: Case, held_at: dt.datetime, mode: str, minutes: str, undisputed_facts: str = "", place: str = ""
) -> Session:
    """Keep the minutes of a session and the facts both sides accepted (M6, M20)."""
    require(user, "mediate", case)
    if case.status != CaseStatus.IN_MEDIATION:
        raise refused("not_mediating", _("只有调解中的案件才能记录调解过程。"))
    if mode not in SessionMode.values:
        raise refused("mode", _("请选择调解方式。"))
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise refused("future", _("不能记录尚未举行的调解。"))
    session = Session.objects.create(
        case=case,
        held_at=held_at,
        mode=mode,
        place=clean_text(place, _("地点或会议链接"), required=False, limit=300, multiline=False),
        minutes=clean_text(minutes, _("调解笔录"), limit=20000),
        undisputed_facts=clean_text(undisputed_facts, _("无争议事实"), required=False, limit=8000),
        recorded_by=user,
    )
    audit.record("mediation.session", case, actor=user, changes={"session": session.pk})
    return session


@transaction.atomic
def propose_extension(*, user: Any, case: Case, days: int, reason: str) -> Extension:
    """Ask every party to agree to more days (M18); nothing changes until each has consented."""
    require(user, "mediate", case)
    if case.status != CaseStatus.IN_MEDIATION:
        raise refused("not_mediating", _("只有调解中的案件才能延长调解期限。"))
    if not 1 <= int(days) <= 90:
        raise refused("days", _("延长天数须在 1 到 90 日之间。"))
    if case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise refused("pending", _("已有一项延长正在征求当事人同意。"))
    extension = Extension.objects.create(
        case=case, days=int(days), reason=clean_text(reason, _("延长理由"), limit=1000), proposed_by=user
    )
    audit.record("mediation.propose_extension", case, actor=user, changes={"days": extension.days})
    tell(
        case,
        party_people(case),
        N.EXTENSION_ASKED.key,
        days=extension.days,
        reason=extension.reason,
        due=case.mediation_due.isoformat() if case.mediation_due else "",
        actor=user,
    )
    return extension


def missing_consents(extension: Extension) -> list[CaseParty]:
    consented = {a.case_party_id for a in extension.answers.all() if a.consent}
    return [p for p in extension.case.parties.select_related("party") if p.pk not in consented]


@transaction.atomic
def answer_extension(*, user: Any, extension: Extension, consent: bool) -> Extension:
    """A party records its consent to an extension, or refuses it (then the extension is refused)."""
    case = _case(extension.case)
    require(user, "answer_extension", case)
    extension = locked(extension)
    if extension.status != ExtensionStatus.PENDING:
        raise refused("decided", _("这项延长已经有了结果。"))
    mine = [p for p in case.parties.all() if p.acts_for(user)]
    for p in mine:
        ExtensionAnswer.objects.create(extension=extension, case_party=p, by=user, consent=consent)
    if not consent:
        extension.status = ExtensionStatus.REFUSED
        extension.save()
        tell(
            case,
            party_people(case) + mediator_people(case),
            N.EXTENSION_DECIDED.key,
            decision="refused",
            due=case.mediation_due.isoformat() if case.mediation_due else "",
            actor=user,
        )
    audit.record("mediation.answer_extension", case, actor=user, changes={"consent": consent})
    return extension


@transaction.atomic
def grant_extension(*, user: Any, extension: Extension) -> Case:
    """Apply an extension every party consented to; refused, naming who has not, otherwise (M18, M20)."""
    case = _case(extension.case)
    require(user, "mediate", case)
    extension = locked(extension)
    if extension.status != ExtensionStatus.PENDING:
        raise refused("decided", _("这项延长已经有了结果。"))
    if case.status != CaseStatus.IN_MEDIATION:
        raise refused("not_mediating", _("只有调解中的案件才能延长调解期限。"))
    missing = missing_consents(extension)
    if missing:
        raise refused(
            "no_consent",
            _("延长调解期限须经全部当事人同意；尚未同意的当事人：%(names)s。"),
            names="、".join(p.party.name for p in missing),
        )
    assert case.mediation_due is not None
    case.mediation_due = calendar_due(case.mediation_due, extension.days)
    case.overdue_step = ""
    case.save()
    extension.status, extension.granted_at, extension.new_due = (
        ExtensionStatus.GRANTED,
        timezone.now(),
        case.mediation_due,
    )
    extension.save()
    audit.record("mediation.extend", case, actor=user, changes={"due": case.mediation_due.isoformat()})
    tell(
        case,
        party_people(case) + list(admins_of(case)),
        N.EXTENSION_DECIDED.key,
        decision="extended",
        due=case.mediation_due.isoformat(),
        actor=user,
    )
    return case


@transaction.atomic
def suspend(*, user: Any, case: Case, reason: str) -> Case:
    """Suspend on suspected sham mediation (M13) or another cause; resumed by the mediator."""
    require(user, "mediate", case)
    reason = clean_text(reason, _("中止理由"))
    case = _case(case)
    CASE_FLOW.apply(case, "suspend")
    case.end_note = reason
    case.save()
    audit.record("mediation.suspend", case, actor=user, changes={"reason": reason})
    return case


@transaction.atomic
def resume(*, user: Any, case: Case) -> Case:
    require(user, "mediate", case)
    case = _case(case)
    CASE_FLOW.apply(case, "resume")
    case.end_note = ""
    case.save()
    audit.record("mediation.resume", case, actor=user)
    return case


def end_as_failed(
    case: Case, *, reason: str, note: str, actor: Any, action: str = "fail", cost_conduct: str = ""
) -> Case:
    """The mediation ends without agreement: recorded with its reasons and any conduct that raised costs (M20);
    the parties are told of the other routes, the organisation of the referral to prepare."""
    from .agreements import void_draft

    CASE_FLOW.apply(case, action)
    case.ended_on, case.end_reason, case.end_note = today(), reason, note
    case.cost_conduct = cost_conduct
    case.overdue_step = ""
    case.save()
    void_draft(case)
    audit.record("mediation.fail", case, actor=actor, changes={"reason": reason})
    # The parties are told of the other routes, which depend on who sent the case (N.ENDINGS).
    ending = {Source.COURT_DELEGATED: "failed_court_delegated", Source.COURT_ENTRUSTED: "failed_court_entrusted"}
    tell(
        case,
        party_people(case) + mediator_people(case) + list(admins_of(case)) + court_people(case),
        N.CASE_ENDED.key,
        outcome=case.status,
        note=ending.get(Source(case.source), "failed"),
        reason=reason,
        actor=actor,
    )
    return case


@transaction.atomic
def fail(*, user: Any, case: Case, reason: str, note: str = "", cost_conduct: str = "") -> Case:
    """The mediator ends the mediation: a party withdraws or refuses, the gap is too big, sham suspected (M17, M20)."""
    require(user, "mediate", case)
    if reason not in FailureReason.values or reason == FailureReason.EXPIRED:
        raise refused("reason", _("请选择调解不成的原因。"))
    note = clean_text(note, _("说明"), required=False, limit=4000)
    cost_conduct = clean_text(cost_conduct, _("导致调解成本增加的行为"), required=False, limit=4000)
    return end_as_failed(_case(case), reason=reason, note=note, actor=user, cost_conduct=cost_conduct)


@transaction.atomic
def end_by_party(*, user: Any, case: Case, reason: str) -> Case:
    """A party ends the mediation (M5): it no longer wishes to mediate, or refuses the replacement mediator
    (refusing the designee is refusing mediation, M11, M19)."""
    require(user, "end", case)
    note = clean_text(reason, _("理由"), limit=4000)
    case = _case(case)
    replaced = case.recusals.filter(status=RecusalStatus.GRANTED, replacement=case.mediator).exists()
    why = FailureReason.REFUSED_REPLACEMENT if replaced else FailureReason.PARTY_REFUSES
    return end_as_failed(case, reason=why, note=note, actor=user)


@transaction.atomic
def withdraw(*, user: Any, case: Case, reason: str = "") -> Case:
    """The applicant withdraws the application (M5: a party may end mediation)."""
    require(user, "withdraw", case)
    case = _case(case)
    from .agreements import void_draft

    CASE_FLOW.apply(case, "withdraw")
    case.ended_on, case.end_note = today(), clean_text(reason, _("撤回理由"), required=False)
    case.overdue_step = ""
    case.save()
    void_draft(case)
    audit.record("mediation.withdraw", case, actor=user)
    tell(
        case,
        party_people(case) + mediator_people(case) + list(admins_of(case)) + court_people(case),
        N.CASE_ENDED.key,
        outcome=case.status,
        note=Written(case.end_note) if case.end_note else "withdrawn",
        actor=user,
    )
    return case
