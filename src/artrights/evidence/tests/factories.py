"""Test data for evidence: sealed records made through the app's own services."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from artrights.evidence import services
from artrights.evidence.models import EvidenceRecord
from artrights.registry.tests.factories import artwork_png


def upload(name: str = "screenshot.png", data: bytes | None = None, mime: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, artwork_png(7) if data is None else data, content_type=mime)


def sealed_files(user: Any, *, files: list[SimpleUploadedFile] | None = None, note: str = "") -> EvidenceRecord:
    """A record of files ``user`` uploaded, taken through sealing as the worker would."""
    record = services.record_files(
        user=user,
        uploads=files or [upload(), upload("chat.txt", "对方承认复制了作品".encode(), "text/plain")],
        description=note or "网店商品页的截图和聊天记录",
        source_url="https://shop.example.com/item/1",
    )
    return services.seal(record_id=record.pk)
