"""The audit trail's hash chain (no Django): the canonical bytes of an event and its hash.

Each event's hash covers its position, its predecessor's hash and every recorded field, so removing, inserting or
changing an event breaks the chain at that event, and an anchor of (count, head hash) in the public log pins
everything before it.

The encoding is this module's own canonical JSON, not RFC 8785: audit ``changes`` are whatever a model snapshot
holds, including integers beyond 2**53 that RFC 8785 refuses. It must give the same bytes for a value as written
and as the database gives it back, so numbers are written by value (PostgreSQL's ``jsonb`` turns ``1e16`` into
``10000000000000000`` and ``-0.0`` into ``0``), and IP addresses by their bytes (an ``inet`` column may print an
address differently from how it was written).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

VERSION = 1
GENESIS = "0" * 64  # the predecessor of the first event
_DOMAIN = b"artrights audit event v1\n"

# The fields an event's hash covers, besides its position and predecessor (a change here is a new VERSION).
FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip_address",
    "user_agent",
    "request_path",
    "via",
)


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return json.dumps(str(value))
    if value.is_integer():
        # The integer the shortest decimal form names, which is what jsonb stores and gives back.
        return str(int(Decimal(repr(value))))
    return repr(value)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, ASCII only, numbers by value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, Mapping):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(json.dumps(k, ensure_ascii=True) + ":" + canonical_json(v) for k, v in items) + "}"
    raise TypeError(f"cannot encode {type(value).__name__} in an audit event")


def canonical_time(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit event times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).packed.hex()
    except ValueError:
        return "text:" + value


def event_bytes(seq: int, prev: str, fields: Mapping[str, Any]) -> bytes:
    """What an event's hash covers: version, position, predecessor and the :data:`FIELDS`."""
    body: dict[str, Any] = {name: fields[name] for name in FIELDS}
    body["at"] = canonical_time(fields["at"])
    body["ip_address"] = canonical_ip(fields["ip_address"])
    body.update(v=VERSION, seq=seq, prev=prev)
    return _DOMAIN + canonical_json(body).encode("ascii")


def event_hash(seq: int, prev: str, fields: Mapping[str, Any]) -> str:
    """The event's hash as lowercase hex."""
    return hashlib.sha256(event_bytes(seq, prev, fields)).hexdigest()
