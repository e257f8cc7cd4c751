"""Telling people what went wrong, in their language: the one adapter from errors to messages.

Django code raises ``ValidationError`` / ``PermissionDenied`` with gettext messages; framework-free code raises
``core.errors.BilingualError``. Views, the API and commands turn either into text here, so no page decides on
its own how to word or translate an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import BilingualError


def in_user_language(error: BilingualError) -> str:
    """The error's message in the active language (Chinese unless the user chose English)."""
    return error.message(get_language())


def as_validation_error(error: BilingualError, template: str | None = None) -> ValidationError:
    """A form/model ``ValidationError`` with the message in the user's language.

    ``template`` (a translated string with ``%(reason)s``) puts the reason in context, e.g. "作品样本不是可用的
    图片：%(reason)s".
    """
    reason = in_user_language(error)
    return ValidationError(template % {"reason": reason} if template else reason, code=error.code)


def error_messages(exc: BaseException) -> list[str]:
    """What to show the user for a refused action, one message per problem."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, BilingualError):
        return [in_user_language(exc)]
    if isinstance(exc, PermissionDenied):
        return [str(exc) or _("您没有权限执行此操作。")]
    return [str(exc)]


def form_error_messages(form: forms.BaseForm) -> list[str]:
    """A form's errors as messages that name their field, for pages that report them above the form."""
    return [
        f"{form.fields[name].label}：{' '.join(str(e) for e in errors)}"
        if name in form.fields
        else " ".join(str(e) for e in errors)
        for name, errors in form.errors.items()
    ]


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


@dataclass(frozen=True)
class LazyMessage:
    """A gettext message with its parameters, rendered only when shown, in any language.

    ``gettext_lazy(...) % params`` renders at once in the active language; a report a command prints in Chinese
    and English (and a page shows in the reader's language) keeps the pieces instead. Parameters may be
    ``LazyMessage``, lazy strings or a ``BilingualError`` (its message in the same language).
    """

    template: str | Promise
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        if language is None:
            return self._render()
        with translation.override(language):
            return self._render()

    def _render(self) -> str:
        text = str(self.template)
        if not self.params:
            return text
        return text % {k: _rendered(v) for k, v in self.params.items()}

    def bilingual(self) -> str:
        """Chinese, then English, on one line: what commands print."""
        return f"{self.render('zh-hans')} / {self.render('en')}"

    def __str__(self) -> str:
        return self.render()


def _rendered(value: Any) -> Any:
    if isinstance(value, LazyMessage):
        return value._render()
    if isinstance(value, BilingualError):
        return in_user_language(value)
    if isinstance(value, Promise):
        return str(value)
    return value
