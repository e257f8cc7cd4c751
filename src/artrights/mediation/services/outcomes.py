"""What follows a mediation: the court links (M14), judicial confirmation (M8–M10), the performance of each
obligation, the referral package of a failed mediation, credit records of confirmed infringement, and the hourly
sweep that flags and ends what is overdue."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core import audit, public_url
from artrights.core.services import notify

if TYPE_CHECKING:
    from ..agreement_pdf import ReferralDocument

from .. import notifications as N
from ..models import (
    CASE_FLOW,
    CONFIRMATION_FLOW,
    OBLIGATION_FLOW,
    Agreement,
    AgreementStatus,
    Case,
    CaseStatus,
    ConfirmationStatus,
    CreditReferral,
    Ending,
    FailureReason,
    JudicialConfirmation,
    Obligation,
    ObligationStatus,
    ReferralStatus,
    Side,
    Source,
)
from ._common import (
    admins_of,
    calendar_due,
    clean_text,
    court_people,
    locked,
    mediator_people,
    party_people,
    refused,
    tell,
    today,
)

# Which court step fits which source (M14): 委派 agreements are filed with the court, 委托 ones end in a 调解书 or a
# withdrawn suit; a failed 委派 goes to the court for registration, a failed 委托 back to trial; others close.
COURT_STEPS = {
    "file_with_court": (CaseStatus.AGREEMENT_EFFECTIVE, (Source.COURT_DELEGATED,)),
    "court_document": (CaseStatus.AGREEMENT_EFFECTIVE, (Source.COURT_ENTRUSTED,)),
    "suit_withdrawn": (CaseStatus.AGREEMENT_EFFECTIVE, (Source.COURT_ENTRUSTED,)),
    "transfer_to_court": (CaseStatus.FAILED, (Source.COURT_DELEGATED,)),
    "resume_trial": (CaseStatus.FAILED, (Source.COURT_ENTRUSTED,)),
    "close": (None, (Source.PARTY_APPLICATION, Source.WORKSTATION, Source.ADMIN_REFERRAL)),
}


def court_steps(case: Case) -> list[str]:
    """The court steps open to ``case`` now."""
    return [
        step
        for step, (state, sources) in COURT_STEPS.items()
        if case.source in sources and (state is None or state == case.status) and CASE_FLOW.can(case, step)
    ]


@transaction.atomic
def record_court_step(*, user: Any, case: Case, step: str, note: str = "") -> Case:
    """Record what the court did or was sent: filing of a 委派 agreement, the 调解书 or the withdrawn suit of a 委托
    case, the transfer of a failed 委派 case, the resumed trial of a failed 委托 case; or close the case."""
    require(user, "court", case)
    case = locked(case)
    if step not in COURT_STEPS:
        raise refused("step", _("未知的法院衔接事项。"))
    if step not in court_steps(case):
        CASE_FLOW.target(case.status, step)  # raises with the allowed moves when the state is wrong
        raise refused("source", _("本案的来源（%(source)s）不适用这一步。"), source=case.get_source_display())
    if step == "transfer_to_court" and not case.referral_pdf:
        make_referral(case)
    note = clean_text(note, _("说明"), required=False, limit=500, multiline=False)
    CASE_FLOW.apply(case, step)
    case.court_note = note
    case.save()
    audit.record("mediation.court_step", case, actor=user, changes={"step": step})
    tell(
        case,
        party_people(case) + mediator_people(case) + list(admins_of(case)) + court_people(case),
        N.COURT_STEP.key,
        step=f"case:{case.status}",
        note=note or "—",
        actor=user,
    )
    return case


# --- judicial confirmation ------------------------------------------------------------------------------------


def _effective(case: Case) -> Agreement:
    agreement = Agreement.objects.filter(case=case, status=AgreementStatus.EFFECTIVE).first()
    if agreement is None:
        raise refused("no_agreement", _("本案没有生效的调解协议。"))
    return agreement


@transaction.atomic
def apply_confirmation(*, user: Any, case: Case, court: str, applied_on: dt.date | None = None) -> JudicialConfirmation:
    """Record the parties' joint application for judicial confirmation, within 30 days of the agreement taking
    effect (M8); the court accepts within 3 days and decides within 15 (M10)."""
    require(user, "court", case)
    agreement = _effective(case)
    day = applied_on or today()
    if day > today():
        raise refused("future", _("申请日期不能晚于今天。"))
    if agreement.confirmation_due is not None and day > agreement.confirmation_due:
        raise refused(
            "window_closed",
            _("申请司法确认须在协议生效之日起三十日内共同提出；本协议的期限已于 %(date)s 届满。"),
            date=agreement.confirmation_due.isoformat(),
        )
    if agreement.confirmations.filter(status__in=(ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED)).exists():
        raise refused("pending", _("司法确认申请正在法院处理中。"))
    court = clean_text(court or case.court, _("法院"), limit=200, multiline=False)
    confirmation = JudicialConfirmation.objects.create(
        agreement=agreement,
        court=court,
        applied_on=day,
        acceptance_due=calendar_due(day, int(settings.ARTRIGHTS_MEDIATION_COURT_ACCEPT_DAYS)),
        recorded_by=user,
    )
    audit.record("mediation.apply_confirmation", case, actor=user, changes={"court": court})
    # The court is asked to accept within its clock: its liaison staff hear of it with the parties.
    tell(
        case,
        party_people(case) + court_people(case, court),
        N.COURT_STEP.key,
        step="confirmation:requested",
        note=court,
        actor=user,
    )
    return confirmation


@transaction.atomic
def record_confirmation(
    *, user: Any, confirmation: JudicialConfirmation, action: str, court_case_no: str = "", grounds: str = ""
) -> JudicialConfirmation:
    """The court accepted (with its 调确字 case number), refused to accept, confirmed, did not confirm (with grounds),
    or the parties withdrew the application."""
    case = confirmation.agreement.case
    require(user, "court", case)
    confirmation = locked(confirmation)
    CONFIRMATION_FLOW.apply(confirmation, action)
    day = today()
    if action == "court_accept":
        court_case_no = clean_text(court_case_no, _("案号（调确字）"), limit=100, multiline=False)
        if "调确" not in court_case_no:
            raise refused("case_no", _("司法确认案件的案号应为“调确字”案号。"))
        confirmation.court_case_no, confirmation.accepted_on = court_case_no, day
        confirmation.decision_due = calendar_due(day, int(settings.ARTRIGHTS_MEDIATION_COURT_DECIDE_DAYS))
    else:
        needs_grounds = action in ("court_refuse", "not_confirm")
        confirmation.grounds = clean_text(grounds, _("理由"), required=needs_grounds, limit=1000)
        confirmation.decided_on = day
    confirmation.save()
    audit.record("mediation.confirmation", case, actor=user, changes={"action": action})
    tell(
        case,
        party_people(case) + list(admins_of(case)),
        N.COURT_STEP.key,
        step=f"confirmation:{confirmation.status}",
        note=confirmation.grounds or confirmation.court_case_no or "—",
        actor=user,
    )
    return confirmation


def confirmed(agreement: Agreement) -> bool:
    return agreement.confirmations.filter(status=ConfirmationStatus.CONFIRMED).exists()


# --- performance ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_performance(
    *, user: Any, obligation: Obligation, action: str, on: dt.date | None = None, note: str = ""
) -> Obligation:
    """Record that an obligation was performed, or (once it is breached) that enforcement was applied for, which
    only a judicially confirmed agreement allows (M8)."""
    case = obligation.agreement.case
    require(user, "performance", case)
    obligation = locked(obligation)
    if action == "apply_enforcement" and not confirmed(obligation.agreement):
        raise refused(
            "not_confirmed",
            _("只有经司法确认有效的调解协议才能申请强制执行；未经确认的，可以就协议向法院起诉。"),
        )
    OBLIGATION_FLOW.apply(obligation, action)
    if action == "perform":
        day = on or today()
        if day > today():
            raise refused("future", _("履行日期不能晚于今天。"))
        obligation.performed_on = day
    obligation.note = clean_text(note, _("说明"), required=False, limit=500, multiline=False)
    obligation.save()
    audit.record("mediation.performance", case, actor=user, changes={"obligation": obligation.pk, "action": action})
    return obligation


# --- credit ------------------------------------------------------------------------------------------------------


def refer_infringement(case: Case) -> list[CreditReferral]:
    """Each respondent of an effective agreement that confirms infringement is referred to the credit supervisors;
    one who confirmed infringement in an earlier case is a repeat infringer."""
    from django.contrib.auth import get_user_model

    from artrights.accounts.models import Role

    made = []
    for p in case.respondents():
        earlier = CreditReferral.objects.filter(respondent=p.party).exclude(case=case).exists()
        referral = CreditReferral.objects.create(
            case=case,
            respondent=p.party,
            repeat=earlier,
            behaviour_code=settings.ARTRIGHTS_MEDIATION_REPEAT_BEHAVIOUR
            if earlier
            else settings.ARTRIGHTS_MEDIATION_CREDIT_BEHAVIOUR,
        )
        made.append(referral)
        supervisors = get_user_model()._default_manager.filter(role=Role.SUPERVISOR, is_active=True)
        notify(
            recipients=supervisors,
            kind=N.CREDIT_REFERRAL.key,
            subject=referral,
            params={"number": case.number, "respondent": p.party.name, "behaviour": referral.behaviour_code},
            url=reverse("mediation:referrals"),  # supervisors are no party to the case: their desk lists it
        )
    return made


@transaction.atomic
def record_credit(*, user: Any, referral: CreditReferral) -> Any:
    """A supervisor records the referred infringement through credit's services: the respondent becomes a credit
    subject (by its checked identifier) and the record cites the agreement as its decision."""
    from artrights.credit import services as credit
    from artrights.credit.models import CreditSubject, SubjectType

    require(user, "record", referral)
    referral = locked(referral)
    party = referral.respondent
    if party.id_type not in ("resident_id", "uscc"):
        raise refused(
            "identifier",
            _("信用主体以统一社会信用代码或居民身份证号码标识；被申请人 %(name)s 的证件不是其中之一。"),
            name=party.name,
        )
    subject = CreditSubject.objects.filter(code=party.id_number).first()
    if subject is None:
        subject = credit.register_subject(
            user=user,
            code=party.id_number,
            name=party.name,
            subject_type=SubjectType.NATURAL if party.id_type == "resident_id" else SubjectType.LEGAL_PERSON,
        )
    agreement = _effective(referral.case)
    record = credit.record_conduct(
        user=user,
        subject=subject,
        data=credit.RecordInput(
            behaviour_code=referral.behaviour_code,
            source_dept=referral.case.organisation.name,
            decision_no=agreement.number,
            decided_on=timezone.localdate(agreement.effective_at),
            facts=str(_("在调解案件 %(case)s 中确认侵犯著作权，调解协议 %(number)s 已生效。"))
            % {"case": referral.case.number, "number": agreement.number},
        ),
    )
    referral.status, referral.credit_record_number = ReferralStatus.RECORDED, record.number
    referral.save()
    audit.record("mediation.record_credit", referral.case, actor=user, changes={"record": record.number})
    return record


# --- the referral package of a failed mediation ---------------------------------------------------------------------


def make_referral(case: Case) -> Case:
    """The case summary PDF the court receives (parties, claims, reasons, costs conduct, undisputed facts, works and
    evidence with their numbers), signed like the registry's documents; made once."""
    from artrights.registry.certificate_pdf import sign_pdf
    from artrights.registry.keys import signing_identity
    from artrights.timestamps import services as timestamps

    from ..agreement_pdf import render_referral

    if case.referral_pdf:
        return case
    with translation.override(settings.LANGUAGE_CODE):  # a court document is in Chinese, whoever's act made it
        doc = _referral_document(case)
    identity = signing_identity()
    signed = sign_pdf(
        render_referral(doc, font=settings.ARTRIGHTS_CJK_FONT),
        identity.key,
        identity.chain,
        timestamps.answer,
        reason="调解不成移送函 / referral",
    )
    case.referral_pdf.save(f"{doc.number}.pdf", ContentFile(signed), save=False)
    case.referral_sha256 = hashlib.sha256(signed).hexdigest()
    case.save(update_fields=["referral_pdf", "referral_sha256"])
    return case


