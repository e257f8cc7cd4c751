"""Reads for the registry."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Status, Work

PUBLIC_STATUSES = (Status.REGISTERED, Status.FILED, Status.REVOKED)


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
