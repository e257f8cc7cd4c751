from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "artrights.onestop"
    label = "onestop"
    verbose_name = _("一站式保护服务")

    def ready(self) -> None:
        from . import auditactions, notifications, rules  # noqa: F401  (access rules, notification kinds, action labels)
