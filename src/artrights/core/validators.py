"""Django validators around the pure identifier checks, with the message in the active language."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


# Characters that change how text reads without being seen: bidirectional overrides, embeddings and isolates (an
# RLO shows a title backwards), and control characters (a NUL ends a C string and PostgreSQL refuses it).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def hidden_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The control and direction-changing characters in ``value`` (line breaks and tabs allowed in ``multiline``
    text), as U+XXXX codes."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    found = {
        ch
        for ch in value
        if ch not in allowed and (ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    }
    return [f"U+{ord(ch):04X}" for ch in sorted(found)]


def validate_plain_text(value: str, *, multiline: bool = False) -> None:
    """Refuse text with control or direction-changing characters, naming them."""
    found = hidden_characters(value, multiline=multiline)
    if found:
        raise ValidationError(
            _("不能包含控制字符或改变文字方向的字符：%(chars)s。") % {"chars": "、".join(found)},
            code="hidden_characters",
        )
