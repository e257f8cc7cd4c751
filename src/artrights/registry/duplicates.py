"""Finding earlier granted works that an application's sample copies.

Exact matches come from the SHA-256 of the sample; near copies (cropped, recoloured, photographed…) come from
the matching engine's index of registered works when it is available.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .models import FileRole, Status, Work, WorkFile


@dataclass(frozen=True)
class DuplicateMatch:
    work: Work
    score: float
    method: str


GRANTED = (Status.REGISTERED, Status.FILED)


def find_matches(work: Work) -> Iterator[DuplicateMatch]:
    """Granted works (other than `work`) whose samples equal or resemble `work`'s samples."""
    hashes = list(work.workfile_set.filter(role=FileRole.SAMPLE).values_list("stored_file__sha256", flat=True))
    seen: set[int] = set()
    exact = (
        WorkFile.objects.filter(role=FileRole.SAMPLE, stored_file__sha256__in=hashes, work__status__in=GRANTED)
        .exclude(work=work)
        .select_related("work")
    )
    for wf in exact:
        if wf.work_id not in seen:
            seen.add(wf.work_id)
            yield DuplicateMatch(work=wf.work, score=1.0, method="sha256")
    yield from _near_copies(work, seen)


def _near_copies(work: Work, seen: set[int]) -> Iterator[DuplicateMatch]:
    """Granted works the copy-detection engine finds in the samples (cropped, recoloured, photographed…)."""
    from artrights.core.images import ImageRejected, load_image
    from artrights.matching.fingerprint import extract
    from artrights.matching.services import search

    samples = work.workfile_set.filter(role=FileRole.SAMPLE).exclude(iscc="").select_related("stored_file")
    for wf in samples:
        with wf.stored_file.file.open("rb") as fh:
            data = fh.read()
        try:
            fingerprint = extract(load_image(data), query=True)
        except ImageRejected:
            continue
        for found in search(fingerprint, exclude_work=work.pk):
            if found.work.pk not in seen:
                seen.add(found.work.pk)
                yield DuplicateMatch(work=found.work, score=found.score, method="matcher")
