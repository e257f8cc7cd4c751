"""Start-up checks: tell the operator at once (not at the first certificate) what the machine lacks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def cjk_font_available(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from .certificate_pdf import FontMissingError, find_cjk_font

    try:
        find_cjk_font(configured=settings.ARTRIGHTS_CJK_FONT)
    except FontMissingError as exc:
        return [Warning(str(exc), id="artrights.W001")]
    return []
