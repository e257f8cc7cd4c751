"""Django validators around the pure identifier checks, with the message in the active language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from .identifiers import IdentifierError, parse_resident_id, parse_uscc


def in_user_language(error: Any) -> str:
    """The message of a framework-free error (with `message_zh` / `message_en`) in the active language."""
    return str(error.message_en if (get_language() or "").startswith("en") else error.message_zh)


def validate_uscc(value: str) -> str:
    try:
        return parse_uscc(value).code
    except IdentifierError as exc:
        raise ValidationError(exc.message(get_language()), code=exc.code) from None


def uscc_validator(value: str) -> None:
    """Model-field validator form of `validate_uscc`."""
    validate_uscc(value)


def validate_resident_id(value: str) -> str:
    try:
        return parse_resident_id(value).number
    except IdentifierError as exc:
        raise ValidationError(exc.message(get_language()), code=exc.code) from None


def with_field_labels(exc: ValidationError, model: Any) -> ValidationError:
    """The same errors, each prefixed with its field's label, so a message alone says what to fix."""
    if not hasattr(exc, "error_dict"):
        return exc
    messages = []
    for name, errors in exc.message_dict.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except Exception:
            label = "" if name == "__all__" else name
        messages += [f"{label}：{m}" if label else m for m in errors]
    return ValidationError(messages)
