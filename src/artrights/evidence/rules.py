"""Who may fix evidence, and who may see, download and re-verify it (see accounts.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import EvidenceRecord

# Everyone who may have to prove an infringement: rights holders and their agencies, and the officials and
# mediators who fix what they find in a case.
FIXERS = (
    Role.ARTIST,
    Role.AGENCY,
    Role.SUPERVISOR,
    Role.INSPECTOR,
    Role.MEDIATOR,
    Role.MEDIATION_ADMIN,
)
# Officials who read every record: supervision and enforcement act on what rights holders fixed.
READERS = (Role.SUPERVISOR, Role.INSPECTOR)


@rule(EvidenceRecord, "fix")
def _fix(user: Any, record: None) -> bool:
    return user.role in FIXERS


@rule(EvidenceRecord, "view")
def _view(user: Any, record: EvidenceRecord) -> bool:
    return record.requester_id == user.pk or user.role in READERS


@rule(EvidenceRecord, "export")
def _export(user: Any, record: EvidenceRecord) -> bool:
    """Downloading the package is a custody event; whoever may read the record may take a copy."""
    return record.is_sealed and (record.requester_id == user.pk or user.role in READERS)


@rule(EvidenceRecord, "verify")
def _verify(user: Any, record: EvidenceRecord) -> bool:
    return record.is_sealed and (record.requester_id == user.pk or user.role in READERS)


@visible(EvidenceRecord)
def _records(user: Any, qs: QuerySet[EvidenceRecord]) -> QuerySet[EvidenceRecord]:
    return qs if user.role in READERS else qs.filter(requester=user)
