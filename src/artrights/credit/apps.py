from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "artrights.credit"
    label = "credit"
    verbose_name = _("知识产权信用")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from artrights.core.signals import party_standing

        from . import auditactions, notifications, receivers, rules  # noqa: F401  (access rules, notification kinds, action labels)

        party_standing.connect(receivers.answer_standing, dispatch_uid="credit_party_standing")
        post_migrate.connect(receivers.seed_empty_catalogue, sender=self, dispatch_uid="credit_seed_catalogue")