def _referral_document(case: Case) -> ReferralDocument:
    from ..agreement_pdf import ReferralDocument

    sides = dict(Side.choices)
    evidence = [
        f"{e.number or e.pk} {e.get_kind_display()} {e.source_url or e.page_title or ''}".strip()
        + (f"，公开日志第 {e.log_index} 条" if e.log_index is not None else "")
        for e in case.evidence.all()
    ]
    evidence += [f"比对报告 #{r.pk}（{len(r.results)} 项匹配）" for r in case.match_reports.all()]
    return ReferralDocument(
        number=f"{case.number}-YS",
        case_number=case.number,
        organisation=case.organisation.name,
        court=case.court,
        source=str(dict(Source.choices)[case.source]),
        court_case_no=case.court_case_no,
        parties=[(str(sides[p.side]), p.party.name) for p in case.parties.select_related("party")],
        claims=[c.text + (f"（{c.amount} 元）" if c.amount is not None else "") for c in case.claims.all()],
        summary=case.summary,
        reason=str(dict(FailureReason.choices).get(case.end_reason, case.end_reason or "—")),
        note=case.end_note,
        cost_conduct=case.cost_conduct,
        undisputed_facts=[s.undisputed_facts for s in case.sessions.all() if s.undisputed_facts],
        evidence=evidence,
        works=[f"《{w.title}》 {w.number or ''}".strip() for w in case.works.all()],
        issued_on=today(),
        verify_url=public_url.absolute("/verify/"),
    )


