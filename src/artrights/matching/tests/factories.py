"""Test data for copy detection: suspect images made from registered artworks, and match reports."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageEnhance

from artrights.matching import services
from artrights.matching.models import MatchReport, WatchedPage
from artrights.registry.tests.factories import artwork_png


def copy_of(seed: int, size: tuple[int, int] = (320, 240)) -> bytes:
    """A cropped, recoloured copy of artwork ``seed`` pasted onto a 'product photo' (JPEG)."""
    work = Image.open(io.BytesIO(artwork_png(seed, size))).convert("RGB")
    crop = work.crop((20, 10, size[0] - 30, size[1] - 20))
    crop = ImageEnhance.Color(crop).enhance(1.6)
    canvas = Image.new("RGB", (640, 480), (236, 232, 220))
    canvas.paste(crop.resize((crop.width * 3 // 2, crop.height * 3 // 2)), (90, 60))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=80)
    return out.getvalue()


def report(user: Any, *, seed: int = 40, name: str = "suspect.png") -> MatchReport:
    """A match report of ``user``'s check of artwork ``seed`` (no registered work needed)."""
    return services.check_image(user=user, data=artwork_png(seed), name=name)


def watched_page(user: Any, url: str) -> WatchedPage:
    """A page ``user`` watched since before: stored as it is, without the check ``watch_page`` makes of a new one
    (an address that has since gone away, or one an earlier release let in)."""
    return WatchedPage.objects.create(owner=user, url=url)
