"""How copy detection follows the registry: signal receivers, connected in ``MatchingConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from artrights.core.images import ImageRejected, load_image
from artrights.registry.models import FileRole, Work
from artrights.registry.screening import LIVE

from .fingerprint import extract
from .models import ReferenceFingerprint


def fingerprint_granted_work(sender: Any, work: Work, **kwargs: Any) -> None:
    """A newly granted work's samples are fingerprinted by the worker and join every process's index."""
    from .tasks import fingerprint_work_task

    fingerprint_work_task(work.pk)


def drop_work(sender: Any, work: Work, **kwargs: Any) -> None:
    """A revoked work, or a withdrawn or refused application, leaves the index (each process's next sync
    removes it)."""
    ReferenceFingerprint.objects.filter(work=work, active=True).update(active=False, deactivated_at=timezone.now())


def find_near_copies(sender: Any, work: Work, **kwargs: Any) -> list[tuple[Work, float, dict[str, Any]]]:
    """Answer the registry's screening: granted works and pending applications whose samples appear in ``work``'s
    samples, with what each finding rests on. The application itself joins the index, so the applications after
    it are screened against it."""
    from .services import fingerprint_work, search, why_found

    fingerprint_work(work)
    found: list[tuple[Work, float, dict[str, Any]]] = []
    samples = work.workfile_set.filter(role=FileRole.SAMPLE).exclude(iscc="").select_related("stored_file")
    for wf in samples:
        with wf.stored_file.file.open("rb") as fh:
            data = fh.read()
        try:
            fingerprint = extract(load_image(data), query=True)
        except ImageRejected:
            continue
        size = (fingerprint.width, fingerprint.height)
        found += [
            (m.work, m.score, why_found(m, size)) for m in search(fingerprint, exclude_work=work.pk, statuses=LIVE)
        ]
    return found
