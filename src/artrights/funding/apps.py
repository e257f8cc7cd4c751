from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "artrights.funding"
    label = "funding"
    verbose_name = _("专项资金资助")

    def ready(self) -> None:
        from . import auditactions, notifications, rules  # noqa: F401  (access rules, notification kinds, action labels)
