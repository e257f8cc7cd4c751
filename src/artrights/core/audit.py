"""The append-only audit log: who wrote what, to which object, when, and from where.

Every model save and delete in the project's apps is recorded by signal, so no service can forget it; services
add named actions (e.g. `registry.accept`) with `record()`. The request context (user, IP, user agent, path,
channel) travels in a context variable set by `AuditContextMiddleware`, the API auth, the CLI and the worker.

The events form a hash chain (`core.auditchain`), so a deleted or changed event is found by `verify_chain()`
(run by `artrights log verify`, which also checks the chain's anchors in the public log). Writers take the chain
head row's lock (`lock_chain()`), hold it to the end of their transaction and chain their events one after the
other: two transactions never fork the chain. On SQLite every write transaction holds the database's write lock
anyway (IMMEDIATE); on PostgreSQL writing transactions queue on the head row from their first audit event to
their commit, as appenders queue on the public log's head. Take other row locks (`select_for_update`) before the
first write of a transaction, so two transactions never wait on each other's locks in opposite orders.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from . import auditchain
from .messages import LazyMessage

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


# --- what each named action is called -----------------------------------------------------------------------------

# "<app label>.<verb>", or a bare verb for the actions core records itself (create, login...).
_ACTION = re.compile(r"^(?:[a-z][a-z0-9_]*\.)?[a-z][a-z0-9_]*$")
_labels: dict[str, str | Promise] = {}


def declare(labels: Mapping[str, str | Promise]) -> None:
    """Name the actions an app records (from its ``auditactions.py``, imported by ``AppConfig.ready()``): each
    code with a short verb phrase its actor would use, ``pgettext_lazy("audit action", "<Chinese>")``: the context
    keeps the English past tense apart from a button with the same Chinese (登录: "Log in" there, "Signed in" here)."""
    for code, text in labels.items():
        if not _ACTION.match(code):
            raise ValueError(f"audit action {code!r} is not '<app>.<verb>' in lower case")
        known = _labels.get(code)
        if known is not None and str(known) != str(text):
            raise ValueError(f"audit action {code!r} is declared twice")
        _labels[code] = text


def declared() -> dict[str, str | Promise]:
    """Every declared action code with its label."""
    return dict(_labels)


def action_label(code: str) -> str:
    """What the action is called in the active language. Events outlive code: a row whose action is no longer
    declared is shown by its code, never refused."""
    text = _labels.get(code)
    return str(text) if text is not None else code


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


class ChainHead(NamedTuple):
    """The audit chain's length and its last event's hash (``GENESIS`` when empty)."""

    seq: int
    hash: str


def _head_table() -> str:
    from .models import AuditChainHead

    return AuditChainHead._meta.db_table


def lock_chain() -> ChainHead:
    """Lock the audit chain's head row for this transaction and return it (created on first use).

    Anything that takes another global lock and also writes audit events (the public log's appenders) takes
    this one first, so the two are always taken in the same order. Raw SQL: it runs for every audit event, and
    building ORM queries cost more than the statements themselves.
    """
    from .models import AUDIT_CHAIN_HEAD_ID, AuditChainHead

    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    query = f"SELECT seq, hash FROM {_head_table()} WHERE id = %s{lock}"
    with connection.cursor() as cursor:
        cursor.execute(query, [AUDIT_CHAIN_HEAD_ID])
        row = cursor.fetchone()
        if row is None:
            # ignore_conflicts: two first writers may race to create it; both then lock the same row.
            AuditChainHead.objects.bulk_create([AuditChainHead(id=AUDIT_CHAIN_HEAD_ID)], ignore_conflicts=True)
            cursor.execute(query, [AUDIT_CHAIN_HEAD_ID])
            row = cursor.fetchone()
    return ChainHead(int(row[0]), str(row[1]))


def chain_fields(event: Any) -> dict[str, Any]:
    """The fields of an event (a model instance) that its hash covers."""
    return {name: getattr(event, name) for name in auditchain.FIELDS}


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
    """Append one audit event, chained to the one before; `actor` defaults to the user of the current context."""
    from .models import AuditEvent

    ctx = _context.get()
    who = actor if actor is not None else ctx.actor
    if who is not None and not getattr(who, "pk", None):
        who = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    event = AuditEvent(
        actor=who,
        actor_label=(getattr(who, "username", "") if who else ctx.via or "system")[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        # As the database will give it back (tuples become lists, keys strings), so the hash matches on reading.
        changes=json.loads(json.dumps(changes or {})),
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent[:300],
        request_path=ctx.request_path[:300],
        via=ctx.via,
    )
    if connection.in_atomic_block:
        _chain_and_insert(event)
    else:
        with transaction.atomic():
            _chain_and_insert(event)
    return event


def _chain_and_insert(event: Any) -> None:
    from .models import AUDIT_CHAIN_HEAD_ID

    head = lock_chain()
    event.at = timezone.now()
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.hash = auditchain.event_hash(event.seq, event.prev_hash, chain_fields(event))
    event.save()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table()} SET seq = %s, hash = %s WHERE id = %s",
            [event.seq, event.hash, AUDIT_CHAIN_HEAD_ID],
        )


# --- verification ----------------------------------------------------------------------------------------------

_VERIFY_CHUNK = 2000


@dataclass
class ChainReport:
    """What `verify_chain()` found: the number of chained events, the hashes asked for, and the first problem."""

    count: int = 0
    head: str = auditchain.GENESIS
    hashes: dict[int, str] = field(default_factory=dict)
    problem: LazyMessage | None = None
    problem_code: str = ""
    problem_seq: int | None = None


def _event_label(seq: int, row: dict[str, Any]) -> LazyMessage:
    return LazyMessage(
        gettext_lazy("审计日志第 %(seq)d 条事件（编号 %(id)d，%(at)s，%(action)s %(object)s）"),
        {
            "seq": seq,
            "id": row["id"],
            "at": auditchain.canonical_time(row["at"]),
            "action": row["action"],
            "object": f"{row['object_type']}#{row['object_id']}",
        },
    )


def verify_chain(*, wanted: set[int] | frozenset[int] = frozenset()) -> ChainReport:
    """Walk the audit chain from its first event: positions without gaps, links, hashes, and the head row.

    Stops at the first broken event and names it. ``wanted``: positions whose hashes to return (anchor checks).
    """
    from .models import AUDIT_CHAIN_HEAD_ID, AuditChainHead, AuditEvent

    report = ChainReport()
    if 0 in wanted:
        report.hashes[0] = auditchain.GENESIS
    columns = ["id", "seq", "prev_hash", "hash", *auditchain.FIELDS]
    expected_seq, prev = 1, auditchain.GENESIS
    last_id = None
    while True:
        rows = AuditEvent.objects.order_by("seq").filter(seq__gte=expected_seq).values(*columns)[:_VERIFY_CHUNK]
        chunk = list(rows)
        for row in chunk:
            problem = _check_event(row, expected_seq, prev)
            if problem is not None:
                report.problem_code, report.problem = problem
                report.problem_seq = expected_seq
                return report
            prev = row["hash"]
            if expected_seq in wanted:
                report.hashes[expected_seq] = prev
            report.count = expected_seq
            report.head = prev
            last_id = row["id"]
            expected_seq += 1
        if len(chunk) < _VERIFY_CHUNK:
            break
    head = AuditChainHead.objects.filter(pk=AUDIT_CHAIN_HEAD_ID).first()
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, auditchain.GENESIS)
    if head_seq > report.count:
        report.problem_code = "audit_tail_missing"
        report.problem = LazyMessage(
            gettext_lazy(
                "审计日志末尾的 %(missing)d 条事件缺失（已被删除）：链头记录共 %(head)d 条，现存 %(count)d 条。"
            ),
            {"missing": head_seq - report.count, "head": head_seq, "count": report.count},
        )
        report.problem_seq = report.count + 1
    elif head_seq != report.count or head_hash != report.head:
        report.problem_code = "audit_head_mismatch"
        report.problem = LazyMessage(
            gettext_lazy("审计日志的链头（第 %(head)d 条）与最后一条事件（第 %(count)d 条，编号 %(id)s）不符。"),
            {"head": head_seq, "count": report.count, "id": last_id if last_id is not None else "-"},
        )
        report.problem_seq = report.count
    return report


def _check_event(row: dict[str, Any], expected_seq: int, prev: str) -> tuple[str, LazyMessage] | None:
    label = _event_label(row["seq"], row)
    if row["seq"] != expected_seq:
        return "audit_event_missing", LazyMessage(
            gettext_lazy("审计日志第 %(seq)d 条事件缺失（已被删除）：下一条现存的是%(next)s。"),
            {"seq": expected_seq, "next": label},
        )
    if row["prev_hash"] != prev:
        return "audit_link_broken", LazyMessage(
            gettext_lazy("%(event)s与前一条事件不相连：前一条事件被删除或改动过。"), {"event": label}
        )
    try:
        recomputed = auditchain.event_hash(row["seq"], row["prev_hash"], row)
    except (TypeError, ValueError):
        recomputed = ""
    if recomputed != row["hash"]:
        return "audit_event_changed", LazyMessage(
            gettext_lazy("%(event)s的内容与其哈希不符：该事件被改动过。"), {"event": label}
        )
    return None


def _audited(sender: type[models.Model]) -> bool:
    meta = sender._meta
    return (
        meta.app_label not in SKIPPED_APPS
        and meta.label_lower not in {"core.auditevent", "core.auditchainhead"}
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
