"""How copy detection follows the registry: signal receivers, connected in ``MatchingConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from artrights.core.images import ImageRejected, load_image
from artrights.registry.models import FileRole, Work

from .fingerprint import extract
from .models import ReferenceFingerprint


def fingerprint_granted_work(sender: Any, work: Work, **kwargs: Any) -> None:
    """A newly granted work's samples are fingerprinted by the worker and join every process's index."""
    from .tasks import fingerprint_work_task

    fingerprint_work_task(work.pk)


def drop_revoked_work(sender: Any, work: Work, **kwargs: Any) -> None:
    """A revoked work leaves the index at once (each process's next sync removes it)."""
    ReferenceFingerprint.objects.filter(work=work, active=True).update(active=False, deactivated_at=timezone.now())


def find_near_copies(sender: Any, work: Work, **kwargs: Any) -> list[tuple[Work, float]]:
    """Answer the registry's duplicate check: granted works whose samples appear in ``work``'s samples."""
    from .services import search

    found: list[tuple[Work, float]] = []
    samples = work.workfile_set.filter(role=FileRole.SAMPLE).exclude(iscc="").select_related("stored_file")
    for wf in samples:
        with wf.stored_file.file.open("rb") as fh:
            data = fh.read()
        try:
            fingerprint = extract(load_image(data), query=True)
        except ImageRejected:
            continue
        found += [(match.work, match.score) for match in search(fingerprint, exclude_work=work.pk)]
    return found
