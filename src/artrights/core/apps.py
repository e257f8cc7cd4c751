from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "artrights.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from . import append_only, audit, auditactions, checks, images  # noqa: F401  (start-up checks, action labels)

        audit.connect_signals()
        # SQLite's delete triggers on append-only tables ask this connection-local function.
        connection_created.connect(append_only.register_sqlite_functions, dispatch_uid="core_sqlite_functions")
        # The one image pixel budget: every loader call in the platform uses the operator's setting.
        images.set_pixel_budget(settings.ARTRIGHTS_MAX_IMAGE_PIXELS)
        setting_changed.connect(_follow_pixel_budget, dispatch_uid="core_pixel_budget")


def _follow_pixel_budget(*, setting: str, value: Any, **kwargs: Any) -> None:
    """Tests (and `override_settings`) that change the budget change it for the loader too."""
    if setting == "ARTRIGHTS_MAX_IMAGE_PIXELS":
        from . import images

        images.set_pixel_budget(value if value is not None else images.DEFAULT_MAX_PIXELS)
