"""Applications: what an applicant or agency writes before and during review (CPCC form, DOMAIN.md §1.4, §1.6).

A draft is created with its owners and files in one transaction (nothing is kept when any part is refused) and
checked against earlier registrations at once; the applicant submits it, answers a correction notice or
withdraws it. A correction period that runs out deems the application withdrawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core.images import ImageRejected, load_image
from artrights.core.messages import as_validation_error, with_field_labels
from artrights.core.services import PartyInput, check_upload, resolve_party, store_file

from .. import duplicates, numbers, statements
from ..models import DuplicateWarning, FileRole, Kind, PartyRole, Status, Work, WorkFile, WorkParty
from ._common import _locked, _review_clock, _transition

# Work types whose sample is a picture: the sample must decode as an image and gets fingerprinted.
VISUAL_TYPES = {"FINE_ART", "PHOTOGRAPHY", "ARCHITECTURE", "GRAPHIC", "MODEL"}


@dataclass
class SampleInput:
    """An uploaded file with the role it plays in the application."""

    upload: UploadedFile[bytes]
    role: str = FileRole.SAMPLE


@dataclass
class InspectedImage:
    width: int
    height: int
    iscc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def inspect_image(data: bytes) -> InspectedImage:
    """Decode an untrusted image (refusing non-images, truncation, bombs) and compute its ISCC image code."""
    image = load_image(data)
    return InspectedImage(width=image.width, height=image.height, iscc=statements.iscc_for(data))


def _image_error(exc: ImageRejected) -> ValidationError:
    return as_validation_error(exc, _("作品样本不是可用的图片：%(reason)s"))


def create_application(
    *,
    user: Any,
    kind: str = Kind.REGISTRATION,
    fields: dict[str, Any],
    owners: list[PartyInput],
    files: list[SampleInput],
    request: Any = None,
) -> Work:
    """A new application (draft) with its owners and files; nothing is stored when any part is refused."""
    require(user, "apply", Work)
    if not owners:
        raise ValidationError(_("请至少填写一位著作权人。"))
    samples = [f for f in files if f.role == FileRole.SAMPLE]
    if not samples:
        raise ValidationError(_("请上传作品样本。"))
    # Check every upload before writing anything.
    checked: list[tuple[SampleInput, bytes, InspectedImage | None]] = []
    for item in files:
        upload = check_upload(item.upload, request)
        upload.seek(0)
        data = upload.read()
        info = None
        if item.role == FileRole.SAMPLE and (kind == Kind.DIGITAL_FILING or fields.get("work_type") in VISUAL_TYPES):
            try:
                info = inspect_image(data)
            except ImageRejected as exc:
                raise _image_error(exc) from None
        checked.append((item, data, info))

    saved_names: list[str] = []
    try:
        with transaction.atomic():
            work = Work(
                kind=kind,
                applicant=user,
                agent=getattr(user, "organisation", None) if getattr(user, "role", "") == "agency" else None,
                **fields,
            )
            try:
                work.full_clean(exclude=["applicant", "flow_number", "number"])
            except ValidationError as exc:
                raise with_field_labels(exc, Work) from None
            work.save()
            for position, owner in enumerate(owners):
                party = resolve_party(owner)
                WorkParty.objects.get_or_create(
                    work=work, party=party, role=PartyRole.OWNER, defaults={"signature": owner.signature}
                )
                if position == 0 and not WorkParty.objects.filter(work=work, role=PartyRole.APPLICANT).exists():
                    WorkParty.objects.create(work=work, party=party, role=PartyRole.APPLICANT)
            for item, _data, info in checked:
                stored = store_file(owner=user, upload=item.upload, request=request)
                saved_names.append(str(stored.file.name))
                WorkFile.objects.create(
                    work=work,
                    stored_file=stored,
                    role=item.role,
                    iscc=info.iscc if info else "",
                    width=info.width if info else None,
                    height=info.height if info else None,
                )
            _check_duplicates(work)
            return work
    except Exception:
        _delete_blobs(saved_names)
        raise


def _delete_blobs(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _check_duplicates(work: Work) -> list[DuplicateWarning]:
    """Warn about granted works whose samples match this one (exact file hash; the matcher adds more)."""

    warnings = []
    owner_ids = set(work.owners().values_list("id_type", "id_number"))
    for match in duplicates.find_matches(work):
        earlier_owners = set(match.work.owners().values_list("id_type", "id_number"))
        warnings.append(
            DuplicateWarning.objects.create(
                work=work,
                earlier=match.work,
                method=match.method,
                score=match.score,
                same_owner=bool(owner_ids & earlier_owners),
            )
        )
    return warnings


@transaction.atomic
def submit(*, work: Work, user: Any) -> Work:
    """The applicant submits a draft; it gets its acceptance number (流水号)."""
    require(user, "submit", work)
    work = _locked(work)
    return _transition(work, "submit", user, flow_number=numbers.flow_number(), submitted_at=timezone.now())


@transaction.atomic
def correct(*, work: Work, user: Any, fields: dict[str, Any] | None = None) -> Work:
    """The applicant answers a correction notice; the review clock restarts."""
    require(user, "correct", work)
    work = _locked(work)
    for name, value in (fields or {}).items():
        if name not in CORRECTABLE_FIELDS:
            raise ValidationError(_("字段“%(name)s”不能在补正中修改。") % {"name": name})
        setattr(work, name, value)
    try:
        work.full_clean(exclude=["applicant", "flow_number", "number"])
    except ValidationError as exc:
        raise with_field_labels(exc, Work) from None
    return _transition(work, "correct", user, **_review_clock())


CORRECTABLE_FIELDS = {
    "title",
    "work_type",
    "work_type_desc",
    "authors",
    "creation_nature",
    "creation_nature_desc",
    "completed_on",
    "creation_country",
    "creation_city",
    "publish_status",
    "first_published_on",
    "first_published_country",
    "first_published_city",
    "obtain_mode",
    "obtain_desc",
    "ownership_mode",
    "ownership_desc",
    "rights",
    "rights_desc",
    "description",
}


@transaction.atomic
def withdraw(*, work: Work, user: Any) -> Work:
    require(user, "withdraw", work)
    work = _locked(work)
    return _transition(work, "withdraw", user)


def deem_overdue_corrections(*, today: dt.date | None = None) -> int:
    """Applications whose correction period ran out are deemed withdrawn (CPCC notice: 60 days)."""
    today = today or timezone.localdate()
    count = 0
    overdue = Work.objects.filter(status=Status.CORRECTION_REQUIRED, correction_due__lt=today)
    for work in overdue:
        with transaction.atomic():
            locked = _locked(work)
            if locked.status == Status.CORRECTION_REQUIRED:
                _transition(locked, "deem_withdrawn", None)
                count += 1
    return count
