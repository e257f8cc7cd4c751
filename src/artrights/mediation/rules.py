"""Who may do what in mediation, by business verb (see accounts.access).

A party acts through its own account (the verified identity of the party) or its agent. The mediator of a case
runs it; the mediation administrators of the case's organisation accept cases, appoint mediators, decide recusals
and record what the courts do. A court's liaison staff (诉调对接) delegate (委派) and entrust (委托) cases to a
mediation organisation, see the cases of their court (the one that sent the case or that is asked for judicial
confirmation) and record what their court did. Supervisors record the credit referrals an effective agreement
produced. Nobody else sees a case: its parties, claims and minutes are private (M5, M13).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import OrganisationKind, Role

from .models import (
    OPEN_STATES,
    Case,
    CaseStatus,
    CreditReferral,
    JudicialConfirmation,
    Mediator,
    MediatorStatus,
    ReferralStatus,
    Side,
)


def is_admin_of(user: Any, organisation_id: int | None) -> bool:
    return bool(user.role == Role.MEDIATION_ADMIN and organisation_id and user.organisation_id == organisation_id)


def is_case_admin(user: Any, case: Case) -> bool:
    return is_admin_of(user, case.organisation_id)


def is_case_mediator(user: Any, case: Case) -> bool:
    mediator = getattr(user, "mediator", None) if user.role == Role.MEDIATOR else None
    return mediator is not None and case.mediator_id == mediator.pk


def court_name(user: Any) -> str:
    """The court a liaison account works for ("" for everyone else)."""
    organisation = getattr(user, "organisation", None) if getattr(user, "role", None) == Role.COURT else None
    if organisation is None or not organisation.is_active or organisation.kind != OrganisationKind.COURT:
        return ""
    return str(organisation.name)


def is_case_court(user: Any, case: Case) -> bool:
    """The court that sent the case, or that the parties asked for its judicial confirmation."""
    court = court_name(user)
    if not court:
        return False
    return case.court == court or JudicialConfirmation.objects.filter(agreement__case=case, court=court).exists()


def party_of(user: Any, case: Case, side: str | None = None) -> bool:
    return any(p.acts_for(user) and (side is None or p.side == side) for p in case.parties.all())


def _may_apply(user: Any) -> bool:
    return bool(user.role in (Role.ARTIST, Role.AGENCY) and getattr(user, "real_name_verified", False))


@rule(Case, "apply")
def _apply(user: Any, case: None) -> bool:
    """A verified person or agency applies in its own name (or for a client with a power of attorney)."""
    return _may_apply(user)


@rule(Case, "register")
def _register(user: Any, case: None) -> bool:
    """Cases from a court, a workstation or an administrative body are entered by the organisation's staff."""
    return bool(user.role == Role.MEDIATION_ADMIN and user.organisation_id)


@rule(Case, "delegate")
def _delegate(user: Any, case: None) -> bool:
    """A court's liaison staff send a case to a mediation organisation before filing (委派) or after (委托)."""
    return bool(court_name(user))


@rule(Case, "view")
def _view(user: Any, case: Case) -> bool:
    return (
        is_case_admin(user, case) or is_case_mediator(user, case) or party_of(user, case) or is_case_court(user, case)
    )


@rule(Case, "accept")
def _accept(user: Any, case: Case) -> bool:
    return is_case_admin(user, case)


@rule(Case, "answer")
def _answer(user: Any, case: Case) -> bool:
    """The respondent says whether it agrees to mediate."""
    return party_of(user, case, Side.RESPONDENT)


@rule(Case, "choose")
def _choose(user: Any, case: Case) -> bool:
    return party_of(user, case)


@rule(Case, "appoint")
def _appoint(user: Any, case: Case) -> bool:
    return is_case_admin(user, case)


@rule(Case, "confirm")
def _confirm(user: Any, case: Case) -> bool:
    """The assigned mediator accepts (signs for the file) or declines."""
    return is_case_mediator(user, case)


