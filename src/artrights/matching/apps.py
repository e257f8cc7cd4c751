from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "artrights.matching"
    label = "matching"
    verbose_name = _("侵权比对")

    def ready(self) -> None:
        from artrights.registry.signals import work_granted, work_revoked

        from . import checks, rules, services  # noqa: F401  (registers the access rules and start-up checks)

        checks.load_configured_descriptor()

        work_granted.connect(services.on_work_granted, dispatch_uid="matching_work_granted")
        work_revoked.connect(services.on_work_revoked, dispatch_uid="matching_work_revoked")