# --- the sweep -----------------------------------------------------------------------------------------------------


def _flag(case: Case, step: str, due: dt.date, recipients: list[Any]) -> bool:
    if case.overdue_step == step:
        return False
    case.overdue_step = step
    case.save(update_fields=["overdue_step"])
    tell(case, recipients, N.OVERDUE.key, step=step, due=due.isoformat(), actor=None)
    return True


def sweep(on: dt.date | None = None) -> dict[str, int]:
    """What time does by itself: flag each overdue step once and tell who must act; end a case whose respondent did
    not answer in time (M19) or whose period ran out without an extension (M20); mark obligations not performed by
    their day as breached."""
    from .cases import end_as_failed

    day = on or today()
    done = {"flagged": 0, "ended": 0, "expired": 0, "breached": 0}
    for case in Case.objects.filter(status=CaseStatus.APPLIED, acceptance_due__lt=day).exclude(
        overdue_step="acceptance"
    ):
        with transaction.atomic():
            done["flagged"] += _flag(locked(case), "acceptance", case.acceptance_due, list(admins_of(case)))
    for case in Case.objects.filter(status=CaseStatus.ACCEPTED, consent_due__lt=day):
        with transaction.atomic():
            case = locked(case)
            CASE_FLOW.apply(case, "refuse")
            case.ended_on, case.end_reason, case.ending = day, FailureReason.PARTY_REFUSES, Ending.NO_ANSWER
            case.overdue_step = ""
            case.save()
            audit.record("mediation.no_answer", case)
            tell(
                case,
                party_people(case) + list(admins_of(case)),
                N.CASE_ENDED.key,
                outcome=case.status,
                note="no_answer",
                actor=None,
            )
            done["ended"] += 1
    for case in Case.objects.filter(status=CaseStatus.CONSENTED, appointment_due__lt=day).exclude(
        overdue_step="appointment"
    ):
        with transaction.atomic():
            assert case.appointment_due is not None
            done["flagged"] += _flag(locked(case), "appointment", case.appointment_due, list(admins_of(case)))
    for case in Case.objects.filter(status=CaseStatus.MEDIATOR_ASSIGNED, confirmation_due__lt=day).exclude(
        overdue_step="confirmation"
    ):
        with transaction.atomic():
            assert case.confirmation_due is not None
            people = list(admins_of(case)) + mediator_people(case)
            done["flagged"] += _flag(locked(case), "confirmation", case.confirmation_due, people)
    for case in Case.objects.filter(status=CaseStatus.IN_MEDIATION, mediation_due__lt=day):
        with transaction.atomic():
            end_as_failed(
                locked(case),
                reason=FailureReason.EXPIRED,
                note="",  # the reason says it in the reader's language, the page shows the day the period ran out
                actor=None,
                action="expire",
            )
            done["expired"] += 1
    for obligation in Obligation.objects.filter(
        status=ObligationStatus.OPEN, due__lt=day, agreement__status=AgreementStatus.EFFECTIVE
    ).select_related("agreement__case", "payer__party"):
        with transaction.atomic():
            obligation = locked(obligation)
            OBLIGATION_FLOW.apply(obligation, "breach")
            obligation.save()
            case = obligation.agreement.case
            tell(
                case,
                party_people(case) + mediator_people(case) + list(admins_of(case)),
                N.OBLIGATION_BREACHED.key,
                obligation=str(obligation),
                due=obligation.due.isoformat(),
                actor=None,
            )
            done["breached"] += 1
    late = JudicialConfirmation.objects.filter(
        Q(status=ConfirmationStatus.APPLIED, acceptance_due__lt=day)
        | Q(status=ConfirmationStatus.ACCEPTED, decision_due__lt=day)
    ).select_related("agreement__case")
    for confirmation in late:
        case = confirmation.agreement.case
        due = (
            confirmation.acceptance_due
            if confirmation.status == ConfirmationStatus.APPLIED
            else confirmation.decision_due
        )
        with transaction.atomic():
            assert due is not None
            done["flagged"] += _flag(locked(case), "confirmation_court", due, list(admins_of(case)))
    return done
