"""The append-only audit log: who wrote what, to which object, when, and from where.

Every model save and delete in the project's apps is recorded by signal, so no service can forget it; services
add named actions (e.g. `registry.accept`) with `record()`. The request context (user, IP, user agent, path,
channel) travels in a context variable set by `AuditContextMiddleware`, the API auth, the CLI and the worker.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

SENSITIVE_FIELDS = {"password", "token_hash", "secret", "private_key"}
SKIPPED_APPS = {"sessions", "contenttypes", "admin", "axes", "migrations", "huey_monitor"}


@dataclass(frozen=True)
class AuditContext:
    actor: Any = None
    ip_address: str | None = None
    user_agent: str = ""
    request_path: str = ""
    via: str = ""


# AuditContext is frozen, so sharing one default instance is safe.
_context: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039


def current() -> AuditContext:
    return _context.get()


@contextlib.contextmanager
def context(**kwargs: Any) -> Iterator[AuditContext]:
    """Run a block with the given audit context fields (e.g. `context(actor=user, via="cli")`)."""
    token = _context.set(replace(_context.get(), **kwargs))
    try:
        yield _context.get()
    finally:
        _context.reset(token)


def set_actor(actor: Any) -> None:
    """Name the actor for the rest of the current context (call only inside `context()` or a request)."""
    _context.set(replace(_context.get(), actor=actor))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    data = {}
    for f in instance._meta.concrete_fields:
        value = "••••" if f.name in SENSITIVE_FIELDS else _plain(getattr(instance, f.attname))
        data[f.attname] = value
    return data


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    actor: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> Any:
    """Append one audit event; `actor` defaults to the user of the current context."""
    from .models import AuditEvent

    ctx = _context.get()
    who = actor if actor is not None else ctx.actor
    if who is not None and not getattr(who, "pk", None):
        who = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent.objects.create(
        actor=who,
        actor_label=(getattr(who, "username", "") if who else ctx.via or "system")[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent[:300],
        request_path=ctx.request_path[:300],
        via=ctx.via,
    )


def _audited(sender: type[models.Model]) -> bool:
    meta = sender._meta
    return (
        meta.app_label not in SKIPPED_APPS
        and meta.label_lower != "core.auditevent"
        and not meta.auto_created
        and (meta.app_label == "auth" or sender.__module__.startswith("artrights."))
    )


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _audited(sender) or instance.pk is None or instance._state.adding:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    # An ad-hoc attribute carried from pre_save to post_save, read back with getattr.
    instance._audit_old = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not _audited(sender):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # recorded as a "login" action instead
    new = snapshot(instance)
    if created:
        record("create", instance, changes={"new": new})
        return
    old = getattr(instance, "_audit_old", None) or {}
    diff = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    if diff:
        record("update", instance, changes=diff)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _audited(sender):
        record("delete", instance, changes={"old": snapshot(instance)})


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("login", user, actor=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("logout", user, actor=user)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    record("login_failed", object_type="accounts.user", object_id=username, object_repr=username)


def connect_signals() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit_pre_save")
    post_save.connect(_after_save, dispatch_uid="audit_post_save")
    post_delete.connect(_after_delete, dispatch_uid="audit_post_delete")
    user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
