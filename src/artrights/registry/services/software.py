"""Computer software registration (CPCC form R11, 《计算机软件著作权登记办法》; DOMAIN.md R1.12).

A software application is a ``Work`` of kind ``software`` with its :class:`~artrights.registry.models.Software`
particulars: it goes through the registry's one workflow (submission, acceptance, review, correction, refusal,
registration, change, revocation, withdrawal, reissue) with the software register's own deadlines, refusal
grounds, numbers and certificate.

The applicant uploads the source tree and the documentation; the platform builds the deposit (``deposit.py``)
before anything is stored: the source deposit PDF becomes the application's sample, the documentation deposit
and the uploaded archive are kept beside it, and the tree's canonical hash is committed in the public log when
the software is registered. A refused archive stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core.errors import BilingualError
from artrights.core.messages import as_validation_error, with_field_labels
from artrights.core.services import PartyInput, check_upload

from .. import deposit, screening
from .. import software as software_reads
from ..models import FileRole, Kind, PartyRole, Resolution, Software, Work, WorkType
from ._common import SOFTWARE_CHANGEABLE, _locked, _transition
from .applications import Remade, Replacement, SampleInput, _check_files, _store_files, create_application

# Particulars the software register keeps on its own row (the rest are the work's): the version and those a
# correction or change may set.
SOFTWARE_FIELDS = ("version", *sorted(SOFTWARE_CHANGEABLE))


@dataclass
class BuiltDeposit:
    """What the platform made from the uploads, before anything is stored."""

    tree_sha256: str
    tree_files: int
    source_lines: int
    source: deposit.Deposit
    documentation_pages: int
    source_pdf: bytes
    documentation_pdf: bytes
    redacted: list[list[int]] = field(default_factory=list)
    excerpt_from: int | None = None
    fingerprints: list[list[int]] = field(default_factory=list)
    fingerprint_paths: list[str] = field(default_factory=list)


def _read(upload: UploadedFile[bytes]) -> bytes:
    upload.seek(0)
    data = bytes(upload.read())
    upload.seek(0)
    return data


def build_deposit(
    *,
    name: str,
    version: str,
    archive: UploadedFile[bytes],
    documentation: UploadedFile[bytes],
    redactions: list[tuple[int, int]] | None = None,
    excerpt_from: int | None = None,
    request: Any = None,
) -> BuiltDeposit:
    """Open the uploaded tree and documentation and make the deposit PDFs; refuses (bilingual reason) an unsafe
    archive, a tree without source, a source or documentation under one page, a blacked-out part over half."""
    check_upload(archive, request)
    check_upload(documentation, request)
    if redactions and excerpt_from is not None:
        raise ValidationError(
            _("例外交存只能选一种方式：黑色覆盖部分代码，或前 10 页加连续 50 页。"), code="two_exceptions"
        )
    try:
        files = deposit.read_archive(_read(archive), limits=software_reads.limits())
        listing = deposit.source_listing(files)
        source = deposit.paginate(listing, excerpt_from=excerpt_from)
        covered = deposit.check_redactions(source, redactions or [])
        today = timezone.localdate()
        font = settings.ARTRIGHTS_CJK_FONT
        doc_heading = deposit.Heading(name, version, "文档")
        manual = _read(documentation)
        if deposit.is_pdf(manual):
            pdf_doc = deposit.pdf_documentation(manual)
            documentation_pages = len(pdf_doc.page_numbers)
            documentation_pdf = deposit.render_pdf_documentation(pdf_doc, doc_heading, made_on=today, font=font)
        else:
            docs = deposit.paginate(
                deposit.document_lines(deposit.decode_document(manual)),
                lines_per_page=deposit.DOC_LINES_PER_PAGE,
                what="documentation",
            )
            documentation_pages = len(docs.pages)
            documentation_pdf = deposit.render_deposit(docs, doc_heading, made_on=today, font=font)
    except BilingualError as exc:
        raise as_validation_error(exc) from None
    source_pdf = deposit.render_deposit(
        source, deposit.Heading(name, version, "源程序"), made_on=today, redacted=covered, font=font
    )
    sources = [f for f in files if f.is_source]
    prints, paths = software_reads.fingerprints_of(sources)
    return BuiltDeposit(
        tree_sha256=deposit.tree_hash(files),
        tree_files=len(files),
        source_lines=sum(1 for line in listing if line.number),
        source=source,
        documentation_pages=documentation_pages,
        source_pdf=source_pdf,
        documentation_pdf=documentation_pdf,
        redacted=[list(r) for r in (redactions or [])],
        excerpt_from=excerpt_from,
        fingerprints=prints,
        fingerprint_paths=paths,
    )


def parse_redactions(text: str) -> list[tuple[int, int]]:
    """Ranges of deposited lines to black out, one per line or comma: ``12-40`` or ``75``."""
    ranges = []
    for part in text.replace("，", ",").replace("\n", ",").split(","):
        part = part.strip().replace("–", "-")
        if not part:
            continue
        first, _sep, last = part.partition("-")
        try:
            ranges.append((int(first), int(last or first)))
        except ValueError:
            raise ValidationError(
                _("覆盖范围“%(part)s”应写成“起始行-结束行”，如 12-40。") % {"part": part[:40]}, code="bad_range"
            ) from None
    return ranges


def refuse_registered_version(work: Work, version: str) -> None:
    """A version of this software that one of its owners already registered (or has pending) is refused."""
    owners = list(work.owners().values_list("pk", flat=True))
    earlier = (
        Software.objects.filter(
            work__kind=Kind.SOFTWARE,
            work__title=work.title,
            version=version,
            work__status__in=software_reads.LIVE,
            work__workparty__role=PartyRole.OWNER,
            work__workparty__party__in=owners,
        )
        .exclude(work=work)
        .select_related("work")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _("同一著作权人已登记或正在申请《%(title)s》%(version)s（%(ref)s），同一版本不能重复登记。")
            % {
                "title": work.title,
                "version": version,
                "ref": earlier.work.number or earlier.work.flow_number or _("草稿"),
            },
            code="version_registered",
        )


def create_software_application(
    *,
    user: Any,
    fields: dict[str, Any],
    software: dict[str, Any],
    owners: list[PartyInput],
    archive: UploadedFile[bytes],
    documentation: UploadedFile[bytes],
    files: list[SampleInput] | None = None,
    redactions: list[tuple[int, int]] | None = None,
    excerpt_from: int | None = None,
    request: Any = None,
) -> Work:
    """A software application (draft) with its deposit built from the uploads; nothing stored when refused.

    ``fields`` are the work's (``title`` is the software's name, ``completed_on`` its development completion,
    ``first_published_on`` its first publication); ``software`` holds :data:`SOFTWARE_FIELDS`."""
    require(user, "apply", Work)
    unknown = sorted(set(software) - set(SOFTWARE_FIELDS))
    if unknown:
        raise ValidationError(_("未知的软件登记事项：%(fields)s") % {"fields": "、".join(unknown)})
    version = str(software.get("version", "")).strip()
    built = build_deposit(
        name=str(fields.get("title", "")),
        version=version,
        archive=archive,
        documentation=documentation,
        redactions=redactions,
        excerpt_from=excerpt_from,
        request=request,
    )
    uploads = [
        *deposit_files(built, name=str(fields.get("title", "")), version=version, archive=archive),
        *(files or []),
    ]

    def attach(work: Work) -> None:
        refuse_registered_version(work, version)
        row = Software(
            work=work,
            **{**software, "version": version},
            source_lines=built.source_lines,
            tree_sha256=built.tree_sha256,
            tree_files=built.tree_files,
            source_pages=built.source.total_pages,
            deposited_pages=len(built.source.pages),
            documentation_pages=built.documentation_pages,
            exceptional=bool(built.redacted) or built.excerpt_from is not None,
            redacted_lines=built.redacted,
            excerpt_from=built.excerpt_from,
            fingerprints=built.fingerprints,
            fingerprint_paths=built.fingerprint_paths,
        )
        try:
            row.full_clean(exclude=["work"])
        except ValidationError as exc:
            raise with_field_labels(exc, Software) from None
        row.save()
        row.index_fingerprints()
        work.software = row

    return create_application(
        user=user,
        kind=Kind.SOFTWARE,
        fields={**fields, "work_type": WorkType.SOFTWARE},
        owners=owners,
        files=uploads,
        request=request,
        attach=attach,
    )


def deposit_files(built: BuiltDeposit, *, name: str, version: str, archive: UploadedFile[bytes]) -> list[SampleInput]:
    """The deposit's materials as the application keeps them: the source PDF (the sample), the documentation
    PDF and the uploaded archive."""
    stem = f"{name}-{version}"[:80]
    return [
        SampleInput(SimpleUploadedFile(f"{stem}-源程序.pdf", built.source_pdf, "application/pdf")),
        SampleInput(
            SimpleUploadedFile(f"{stem}-文档.pdf", built.documentation_pdf, "application/pdf"), FileRole.DOCUMENTATION
        ),
        SampleInput(archive, FileRole.SOURCE_ARCHIVE),
    ]


DEPOSIT_ROLES = (FileRole.SAMPLE, FileRole.DOCUMENTATION, FileRole.SOURCE_ARCHIVE)


def deposit_replacement(
    *,
    work: Work,
    archive: UploadedFile[bytes],
    documentation: UploadedFile[bytes],
    redactions: list[tuple[int, int]] | None = None,
    excerpt_from: int | None = None,
    user: Any,
    request: Any = None,
) -> Replacement:
    """A correction that uploads the source tree and documentation again: the deposit is rebuilt now (refused
    before anything changes), and the returned step, run in the correction's transaction, supersedes the old
    deposit, keeps the new one, and updates the tree's hash and fingerprints the registration will commit."""
    if work.kind != Kind.SOFTWARE:
        raise ValidationError(_("只有计算机软件登记申请有鉴别材料。"), code="not_software")
    software = work.software
    built = build_deposit(
        name=work.title,
        version=software.version,
        archive=archive,
        documentation=documentation,
        redactions=redactions,
        excerpt_from=excerpt_from,
        request=request,
    )
    checked = _check_files(
        deposit_files(built, name=work.title, version=software.version, archive=archive),
        pictures=False,
        request=request,
    )

    def replace(locked: Work, saved: list[str]) -> Remade:
        removed = list(locked.workfile_set.filter(role__in=DEPOSIT_ROLES).select_related("stored_file"))
        for wf in removed:
            wf.role = FileRole.SUPERSEDED
            wf.save(update_fields=["role"])
        added = _store_files(locked, checked, user=user, request=request, saved=saved)
        row = Software.objects.select_for_update().get(work=locked)
        before = row.tree_sha256
        row.source_lines = built.source_lines
        row.tree_sha256 = built.tree_sha256
        row.tree_files = built.tree_files
        row.source_pages = built.source.total_pages
        row.deposited_pages = len(built.source.pages)
        row.documentation_pages = built.documentation_pages
        row.exceptional = bool(built.redacted) or built.excerpt_from is not None
        row.redacted_lines = built.redacted
        row.excerpt_from = built.excerpt_from
        row.fingerprints = built.fingerprints
        row.fingerprint_paths = built.fingerprint_paths
        row.save()
        row.hashes.all().delete()
        row.index_fingerprints()
        locked.software = row
        changes = {"tree_sha256": [before, built.tree_sha256]} if before != built.tree_sha256 else {}
        return Remade(added=added, removed=removed, changes=changes)

    return replace


def clear_hold(*, work: Work, registrar: Any, screening_note: str) -> Work:
    """A registrar concluded a held software is not a copy (said why): it goes on to acceptance."""
    require(registrar, "review", work)
    if work.kind != Kind.SOFTWARE:
        raise ValidationError(_("只有计算机软件登记申请可以这样放行。"), code="not_software")
    with transaction.atomic():
        work = _locked(work)
        if not screening_note.strip():
            raise ValidationError(_("请写明核查说明：为什么这不是他人作品的复制品。"), code="note_required")
        screening.resolve(work=work, registrar=registrar, resolution=Resolution.CLEARED, note=screening_note)
        return _transition(work, "clear_hold", registrar)
