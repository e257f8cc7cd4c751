from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "artrights.registry"
    label = "registry"
    verbose_name = _("作品登记")

    def ready(self) -> None:
        from . import checks, rules  # noqa: F401  (registers the access rules and start-up checks)
