"""Django validators around the pure identifier checks, with the message in the active language."""

from __future__ import annotations

from .identifiers import IdentifierError, parse_resident_id, parse_uscc
from .messages import as_validation_error


def validate_uscc(value: str) -> str:
    try:
        return parse_uscc(value).code
    except IdentifierError as exc:
        raise as_validation_error(exc) from None


def uscc_validator(value: str) -> None:
    """Model-field validator form of `validate_uscc`."""
    validate_uscc(value)


def validate_resident_id(value: str) -> str:
    try:
        return parse_resident_id(value).number
    except IdentifierError as exc:
        raise as_validation_error(exc) from None
