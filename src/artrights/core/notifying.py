"""The kinds of notification the apps send, and how one is worded in its reader's language.

A notification stores a stable kind (``registry.correction_requested``) and JSON-safe parameters, never its
text: the title and body are rendered whenever someone reads it, from the kind's gettext templates, so each
reader sees them in their own language (the inbox in the page's language, e-mail and SMS in the language the
recipient chose). Each app declares its kinds in its ``notifications.py`` with :func:`register`, imported by its
``AppConfig.ready()`` like ``rules.py``; ``core.services.notify`` refuses a kind no app declared.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

Text = str | Promise
# What a parameter may be: kept in a JSON column and put into a %-template, in any language.
Param = str | int | float | bool | None
# What a coded parameter's stored value means: a choices enum (its labels), or a mapping code -> label. A label may
# have %(name)s slots of the notification's other parameters ("已受理，承办人：%(handler)s").
Labels = type[models.Choices] | Mapping[str, Text]

_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Kind:
    """One kind of notification: what it is called and how its title and body read, with ``%(name)s`` slots."""

    key: str  # "<app label>.<what happened>", stable: rows in the inbox keep it for ever
    label: Text  # what the settings page calls it ("API令牌变更")
    title: Text  # one line, also the e-mail subject and the text message
    body: Text = ""
    # Security notices and legal deadlines: the copy by e-mail and SMS cannot be turned off.
    essential: bool = False
    # Parameters stored as a code (a choice's value, a fixed phrase's key) and shown by their label in the reader's
    # language: the sender passes ``contract.kind``, never ``contract.get_kind_display()``, whose text would stay
    # in the sender's language. A value the labels do not know (text stored before, free text) shows as stored.
    coded: Mapping[str, Labels] = field(default_factory=dict)
    # Coded parameters that may instead hold what a person wrote (a note), passed as :class:`Written` and shown as
    # written, even when it happens to equal one of the codes.
    written: frozenset[str] = frozenset()
    # Parameters that list several items, stored one per line and shown joined by the reader's list separator
    # ("、" in Chinese, ", " in English); text stored before, without line breaks, shows as stored.
    listed: frozenset[str] = frozenset()
    # Parameters whose text the sender has in every language (a reason worded in both): stored as ``name`` in
    # Chinese and ``name:en`` beside it, and shown in the reader's language.
    translated: frozenset[str] = frozenset()


class Written(str):
    """What a person wrote, passed for a parameter in a kind's ``written``: stored with a mark beside it
    (``name:written``), so a note that happens to equal a code ("started") still shows as written."""


def _as_written(params: Mapping[str, Param], name: str) -> bool:
    return params.get(f"{name}:written") is True


class Rendered(NamedTuple):
    title: str
    body: str


class Recipient(Protocol):
    """What the notifier needs of a user (the user model, ``accounts.User``, provides it)."""

    pk: Any
    email: str
    language: str  # the language e-mail and SMS are written in

    @property
    def sms_number(self) -> str:
        """The phone number the user proved is theirs, or "" (no text messages then)."""
        ...

    def wants_copies_of(self, kind: str) -> bool:
        """Whether the user wants notifications of this kind by e-mail and SMS too (the inbox always has them)."""
        ...


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind (from an app's ``notifications.py``); returns it so the module can name it."""
    if not _KEY.match(kind.key):
        raise ValueError(f"notification kind {kind.key!r} is not '<app>.<event>' in lower case")
    known = _kinds.get(kind.key)
    if known is not None and known != kind:
        raise ValueError(f"notification kind {kind.key!r} is declared twice")
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    """The declared kind; a key no app declares is a programming error (``LookupError``)."""
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"no app declares the notification kind {key!r}") from None


def declared() -> list[Kind]:
    """Every declared kind, in key order (the settings page lists them)."""
    return [_kinds[key] for key in sorted(_kinds)]


def _fill(template: Text, params: Mapping[str, Param]) -> str:
    text = str(template)
    return text % params if "%(" in text else text


def _labels(labels: Labels) -> Mapping[str, Text]:
    if isinstance(labels, type) and issubclass(labels, models.Choices):
        return {str(value): label for value, label in labels.choices}
    return labels


