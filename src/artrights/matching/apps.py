from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "artrights.matching"
    label = "matching"
    verbose_name = _("侵权比对")

    def ready(self) -> None:
        from artrights.registry.signals import near_copy_search, work_closed, work_granted, work_revoked

        from . import auditactions, checks, notifications, receivers, rules  # noqa: F401  (rules, checks, kinds, action labels)

        checks.load_configured_descriptor()

        work_granted.connect(receivers.fingerprint_granted_work, dispatch_uid="matching_work_granted")
        work_revoked.connect(receivers.drop_work, dispatch_uid="matching_work_revoked")
        work_closed.connect(receivers.drop_work, dispatch_uid="matching_work_closed")
        near_copy_search.connect(receivers.find_near_copies, dispatch_uid="matching_near_copy_search")
