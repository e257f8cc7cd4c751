from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "artrights.mediation"
    label = "mediation"
    verbose_name = _("纠纷调解")

    def ready(self) -> None:
        from . import auditactions, notifications, rules  # noqa: F401  (access rules, notification kinds, action labels)
