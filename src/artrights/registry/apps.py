from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "artrights.registry"
    label = "registry"
    verbose_name = _("作品登记")

    def ready(self) -> None:
        from . import checks, documents, rules  # noqa: F401  (registers the access rules and start-up checks)
        from .models import Work
        from .signals import work_event

        # The registry's documents follow the steps they record (events.py announces each after its commit).
        work_event.connect(documents.on_work_event, sender=Work, dispatch_uid="registry.documents")