def _items(kind: Kind, name: str, value: str) -> list[str]:
    """A listed parameter's items, each coded one by its label in the active language."""
    items = value.split("\n")
    labels = _labels(kind.coded[name]) if name in kind.coded else {}
    return [str(labels.get(item, item)) for item in items]


def worded(kind: Kind, params: Mapping[str, Param]) -> dict[str, Param]:
    """The parameters with each coded one replaced by its label in the active language (slots filled), and each
    listed one joined by the language's list separator."""
    if kind.translated:
        language = translation.get_language() or settings.LANGUAGE_CODE
        params = {
            **params,
            **{
                name: params[f"{name}:{language}"]
                for name in kind.translated
                if language != settings.LANGUAGE_CODE and f"{name}:{language}" in params
            },
        }
    if kind.listed:
        separator = translation.gettext("、")
        params = {
            name: separator.join(_items(kind, name, value)) if name in kind.listed and isinstance(value, str) else value
            for name, value in params.items()
        }
    if not kind.coded:
        return dict(params)
    found = {
        name: _labels(labels).get(value)
        for name, labels in kind.coded.items()
        if name not in kind.listed and not _as_written(params, name) and isinstance(value := params.get(name), str)
    }
    # Labels first, then their slots: a phrase may show another coded parameter ("%(reason)s。案件将退回法院…").
    plain = {**params, **{name: str(label) for name, label in found.items() if label is not None}}
    return {**plain, **{name: _fill(label, plain) for name, label in found.items() if label is not None}}


def render(key: str, params: Mapping[str, Param]) -> Rendered:
    """The title and body of a notification in the active language.

    Never fails: a row whose kind was removed from the code, or whose parameters no longer fit its template,
    still shows in the inbox (under its key) instead of breaking the page.
    """
    kind = _kinds.get(key)
    if kind is None:
        return Rendered(key, "")
    try:
        shown = worded(kind, params)
        return Rendered(_fill(kind.title, shown), _fill(kind.body, shown))
    except (KeyError, TypeError, ValueError):
        logger.warning("notification %s: parameters %r do not fit its templates", key, sorted(params))
        return Rendered(str(kind.title), "")


def render_in(language: str, key: str, params: Mapping[str, Param]) -> Rendered:
    """The same, in ``language`` (e-mail and SMS, written in the recipient's language, not the sender's)."""
    with translation.override(language):
        return render(key, params)


def checked_params(kind: Kind, params: Mapping[str, Any]) -> dict[str, Param]:
    """The parameters as stored, after making sure they are JSON-safe and fill the templates in every language.

    Raises ``ValueError`` at send time, in the sender's code and test, rather than showing a broken text later.
    """
    clean: dict[str, Param] = {}
    for name, value in params.items():
        if not isinstance(value, str | int | float | bool | type(None)):
            raise ValueError(
                f"notification {kind.key}: parameter {name!r} is a {type(value).__name__}; "
                "pass text or a number (dates as ISO text)"
            )
        if isinstance(value, Written):
            if name not in kind.written:
                raise ValueError(f"notification {kind.key}: parameter {name!r} does not take what a person wrote")
            clean[f"{name}:written"] = True
        # A choice's value (a str subclass) is stored as the plain code.
        clean[str(name)] = str(value) if isinstance(value, str) else value
    for name, labels in kind.coded.items():
        value = clean.get(name)
        items = value.split("\n") if isinstance(value, str) and name in kind.listed else [value]
        if isinstance(value, str) and not _as_written(clean, name) and any(i not in _labels(labels) for i in items):
            # Display text passed for a code would reach every reader in the sender's language; what a person wrote
            # is marked, or the day someone types a code it would show as that code's phrase.
            hint = (
                "pass what a person wrote as Written(text)"
                if name in kind.written
                else "pass the value, e.g. contract.kind, not its display text"
            )
            raise ValueError(
                f"notification {kind.key}: parameter {name!r} is {clean[name]!r}, not one of its codes ({hint})"
            )
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for template in (kind.title, kind.body):
                try:
                    _fill(template, worded(kind, clean))
                except (KeyError, TypeError, ValueError) as exc:
                    raise ValueError(f"notification {kind.key} ({language}): {exc!r} in {str(template)!r}") from None
    return clean
