"""What page monitoring tells the person watching a page (core.notifying): copies found, and a page that stopped
opening (once, when it stops; not at every failed check while it stays down)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

COPIES_FOUND = register(
    Kind(
        "matching.copies_found",
        label=_("监测网页发现复制品"),
        title=_("监测的网页上发现 %(count)s 处疑似复制品"),
        body=_("网页 %(url)s 上的图片与已登记作品 %(works)s 相同或相似。可以查看比对报告并固化证据。"),
        listed=frozenset({"works"}),
    )
)
PAGE_UNREACHABLE = register(
    Kind(
        "matching.page_unreachable",
        label=_("监测网页无法打开"),
        title=_("监测的网页无法打开"),
        body=_("网页 %(url)s 这次检查没有打开，原因见监测页面。平台会按设定的间隔继续尝试。"),
    )
)
