from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "artrights.inspections"
    label = "inspections"
    verbose_name = _("双随机抽查")

    def ready(self) -> None:
        from . import auditactions, notifications, rules  # noqa: F401  (access rules, notification kinds, action labels)
