"""What every inspections write shares: refusals in both languages and checked text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from artrights.core.errors import BilingualError
from artrights.core.messages import in_user_language
from artrights.core.validators import validate_plain_text

RESULT_WORKING_DAYS = 20  # D10: from the check to publication


@dataclass(frozen=True)
class InLanguage:
    """A framework-free refusal as a parameter of a gettext message: it reads in the language active when shown."""

    error: BilingualError

    def __str__(self) -> str:
        return in_user_language(self.error)


def refused(code: str, message: Any, /, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _text(value: str, label: Any, *, limit: int = 300, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise refused("required", _("请填写%(field)s。"), field=label)
    try:
        validate_plain_text(text, multiline=True)
    except ValidationError as exc:
        raise refused("hidden_characters", _("%(field)s：%(reason)s"), field=label, reason=exc.messages[0]) from None
    return text[:limit]
