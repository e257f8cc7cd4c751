from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "artrights.licensing"
    label = "licensing"
    verbose_name = _("许可与交易")

    def ready(self) -> None:
        from . import auditactions, notifications, rules  # noqa: F401  (access rules, notification kinds, action labels)
