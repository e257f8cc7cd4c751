"""Test data for the registry: real images drawn in memory and ready-made application inputs."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from artrights.core.services import PartyInput
from artrights.registry.models import FileRole
from artrights.registry.services import SampleInput
from artrights.testing import LIN, WU


def artwork_png(seed: int = 1, size: tuple[int, int] = (320, 240)) -> bytes:
    """A distinct, textured picture (shapes over noise) so fingerprints and ISCC codes differ by seed."""
    rng = np.random.default_rng(seed)
    base = (rng.random((size[1] // 8, size[0] // 8, 3)) * 255).astype("uint8")
    image = Image.fromarray(base).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, size[0] - 40)), int(rng.integers(0, size[1] - 40))
        x1, y1 = x0 + int(rng.integers(20, 120)), y0 + int(rng.integers(20, 120))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), outline=colour, width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "work.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# The identities of the `artist` and `outsider` fixtures (artrights.testing.LIN / WU).
OWNER = PartyInput(**LIN)
OTHER_OWNER = PartyInput(**WU)


def work_fields(**overrides):
    fields = {
        "title": "大芬村的早晨",
        "work_type": "FINE_ART",
        "authors": [{"name": "林画家", "signature": "林"}],
        "completed_on": dt.date(2026, 3, 1),
        "rights": ["reproduction", "distribution", "exhibition", "network"],
        "description": "油画，描绘大芬村清晨的街景。",
    }
    fields.update(overrides)
    return fields


def samples(seed: int = 1) -> list[SampleInput]:
    return [SampleInput(upload(artwork_png(seed)))]


def power_of_attorney(name: str = "授权委托书.pdf") -> SampleInput:
    """The owner's signed power of attorney an agency files with (a scanned PDF)."""
    scan = b"%PDF-1.4\n% power of attorney signed by the owner\n%%EOF\n"
    return SampleInput(upload(scan, name, "application/pdf"), FileRole.POWER_OF_ATTORNEY)


def application_form(seed: int = 51, **overrides: object) -> dict[str, object]:
    """What the web application form posts for a watercolour, as a rights holder filing in their own name fills
    it; an agency adds the ``owner_*`` fields and ``power_of_attorney``."""
    data: dict[str, object] = {
        "title": "南山的云",
        "work_type": "FINE_ART",
        "authors": "林画家/林",
        "creation_nature": "original",
        "completed_on": "2026-05-01",
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "ownership_mode": "individual",
        "rights": ["reproduction", "exhibition"],
        "description": "水彩画。",
        "samples": upload(artwork_png(seed)),
    }
    data.update(overrides)
    return data


def agency_owner_fields(owner: PartyInput = OWNER, **overrides: object) -> dict[str, object]:
    """The client an agency names on the form (the owner) and the power of attorney they signed."""
    fields: dict[str, object] = {
        "owner_kind": "natural",
        "owner_name": owner.name,
        "owner_id_type": owner.id_type,
        "owner_id_number": owner.id_number,
        "power_of_attorney": upload(b"%PDF-1.4 signed by the owner", "授权委托书.pdf", "application/pdf"),
    }
    fields.update(overrides)
    return fields
