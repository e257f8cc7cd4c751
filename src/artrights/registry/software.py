"""The software register's reads beside the work register: a software's stored source, its code comparison with
other software (winnowing, ``winnowing.py``) and the passages a registrar sees side by side.

Screening (``screening.py``) asks :func:`similar_software` for every live software whose code overlaps an
application's at least ``ARTRIGHTS_SOFTWARE_SIMILARITY``; the source trees stay private (only the registrar's page
shows the matching passages).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count

from . import deposit, winnowing
from .models import FileRole, Kind, Software, SoftwareHash, Status, Work

LIVE = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.UNDER_REVIEW,
    Status.CORRECTION_REQUIRED,
    Status.HELD,
    Status.REGISTERED,
)
CONTEXT_LINES = 3  # shown after a passage's last matching k-gram start, so the k-gram itself is visible
MAX_PASSAGE_LINES = 30


def limits() -> deposit.Limits:
    return deposit.Limits(
        max_entries=settings.ARTRIGHTS_SOFTWARE_MAX_ENTRIES, max_bytes=settings.ARTRIGHTS_SOFTWARE_MAX_TREE_BYTES
    )


def source_files(work: Work) -> list[deposit.SourceFile]:
    """The source files (text) of the tree the applicant uploaded, in the order the fingerprints index them."""
    archive = work.workfile_set.filter(role=FileRole.SOURCE_ARCHIVE).select_related("stored_file").first()
    if archive is None:
        return []
    with archive.stored_file.file.open("rb") as fh:
        files = deposit.read_archive(fh.read(), limits=limits())
    return [f for f in files if f.is_source]


def fingerprints_of(files: list[deposit.SourceFile]) -> tuple[list[list[int]], list[str]]:
    """Winnowing fingerprints of the source files, as stored on :class:`Software`, and their paths."""
    found = winnowing.fingerprint_sources(f.text() or "" for f in files)
    return [f.to_json() for f in found], [f.path for f in files]


@dataclass(frozen=True)
class SimilarSoftware:
    work: Work
    score: float
    passages: list[dict[str, Any]]


def similar_software(work: Work) -> Iterator[SimilarSoftware]:
    """Other live software whose code overlaps ``work``'s (the same tree: score 1.0), with matching passages."""
    mine_sw = getattr(work, "software", None)
    if work.kind != Kind.SOFTWARE or mine_sw is None:
        return
    mine = [winnowing.Fingerprint.from_json(f) for f in mine_sw.fingerprints]
    others = (
        Software.objects.filter(pk__in=_candidates(mine_sw, {f.hash for f in mine}))
        .filter(work__kind=Kind.SOFTWARE, work__status__in=LIVE)
        .exclude(work=work)
        .select_related("work")
        .order_by("work__submitted_at", "work_id")
    )
    mine_text: list[deposit.SourceFile] | None = None
    for other in others:
        theirs = [winnowing.Fingerprint.from_json(f) for f in other.fingerprints]
        result = winnowing.compare(mine, theirs)
        same_tree = other.tree_sha256 == mine_sw.tree_sha256
        if not same_tree and result.score < settings.ARTRIGHTS_SOFTWARE_SIMILARITY:
            continue
        if mine_text is None:
            mine_text = source_files(work)
        yield SimilarSoftware(
            work=other.work,
            score=1.0 if same_tree else result.score,
            passages=_side_by_side(result.passages, mine_text, source_files(other.work)),
        )


LOOKUP_CHUNK = 500  # hashes per query: under every database's limit of bound parameters


def _candidates(mine: Software, hashes: set[int]) -> set[int]:
    """The software whose code can reach the similarity threshold against ``hashes`` (the score is the shared
    distinct hashes over the smaller set, so the index gives it exactly), and any with the same tree."""
    shared: Counter[int] = Counter()
    ordered = sorted(hashes)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start : start + LOOKUP_CHUNK]
        rows = SoftwareHash.objects.filter(value__in=chunk).exclude(software=mine).values_list("software", flat=True)
        shared.update(rows)
    sizes = dict(
        SoftwareHash.objects.filter(software__in=list(shared))
        .values("software")
        .annotate(n=Count("pk"))
        .values_list("software", "n")
    )
    threshold = settings.ARTRIGHTS_SOFTWARE_SIMILARITY
    found = {pk for pk, n in shared.items() if n >= threshold * min(len(hashes), sizes.get(pk, 0))}
    found.update(Software.objects.filter(tree_sha256=mine.tree_sha256).exclude(pk=mine.pk).values_list("pk", flat=True))
    return found


def _excerpt(files: list[deposit.SourceFile], index: int, first: int, last: int) -> dict[str, Any]:
    if index >= len(files):
        return {"path": "", "first": first, "lines": []}
    lines = (files[index].text() or "").splitlines()
    end = min(last + CONTEXT_LINES, first + MAX_PASSAGE_LINES - 1, len(lines))
    return {"path": files[index].path, "first": first, "lines": lines[first - 1 : end]}


def _side_by_side(
    passages: list[winnowing.Passage], mine: list[deposit.SourceFile], theirs: list[deposit.SourceFile]
) -> list[dict[str, Any]]:
    return [
        {
            "shared": p.shared,
            "mine": _excerpt(mine, p.mine_file, p.mine_first, p.mine_last),
            "theirs": _excerpt(theirs, p.theirs_file, p.theirs_first, p.theirs_last),
        }
        for p in passages
    ]
