"""Reads for the registry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from artrights.accounts.access import visible_to
from artrights.accounts.models import User

from .models import Pledge, PledgeConsent, PledgeStatus, Status, Work

PUBLIC_STATUSES = (Status.REGISTERED, Status.FILED, Status.REVOKED)


def works_for(user: Any, *, status: str | None = None) -> QuerySet[Work]:
    """The works ``user`` may see (their own, their agency's, or all for registry staff), newest first."""
    works = visible_to(user, Work.objects.all()).order_by("-created_at")
    if status:
        if status not in Status.values:
            raise ValidationError(_("未知的状态：%(status)s") % {"status": status}, code="unknown_status")
        works = works.filter(status=status)
    return works


def review_queue() -> QuerySet[Work]:
    """Applications waiting for a registrar, the oldest deadline first."""
    return (
        Work.objects.filter(
            status__in=[Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.CORRECTION_REQUIRED]
        )
        .prefetch_related("duplicate_warnings")
        .order_by("review_due", "submitted_at")
    )


def public_search(query: str, limit: int = 50) -> QuerySet[Work]:
    """The public registry: granted (and revoked) works by number or title."""
    return (
        Work.objects.filter(status__in=PUBLIC_STATUSES)
        .filter(Q(number__iexact=query) | Q(title__icontains=query))
        .order_by("-registered_at")[:limit]
    )


def public_record(number: str) -> Work | None:
    return Work.objects.filter(status__in=PUBLIC_STATUSES, number=number).first()


def open_consents(work: Work) -> QuerySet[PledgeConsent]:
    """The pledgees' consents a new contract on ``work`` may use: of pledges still registered, not yet used."""
    return PledgeConsent.objects.filter(pledge__works=work, pledge__status=PledgeStatus.REGISTERED, used_by=None)


def held_pledges(user: Any) -> QuerySet[Pledge]:
    """Pledges ``user`` holds as pledgee, with the consents they recorded."""
    return (
        visible_to(user, Pledge.objects.filter(pledgee_user=user))
        .prefetch_related("works", "consents__assignee")
        .order_by("-registered_at")
    )


def pledgee_account(username: str) -> Any:
    """The platform account a pledge's consents will come from, or None when no username was given."""
    if not username:
        return None
    account = User.objects.filter(username=username, is_active=True).first()
    if account is None:
        raise ValidationError(_("没有用户名为“%(name)s”的账户。") % {"name": username})
    return account
