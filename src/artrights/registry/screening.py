"""Screening an application against every other live work: the same file, or a copy the engine recognises.

Runs when an application is created, submitted and accepted, and again before it is granted, against granted
works *and* pending applications (the same file in two pending applications must not be granted twice). Exact
copies come from the samples' SHA-256; near copies (cropped, recoloured, photographed…) from whatever answers the
``near_copy_search`` signal (the matching app's index). Each finding is kept as a ``DuplicateWarning``; one about
another owner's work holds the grant until a registrar resolves it, and the resolution stays on record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.core import audit

from . import software
from .models import DuplicateWarning, FileRole, Kind, Resolution, Status, Work, WorkFile
from .signals import near_copy_search

GRANTED = (Status.REGISTERED, Status.FILED)
PENDING = (Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.CORRECTION_REQUIRED, Status.HELD)
# Works an application may copy: granted ones and applications still in the registry's hands.
LIVE = GRANTED + PENDING


@dataclass(frozen=True)
class DuplicateMatch:
    work: Work
    score: float
    method: str
    passages: list[dict[str, Any]] = field(default_factory=list)
    why: dict[str, Any] = field(default_factory=dict)


def find_matches(work: Work) -> Iterator[DuplicateMatch]:
    """Live works other than ``work`` whose samples equal or resemble ``work``'s samples."""
    hashes = list(work.workfile_set.filter(role=FileRole.SAMPLE).values_list("stored_file__sha256", flat=True))
    seen: set[int] = set()
    exact = (
        WorkFile.objects.filter(role=FileRole.SAMPLE, stored_file__sha256__in=hashes, work__status__in=LIVE)
        .exclude(work=work)
        .select_related("work")
        .order_by("work__submitted_at", "work_id")
    )
    for wf in exact:
        if wf.work_id not in seen:
            seen.add(wf.work_id)
            yield DuplicateMatch(work=wf.work, score=1.0, method="sha256")
    if work.kind == Kind.SOFTWARE:  # software is compared by its code, not by a picture
        for similar in software.similar_software(work):
            if similar.work.pk not in seen:
                seen.add(similar.work.pk)
                yield DuplicateMatch(
                    work=similar.work, score=similar.score, method="winnowing", passages=similar.passages
                )
        return
    for _receiver, response in near_copy_search.send(sender=Work, work=work):
        for earlier, score, why in cast(Iterable[tuple[Work, float, dict[str, Any]]], response or ()):
            if earlier.pk not in seen and earlier.pk != work.pk and earlier.status in LIVE:
                seen.add(earlier.pk)
                yield DuplicateMatch(work=earlier, score=score, method="matcher", why=why)


def _owner_keys(work: Work) -> set[tuple[str, str]]:
    return set(work.owners().values_list("id_type", "id_number"))


def screen(work: Work, *, stage: str) -> list[DuplicateWarning]:
    """Record what ``work`` copies now (new findings, or a higher score for old ones); returns its open warnings."""
    owners = _owner_keys(work)
    for match in find_matches(work):
        warning, created = DuplicateWarning.objects.get_or_create(
            work=work,
            earlier=match.work,
            defaults={
                "method": match.method,
                "score": match.score,
                "same_owner": bool(owners & _owner_keys(match.work)),
                "stage": stage,
                "passages": match.passages,
                "why": match.why,
            },
        )
        upgraded = match.method == "sha256" and warning.method != "sha256"
        higher = match.score > warning.score
        if not created and (higher or upgraded):
            warning.score = max(warning.score, match.score)
            warning.method = "sha256" if "sha256" in (match.method, warning.method) else match.method
            warning.passages = match.passages or warning.passages
            warning.why = match.why if higher else warning.why
            warning.save(update_fields=["score", "method", "passages", "why"])
    return list(blocking(work))


def blocking(work: Work) -> QuerySet[DuplicateWarning]:
    """Warnings about another owner's live work that no registrar has resolved yet."""
    return work.duplicate_warnings.filter(
        same_owner=False, resolution=Resolution.OPEN, earlier__status__in=LIVE
    ).select_related("earlier")


def resolve(*, work: Work, registrar: Any, resolution: str, note: str) -> int:
    """A registrar's conclusion on every open warning of ``work`` (cleared: not a copy of that work, e.g. the same
    person under another identifier or a licensed use; upheld: a copy). Returns how many were resolved."""
    if resolution not in (Resolution.CLEARED, Resolution.UPHELD):
        raise ValidationError(_("请选择核查结论。"), code="bad_resolution")
    if not note.strip():
        raise ValidationError(_("请写明核查说明：为什么这不是（或是）他人作品的复制品。"), code="note_required")
    now = timezone.now()
    count = blocking(work).update(
        resolution=resolution, resolved_by=registrar, resolved_at=now, resolution_note=note.strip()
    )
    if count:
        audit.record(
            "registry.resolve_duplicates", work, actor=registrar, changes={"resolution": resolution, "warnings": count}
        )
    return count


def same_submission(work: Work) -> Work | None:
    """Another live work of the same applicant (or their agency) with an identical sample: a second submission."""
    hashes = list(work.workfile_set.filter(role=FileRole.SAMPLE).values_list("stored_file__sha256", flat=True))
    return earlier_submission(applicant_id=work.applicant_id, agent_id=work.agent_id, hashes=hashes, exclude=work.pk)


def earlier_submission(
    *, applicant_id: int, agent_id: int | None, hashes: list[str], exclude: int | None = None
) -> Work | None:
    """The live work of this applicant (or agency) whose sample has one of these SHA-256 hashes, if any."""
    mine = Q(applicant_id=applicant_id)
    if agent_id:
        mine |= Q(agent_id=agent_id)
    found = Work.objects.filter(
        mine, status__in=LIVE, workfile__role=FileRole.SAMPLE, workfile__stored_file__sha256__in=hashes
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.order_by("created_at").first()
