"""What every page's header needs: the number of unread notifications beside the inbox link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from artrights.accounts.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: "" when none, the count, or "99+"; one query, and only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def badge() -> str:
        count = unread_count(user)
        return "" if not count else "99+" if count > 99 else str(count)

    return {"unread_notifications": SimpleLazyObject(badge)}
