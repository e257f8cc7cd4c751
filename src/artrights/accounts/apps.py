from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "artrights.accounts"
    label = "accounts"
    verbose_name = _("账户与机构")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from . import auditactions, notifications, receivers, rules  # noqa: F401  (notification kinds, access rules, action labels)

        user_locked_out.connect(receivers.login_locked, dispatch_uid="accounts_login_locked")