@rule(Case, "request_recusal")
def _request_recusal(user: Any, case: Case) -> bool:
    return party_of(user, case) or is_case_mediator(user, case)


@rule(Case, "decide_recusal")
def _decide_recusal(user: Any, case: Case) -> bool:
    return is_case_admin(user, case)


@rule(Case, "mediate")
def _mediate(user: Any, case: Case) -> bool:
    """Sessions, minutes, the agreement's text, extensions, suspending and ending the mediation."""
    return is_case_mediator(user, case)


@rule(Case, "answer_extension")
def _answer_extension(user: Any, case: Case) -> bool:
    return party_of(user, case)


@rule(Case, "end")
def _end(user: Any, case: Case) -> bool:
    """A party may end the mediation at any time (M5)."""
    return party_of(user, case)


@rule(Case, "sign")
def _sign(user: Any, case: Case) -> bool:
    return party_of(user, case) or is_case_mediator(user, case) or is_case_admin(user, case)


@rule(Case, "withdraw")
def _withdraw(user: Any, case: Case) -> bool:
    return party_of(user, case, Side.APPLICANT) and case.status in OPEN_STATES


@rule(Case, "court")
def _court(user: Any, case: Case) -> bool:
    """What courts do with the case (filing, 调解书, transfer, trial resumed, judicial confirmation) is recorded
    by the organisation's staff or by the court's own liaison staff."""
    return is_case_admin(user, case) or is_case_court(user, case)


@rule(Case, "performance")
def _performance(user: Any, case: Case) -> bool:
    """The performance of the agreement's obligations is supervised by the mediator and the organisation (M7)."""
    return (is_case_mediator(user, case) or is_case_admin(user, case)) and case.status != CaseStatus.APPLIED


@visible(Case)
def _cases(user: Any, qs: QuerySet[Case]) -> QuerySet[Case]:
    wanted = Q(parties__agent=user)
    party = getattr(user, "party", None)
    if party is not None:
        wanted |= Q(parties__party=party)
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        wanted |= Q(parties__party__id_type="uscc", parties__party__id_number=organisation.uscc)
    if user.role == Role.MEDIATION_ADMIN and user.organisation_id:
        wanted |= Q(organisation_id=user.organisation_id)
    mediator = getattr(user, "mediator", None) if user.role == Role.MEDIATOR else None
    if mediator is not None:
        wanted |= Q(mediator=mediator)
    court = court_name(user)
    if court:
        wanted |= Q(court=court) | Q(agreement__confirmations__court=court)
    return qs.filter(wanted).distinct()


# Mediators ---------------------------------------------------------------------------------------------------


@rule(Mediator, "enrol")
def _enrol(user: Any, mediator: None) -> bool:
    return bool(user.role == Role.MEDIATION_ADMIN and user.organisation_id)


@rule(Mediator, "manage")
def _manage(user: Any, mediator: Mediator) -> bool:
    return is_admin_of(user, mediator.organisation_id)


@rule(Mediator, "declare")
def _declare(user: Any, mediator: Mediator) -> bool:
    """A mediator declares their own conflicts of interest."""
    return bool(mediator.user_id == user.pk and mediator.status != MediatorStatus.DISMISSED)


@visible(Mediator)
def _mediators(user: Any, qs: QuerySet[Mediator]) -> QuerySet[Mediator]:
    """The roster is for parties to choose from: every signed-in user sees it."""
    return qs


# Credit referrals --------------------------------------------------------------------------------------------


@rule(CreditReferral, "record")
def _record(user: Any, referral: CreditReferral) -> bool:
    return bool(user.role == Role.SUPERVISOR and referral.status == ReferralStatus.PENDING)


@visible(CreditReferral)
def _referrals(user: Any, qs: QuerySet[CreditReferral]) -> QuerySet[CreditReferral]:
    return qs if user.role == Role.SUPERVISOR else qs.none()
