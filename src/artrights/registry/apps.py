from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "artrights.registry"
    label = "registry"
    verbose_name = _("作品登记")

    def ready(self) -> None:
        from . import checks, notifications, rules  # noqa: F401  (access rules, start-up checks, notification kinds)
        from .signals import work_event

        work_event.connect(notifications.on_work_event, dispatch_uid="registry_notifications")
