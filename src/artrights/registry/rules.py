"""Who may do what with works (see accounts.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import Work

STAFF = (Role.REGISTRAR, Role.SUPERVISOR)


def _is_applicant_side(user: Any, work: Work) -> bool:
    if work.applicant_id == user.pk:
        return True
    return bool(work.agent_id and user.role == Role.AGENCY and user.organisation_id == work.agent_id)


@rule(Work, "create")
def _create(user: Any, work: None) -> bool:
    return user.role in (Role.ARTIST, Role.AGENCY)


@rule(Work, "submit")
def _submit(user: Any, work: Work) -> bool:
    return _is_applicant_side(user, work)


@rule(Work, "view")
def _view(user: Any, work: Work) -> bool:
    return user.role in STAFF or _is_applicant_side(user, work)


@rule(Work, "review")
def _review(user: Any, work: Work | None) -> bool:
    return user.role == Role.REGISTRAR


@rule(Work, "revoke")
def _revoke(user: Any, work: Work | None) -> bool:
    return user.role == Role.REGISTRAR


@rule(Work, "file_contract")
def _file_contract(user: Any, work: Work) -> bool:
    return user.role == Role.REGISTRAR or _is_applicant_side(user, work)


@rule(Work, "reissue")
def _reissue(user: Any, work: Work) -> bool:
    return user.role == Role.REGISTRAR or _is_applicant_side(user, work)


@rule(Work, "download_certificate")
def _download(user: Any, work: Work) -> bool:
    return user.role in STAFF or _is_applicant_side(user, work)


@visible(Work)
def _visible_works(user: Any, qs: QuerySet[Work]) -> QuerySet[Work]:
    if user.role in STAFF:
        return qs
    mine = Q(applicant=user)
    if user.role == Role.AGENCY and user.organisation_id:
        mine |= Q(agent_id=user.organisation_id)
    return qs.filter(mine)
