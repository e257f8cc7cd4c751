"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .access import visible_to
from .models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The API tokens ``user`` may see (their own), newest first."""
    return visible_to(user, ApiToken.objects.all())
