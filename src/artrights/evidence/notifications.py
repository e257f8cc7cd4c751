"""What the person who asked for a fixation hears: the package is sealed, or the capture failed and why."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

SEALED = register(
    Kind(
        "evidence.sealed",
        label=_("证据已封存"),
        title=_("电子证据 %(number)s 已封存"),
        body=_("%(what)s 已固化：文件的哈希值已加盖可信时间戳并记入公开日志。可以下载证据包和固化报告。"),
    )
)
VOIDED = register(
    Kind(
        "evidence.voided",
        label=_("证据固化失败"),
        title=_("电子证据 %(number)s 未能固化"),
        body=_("%(what)s 没有固化成功：%(reason)s 记录已保留，可以检查网址后重新申请。"),
        translated=frozenset({"reason"}),
    )
)
