from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "artrights.registry"
    label = "registry"
    verbose_name = _("作品登记")

    def ready(self) -> None:
        from . import auditactions, checks, documents, notifications, rules  # noqa: F401  (rules, checks, kinds, action labels)
        from .models import Work
        from .signals import work_event

        # Notifications and the registry's documents follow the steps they record (events.py announces each
        # after its commit).
        work_event.connect(notifications.on_work_event, dispatch_uid="registry_notifications")
        work_event.connect(documents.on_work_event, sender=Work, dispatch_uid="registry.documents")
