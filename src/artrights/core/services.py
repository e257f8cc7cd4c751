"""Writes for core: parties and stored files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .messages import with_field_labels
from .models import Party, PartyKind, StoredFile


def check_upload(upload: UploadedFile[bytes] | None, request: HttpRequest | None = None) -> UploadedFile[bytes]:
    """The upload, or a ValidationError that says why it is missing or too large."""
    limit_mb = settings.ARTRIGHTS_MAX_UPLOAD_BYTES / (1024 * 1024)
    if getattr(request, "upload_too_large", False) or (
        upload is not None and (upload.size or 0) > settings.ARTRIGHTS_MAX_UPLOAD_BYTES
    ):
        raise ValidationError(_("上传内容过大：上限为 %(limit).0f MB。") % {"limit": limit_mb}, code="too_large")
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"), code="missing")
    if not upload.size:
        raise ValidationError(_("上传的文件是空的。"), code="empty")
    return upload


@transaction.atomic
def store_file(*, owner: Any, upload: UploadedFile[bytes] | None, request: HttpRequest | None = None) -> StoredFile:
    """Keep an uploaded file with its SHA-256; nothing is stored when the upload is refused."""
    upload = check_upload(upload, request)
    upload.seek(0)
    sha256, size = StoredFile.digest(upload.chunks())
    upload.seek(0)
    stored = StoredFile(
        original_name=(upload.name or "upload")[:255],
        content_type=(upload.content_type or "")[:100],
        size=size,
        sha256=sha256,
        owner=owner,
    )
    stored.file.save(upload.name or "upload", upload, save=False)
    try:
        stored.save()
    except Exception:
        # Keep storage and database in step: a failed row must not leave an orphan blob behind.
        stored.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def create_party(**fields: Any) -> Party:
    """Create a party after checking its identifier (GB 11643 / GB 32100)."""
    party = Party(**fields)
    party.full_clean()
    party.save()
    return party


@dataclass
class PartyInput:
    """A person or organisation as a form or API names them: who owns a work, signs a contract, takes a pledge."""

    name: str
    id_type: str
    id_number: str
    kind: str = PartyKind.NATURAL
    country: str = "中国"
    address: str = ""
    phone: str = ""
    email: str = ""
    signature: str = ""


def resolve_party(data: PartyInput) -> Party:
    """The party with this identifier, created on first use after checking it (GB 11643 / GB 32100).

    A party is one row per identifier across the platform, so every register sees the same person; a name
    that differs from the one already recorded for the identifier is refused rather than silently replaced.
    """
    candidate = Party(
        kind=data.kind,
        name=data.name.strip(),
        id_type=data.id_type,
        id_number=data.id_number,
        country=data.country,
        address=data.address,
        phone=data.phone,
        email=data.email,
    )
    try:
        candidate.clean()  # normalises and checks the identifier (GB 11643 / GB 32100)
        existing = Party.objects.filter(id_type=candidate.id_type, id_number=candidate.id_number).first()
        if existing is None:
            candidate.full_clean()
            candidate.save()
            return candidate
    except ValidationError as exc:
        raise with_field_labels(exc, Party) from None
    if existing.name != candidate.name:
        raise ValidationError(
            _("证件号码 %(id)s 已登记为“%(name)s”，与填写的姓名/名称不一致。")
            % {"id": candidate.id_number, "name": existing.name}
        )
    return existing
