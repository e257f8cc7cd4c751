"""How pages name an entry of the public log: its position counted from 1 for readers, with the index counted
from 0 that proofs, tiles and ``artrights verify`` use (RFC 6962), so both can be found."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def log_position(index: int | None) -> str:
    if index is None:
        return "—"
    return _("第 %(position)s 条（序号 %(index)s）") % {"position": index + 1, "index": index}
