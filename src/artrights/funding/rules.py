"""Who may do what with the fund, by business verb (see accounts.access).

The fund's administrators are the supervisors (role ``supervisor``): the city administration's staff, the same
people who keep the credit lists that restrict funding; there is no separate fund role. They set up programmes,
review applications, record payments and read the budget. Owners apply in their own name (a rights holder, a
mediation organisation's administrator for its closed cases); an agency applies for the owners it filed for. An
application is seen by the administrators, whoever filed it, its owner and the agency that filed it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import GRANTED, Application, Programme, Status

APPLICANT_ROLES = (Role.ARTIST, Role.AGENCY, Role.MEDIATION_ADMIN)


def is_fund_admin(user: Any) -> bool:
    return bool(user.role == Role.SUPERVISOR)


def own_party_ids(user: Any) -> set[int]:
    """The parties ``user`` answers for: their own identity, their organisation."""
    found: set[int] = set()
    if getattr(user, "party_id", None):
        found.add(user.party_id)
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.party_id:
        found.add(organisation.party_id)
    return found


def _involved(user: Any, application: Application) -> bool:
    return (
        application.filed_by_id == user.pk
        or application.applicant_id in own_party_ids(user)
        or (application.agency_id is not None and application.agency_id == getattr(user, "organisation_id", None))
    )


# Programmes ------------------------------------------------------------------------------------------------


@rule(Programme, "manage")
def _manage(user: Any, programme: None) -> bool:
    return is_fund_admin(user)


@rule(Programme, "view_budget")
def _budget(user: Any, programme: None) -> bool:
    return is_fund_admin(user)


@rule(Programme, "apply")
def _apply(user: Any, programme: Programme) -> bool:
    return user.role in APPLICANT_ROLES


@visible(Programme)
def _programmes(user: Any, qs: QuerySet[Programme]) -> QuerySet[Programme]:
    return qs  # programmes are public calls for applications


# Applications ----------------------------------------------------------------------------------------------


@rule(Application, "view")
def _view(user: Any, application: Application) -> bool:
    return is_fund_admin(user) or _involved(user, application)


@rule(Application, "decide")
def _decide(user: Any, application: Application) -> bool:
    return is_fund_admin(user) and application.status == Status.SUBMITTED


@rule(Application, "pay")
def _pay(user: Any, application: Application) -> bool:
    return is_fund_admin(user) and application.status in GRANTED


@rule(Application, "withdraw")
def _withdraw(user: Any, application: Application) -> bool:
    return application.status == Status.SUBMITTED and _involved(user, application)


@visible(Application)
def _applications(user: Any, qs: QuerySet[Application]) -> QuerySet[Application]:
    if is_fund_admin(user):
        return qs
    wanted = Q(filed_by=user) | Q(applicant_id__in=own_party_ids(user))
    if getattr(user, "organisation_id", None):
        wanted |= Q(agency_id=user.organisation_id)
    return qs.filter(wanted)
