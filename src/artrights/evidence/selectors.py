"""Reads for evidence: what a person's pages and the API list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.accounts.access import get_visible_or_404, visible_to

from .models import EvidenceRecord, EvidenceStatus


def records_for(user: Any) -> QuerySet[EvidenceRecord]:
    """The records ``user`` may read, newest first."""
    return visible_to(user, EvidenceRecord.objects.select_related("work", "requester"))


def record_by_number(user: Any, number: str) -> EvidenceRecord:
    """One record ``user`` may read, by its number (404 otherwise, never a hint that it exists)."""
    return get_visible_or_404(user, EvidenceRecord.objects.select_related("work", "requester"), number=number)


def sealed_count(user: Any) -> int:
    return (
        records_for(user)
        .filter(status__in=(EvidenceStatus.SEALED, EvidenceStatus.VERIFIED, EvidenceStatus.VERIFY_FAILED))
        .count()
    )


def in_progress_count(user: Any) -> int:
    return (
        records_for(user)
        .exclude(
            status__in=(
                EvidenceStatus.SEALED,
                EvidenceStatus.VERIFIED,
                EvidenceStatus.VERIFY_FAILED,
                EvidenceStatus.VOID,
            )
        )
        .count()
    )
