"""The one per-object access helper every app uses, with rules named by business verbs.

Apps declare who may do what in their own ``rules.py`` (imported by their AppConfig): ``@rule(Model, "verb")``
registers a predicate over (user, object) for a business action of that model — ``submit``, ``review``,
``revoke``, ``register_pledge``, ``fix_evidence`` — never a CRUD word that hides what is being done; and
``@visible(Model)`` registers the filter that keeps the rows a user may list. Services call :func:`require`
before they write; views and API routes fetch objects with :func:`get_visible_or_404` and ask :func:`can` to
decide which actions to offer. Nothing else decides access.

Platform administrators may do everything; inactive or anonymous users nothing beyond what a rule grants the
public explicitly (``public=True``). Asking about a verb no rule declares for the model is a programming error
and raises ``LookupError``, so a misspelt verb fails a test instead of silently denying everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

Predicate = Callable[[Any, Any], bool]
Scope = Callable[[Any, "models.QuerySet[Any]"], "models.QuerySet[Any]"]
M = TypeVar("M", bound=models.Model)

_rules: dict[tuple[str, str], tuple[Predicate, bool]] = {}
_scopes: dict[str, Scope] = {}


def _key(model: type[models.Model] | models.Model | str) -> str:
    if isinstance(model, str):
        return model.lower()
    return model._meta.label_lower


def rule(model: type[models.Model] | str, verb: str, *, public: bool = False) -> Callable[[Predicate], Predicate]:
    """Register ``predicate(user, obj) -> bool`` for ``verb`` on ``model``; ``public`` lets anonymous users in."""

    def register(predicate: Predicate) -> Predicate:
        _rules[(_key(model), verb)] = (predicate, public)
        return predicate

    return register


def visible(model: type[models.Model] | str) -> Callable[[Scope], Scope]:
    """Register ``scope(user, queryset) -> queryset`` that keeps the rows ``user`` may see."""

    def register(scope: Scope) -> Scope:
        _scopes[_key(model)] = scope
        return scope

    return register


def verbs(model: type[models.Model] | str) -> set[str]:
    """The business verbs declared for ``model`` (what a role x verb table test must cover)."""
    key = _key(model)
    return {verb for (model_key, verb) in _rules if model_key == key}


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_platform_admin", False))


def can(user: Any, verb: str, obj: models.Model | type[models.Model] | str) -> bool:
    """May ``user`` do ``verb`` to ``obj`` (an instance, or a model class for verbs like "apply")?"""
    found = _rules.get((_key(obj), verb))
    if found is None:
        raise LookupError(f"no access rule declares {verb!r} for {_key(obj)}")
    if _is_admin(user):
        return True
    predicate, public = found
    authenticated = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
    if not authenticated and not public:
        return False
    return bool(predicate(user, None if isinstance(obj, type | str) else obj))


def require(user: Any, verb: str, obj: models.Model | type[models.Model] | str) -> None:
    """Raise PermissionDenied (with a message in the user's language) unless :func:`can` says yes."""
    if not can(user, verb, obj):
        raise PermissionDenied(_("您没有权限执行此操作。"))


def visible_to(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may see; none unless the model registered a scope."""
    if _is_admin(user):
        return queryset
    scope = _scopes.get(_key(queryset.model))
    if scope is None or not getattr(user, "is_authenticated", False):
        return queryset.none()
    return scope(user, queryset)


def get_visible_or_404(user: Any, queryset: models.QuerySet[M] | type[M], **lookup: Any) -> M:
    """The one object matching ``lookup`` among those ``user`` may see, or 404 — the same answer whether the
    object does not exist or belongs to someone else, so outsiders learn nothing about other people's rows."""
    rows = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return get_object_or_404(visible_to(user, rows), **lookup)
