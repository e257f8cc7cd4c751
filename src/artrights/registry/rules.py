"""Who may do what in the registry, by business verb (see accounts.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import ContractFiling, ContractType, Pledge, Work

STAFF = (Role.REGISTRAR, Role.SUPERVISOR)


def _is_applicant_side(user: Any, work: Work) -> bool:
    """The applicant, or a member of the agency that filed the work for them."""
    if work.applicant_id == user.pk:
        return True
    return bool(work.agent_id and user.role == Role.AGENCY and user.organisation_id == work.agent_id)


def _submitted(work: Work) -> bool:
    """Whether the application has been handed in, as stored: a caller may hold the copy it had before submitting."""
    if work.submitted_at is not None:
        return True
    return work.pk is not None and Work.objects.filter(pk=work.pk, submitted_at__isnull=False).exists()


def _is_staff(user: Any, work: Work) -> bool:
    """Registry staff, once the application is submitted: a draft is the applicant's own business until they
    hand it in (a draft withdrawn unsubmitted never reaches the registry at all)."""
    return user.role in STAFF and _submitted(work)


def _is_registrar(user: Any, work: Work | None) -> bool:
    """A registrar: for the review queue as a whole (no work), or for one work once it is submitted."""
    return bool(user.role == Role.REGISTRAR and (work is None or _submitted(work)))


# Applicants and agencies ----------------------------------------------------------------------------


@rule(Work, "apply")
def _apply(user: Any, work: None) -> bool:
    return user.role in (Role.ARTIST, Role.AGENCY)


@rule(Work, "view_clients")
def _view_clients(user: Any, work: None) -> bool:
    """An agency's members see the owners it represents (its clients) and their powers of attorney."""
    return user.role == Role.AGENCY and user.organisation_id is not None


@rule(Work, "submit")
def _submit(user: Any, work: Work) -> bool:
    return _is_applicant_side(user, work)


@rule(Work, "withdraw")
def _withdraw(user: Any, work: Work) -> bool:
    return _is_applicant_side(user, work)


@rule(Work, "correct")
def _correct(user: Any, work: Work) -> bool:
    return _is_applicant_side(user, work)


# Both sides -----------------------------------------------------------------------------------------


@rule(Work, "view")
def _view(user: Any, work: Work) -> bool:
    return _is_staff(user, work) or _is_applicant_side(user, work)


@rule(Work, "download_certificate")
def _download_certificate(user: Any, work: Work) -> bool:
    return _is_staff(user, work) or _is_applicant_side(user, work)


@rule(Work, "download_document")
def _download_document(user: Any, work: Work) -> bool:
    """The receipts, notices, decisions and filing certificates issued about the work."""
    return _is_staff(user, work) or _is_applicant_side(user, work)


@rule(Work, "download_openings")
def _download_openings(user: Any, work: Work) -> bool:
    """The file that opens the owner's commitment (their ID number): only the applicant side, who chooses to
    hand it on; registry staff see the ID in the dossier and have no reason to export it."""
    return _is_applicant_side(user, work)


def _holds_by_transfer(user: Any, work: Work) -> bool:
    """The account's party took rights in the work by a filed transfer: the new holder files its own contracts."""
    party_id = user.party_id or getattr(getattr(user, "organisation", None), "party_id", None)
    if party_id is None or work.pk is None:
        return False
    return ContractFiling.objects.filter(works=work, contract_type=ContractType.TRANSFER, assignee_id=party_id).exists()


@rule(Work, "file_contract")
def _file_contract(user: Any, work: Work) -> bool:
    return _is_registrar(user, work) or _is_applicant_side(user, work) or _holds_by_transfer(user, work)


@rule(Work, "reissue_certificate")
def _reissue_certificate(user: Any, work: Work) -> bool:
    return _is_registrar(user, work) or _is_applicant_side(user, work)


# Registrars -----------------------------------------------------------------------------------------

rule(Work, "review")(_is_registrar)  # accept, start the review, ask for corrections, register or refuse
rule(Work, "revoke")(_is_registrar)
rule(Work, "change")(_is_registrar)  # change or supplement a registration (Z61)
rule(Work, "register_pledge")(_is_registrar)


@rule(Pledge, "cancel")
def _cancel_pledge(user: Any, pledge: Pledge) -> bool:
    return bool(user.role == Role.REGISTRAR)


@visible(Work)
def _visible_works(user: Any, qs: QuerySet[Work]) -> QuerySet[Work]:
    if user.role in STAFF:
        return qs.filter(submitted_at__isnull=False)
    mine = Q(applicant=user)
    if user.role == Role.AGENCY and user.organisation_id:
        mine |= Q(agent_id=user.organisation_id)
    return qs.filter(mine)


# Pledgees -------------------------------------------------------------------------------------------


@rule(Pledge, "consent")
def _consent(user: Any, pledge: Pledge) -> bool:
    """Only the pledgee's own account records consent to a transfer or licence of the pledged works."""
    return bool(pledge.pledgee_user_id is not None and pledge.pledgee_user_id == user.pk)


@visible(Pledge)
def _visible_pledges(user: Any, qs: QuerySet[Pledge]) -> QuerySet[Pledge]:
    if user.role in STAFF:
        return qs
    return qs.filter(pledgee_user=user)
