"""Finding earlier granted works that an application's sample copies.

Exact matches come from the SHA-256 of the sample; near copies (cropped, recoloured, photographed…) come from
whatever answers the ``near_copy_search`` signal (the matching app's index of registered works).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from .models import FileRole, Status, Work, WorkFile
from .signals import near_copy_search


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
    """Granted works that connected engines find in the samples (cropped, recoloured, photographed…)."""
    for _receiver, response in near_copy_search.send(sender=Work, work=work):
        found = cast(Iterable[tuple[Work, float]], response or ())
        for earlier, score in found:
            if earlier.pk not in seen and earlier.pk != work.pk:
                seen.add(earlier.pk)
                yield DuplicateMatch(work=earlier, score=score, method="matcher")
