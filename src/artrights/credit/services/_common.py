"""What every credit write shares: numbers, the day, who hears of a subject, and refusals in both languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from artrights.accounts.models import Role
from artrights.core.errors import BilingualError
from artrights.core.messages import in_user_language

from ..models import Counter, CreditSubject

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

M = TypeVar("M", bound=models.Model)


def today() -> dt.date:
    return timezone.localdate()


def next_numbers(kind: str, count: int = 1) -> list[str]:
    """``count`` consecutive numbers ``{kind}-{year}-{seq}`` from the counter row, locked in the caller's
    transaction: a rolled-back write gives its numbers back, two writes never share one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("credit numbers are allocated inside the writing transaction")
    year = today().year
    row, _created = Counter.objects.select_for_update().get_or_create(kind=kind, year=year)
    first = row.last + 1
    row.last += count
    row.save(update_fields=["last"])
    return [f"{kind}-{year}-{seq:08d}" for seq in range(first, first + count)]


def locked(obj: M) -> M:
    """Re-read ``obj`` under a row lock, so two decisions on it cannot interleave."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def refused(code: str, message: _StrPromise, /, **params: Any) -> ValidationError:
    """A refusal whose message is rendered in whichever language reads it: the page's, or both on the command line
    (``ValidationError`` formats a lazy message with its params only when shown)."""
    return ValidationError(message, code=code, params=params or None)


@dataclass(frozen=True)
class InLanguage:
    """A framework-free refusal as a parameter of a gettext message: it reads in the language active when shown."""

    error: BilingualError

    def __str__(self) -> str:
        return in_user_language(self.error)


def subject_users(subject: CreditSubject) -> QuerySet[Any]:
    """The active accounts that answer for ``subject``: members of the organisation with its code, or the person
    whose verified identity is its ID number. They are told when it is recorded, listed and delisted."""
    wanted = Q(organisation__uscc=subject.code) if not subject.is_person else Q(party__id_number=subject.code)
    return get_user_model()._default_manager.filter(wanted, is_active=True)


def supervisors() -> QuerySet[Any]:
    return get_user_model()._default_manager.filter(role=Role.SUPERVISOR, is_active=True)
