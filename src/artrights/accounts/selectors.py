"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.core.models import Notification

from .access import visible_to
from .models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The API tokens ``user`` may see (their own), newest first."""
    return visible_to(user, ApiToken.objects.select_related("parent"))


def inbox_of(user: Any) -> QuerySet[Notification]:
    """The notifications addressed to ``user``, newest first; an administrator's inbox too holds only their own."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return visible_to(user, Notification.objects.filter(recipient=user))


def unread_count(user: Any) -> int:
    """How many of ``user``'s notifications are unread (one query: the header shows it on every page)."""
    return inbox_of(user).filter(read_at__isnull=True).count()
