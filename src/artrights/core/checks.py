"""Start-up checks of the platform-wide settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def public_url_configured(app_configs: Any, **kwargs: Any) -> list[Warning]:
    # Certificates made by a worker started on its own would otherwise point their QR code at the loopback address.
    if settings.PRODUCTION and not str(settings.ARTRIGHTS_PUBLIC_URL).strip():
        return [
            Warning(
                "生产环境应设置 ARTRIGHTS_PUBLIC_URL（证书二维码中的核验网址）"
                " / set ARTRIGHTS_PUBLIC_URL in production (the verification address in certificate QR codes)",
                hint="ARTRIGHTS_PUBLIC_URL=https://copyright.example.cn",
                id="artrights.W002",
            )
        ]
    return []
