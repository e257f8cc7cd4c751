"""The one per-object access helper every app uses.

Apps declare who may do what with `@rule(Model, "action")` (a predicate over user and object) and which rows a
user may list with `@visible(Model)` (a queryset filter), in their own `access.py`, imported by their AppConfig.
Views and services then call `can()`, `require()` or `visible_to()`; nothing else decides access. Platform
administrators may do everything; inactive or anonymous users nothing beyond what a rule grants explicitly
to the public (`public=True`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

Predicate = Callable[[Any, Any], bool]
Scope = Callable[[Any, models.QuerySet], models.QuerySet]
M = TypeVar("M", bound=models.Model)

_rules: dict[tuple[str, str], tuple[Predicate, bool]] = {}
_scopes: dict[str, Scope] = {}


def _key(model: type[models.Model] | models.Model | str) -> str:
    if isinstance(model, str):
        return model.lower()
    return model._meta.label_lower


def rule(model: type[models.Model] | str, action: str, *, public: bool = False) -> Callable[[Predicate], Predicate]:
    """Register `predicate(user, obj) -> bool` for `action` on `model`; `public` lets anonymous users in."""

    def register(predicate: Predicate) -> Predicate:
        _rules[(_key(model), action)] = (predicate, public)
        return predicate

    return register


def visible(model: type[models.Model] | str) -> Callable[[Scope], Scope]:
    """Register `scope(user, queryset) -> queryset` that keeps the rows `user` may see."""

    def register(scope: Scope) -> Scope:
        _scopes[_key(model)] = scope
        return scope

    return register


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_platform_admin", False))


def can(user: Any, action: str, obj: models.Model | type[models.Model] | str) -> bool:
    """May `user` do `action` on `obj` (an instance, or a model class for actions like "create")?"""
    if _is_admin(user):
        return True
    found = _rules.get((_key(obj), action))
    if found is None:
        return False
    predicate, public = found
    authenticated = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
    if not authenticated and not public:
        return False
    return bool(predicate(user, None if isinstance(obj, type | str) else obj))


def require(user: Any, action: str, obj: models.Model | type[models.Model] | str) -> None:
    """Raise PermissionDenied (with a message in the user's language) unless `can()` says yes."""
    if not can(user, action, obj):
        raise PermissionDenied(_("您没有权限执行此操作。"))


def visible_to(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` may see; none unless the model registered a scope."""
    if _is_admin(user):
        return queryset
    scope = _scopes.get(_key(queryset.model))
    if scope is None or not getattr(user, "is_authenticated", False):
        return queryset.none()
    return scope(user, queryset)
