"""The evidence app's demo data: a copy of the demo artist's filed painting found in a shop's product photo and
fixed as evidence, and a chat record the artist uploaded; both sealed, so a newcomer downloads a real package."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageEnhance

from artrights.accounts.models import Role
from artrights.core.audit import context as audit_context
from artrights.matching import services as matching
from artrights.registry.demo import painting
from artrights.registry.models import Work

from . import services
from .models import EvidenceRecord

SHOP_URL = "https://shop.example.com/item/20260917"


def load(users: Mapping[str, Any], works: Sequence[Work]) -> list[EvidenceRecord]:
    """Seal the demo evidence for the demo artist (``users`` by role; ``works`` the registry's demo works)."""
    artist = users[Role.ARTIST]
    filed = works[0]  # 大芬村的清晨, drawn from seed 2101 by the registry's demo
    matching.fingerprint_work(filed)
    with audit_context(actor=artist, via="cli"):
        report = matching.check_image(user=artist, data=_product_photo(painting(2101)), name="网店商品图.jpg")
        report.source_url = SHOP_URL
        report.save(update_fields=["source_url"])
        found = services.from_match_report(user=artist, report=report)
        chat = services.record_files(
            user=artist,
            uploads=[
                SimpleUploadedFile("与店主的聊天记录.png", _chat_picture(), content_type="image/png"),
                SimpleUploadedFile(
                    "店主回复.txt", "店主：图是网上找的，卖了三十多个杯子。".encode(), content_type="text/plain"
                ),
            ],
            description="与网店店主的聊天记录：店主承认商品图案来自网上、已售出三十多件",
            source_url=SHOP_URL,
            work=filed,
        )
    # Sealed now rather than by the worker, so the demo's packages are there when the platform opens.
    return [services.seal(record_id=found.pk), services.seal(record_id=chat.pk)]


def _product_photo(art: bytes) -> bytes:
    """The painting printed on a mug in a shop's photo: cropped, warmer, smaller, on a grey table."""
    work = Image.open(io.BytesIO(art)).convert("RGB")
    crop = ImageEnhance.Color(work.crop((60, 40, work.width - 80, work.height - 50))).enhance(1.3)
    canvas = Image.new("RGB", (1000, 760), (226, 224, 219))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((150, 120, 850, 660), radius=40, fill=(250, 250, 248), outline=(190, 190, 190), width=4)
    canvas.paste(crop.resize((560, 380)), (220, 200))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=85)
    return out.getvalue()


def _chat_picture() -> bytes:
    """A plain picture standing in for a chat screenshot (text would need a CJK font the machine may lack)."""
    canvas = Image.new("RGB", (540, 960), (237, 237, 237))
    draw = ImageDraw.Draw(canvas)
    for i, (left, colour) in enumerate([(30, (255, 255, 255)), (180, (149, 236, 105))] * 4):
        top = 60 + i * 105
        draw.rounded_rectangle((left, top, left + 330, top + 70), radius=12, fill=colour)
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return out.getvalue()
