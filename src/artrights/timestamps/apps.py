from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimestampsConfig(AppConfig):
    name = "artrights.timestamps"
    label = "timestamps"
    verbose_name = _("可信时间戳")
