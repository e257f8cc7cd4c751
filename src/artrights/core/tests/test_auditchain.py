"""The audit chain's canonical bytes and hash (framework-free): the same for a value as written and as read back."""

import datetime as dt
from typing import Any

import pytest

from artrights.core import auditchain

FIELDS: dict[str, Any] = {
    "at": dt.datetime(2026, 11, 26, 1, 2, 3, 456789, tzinfo=dt.UTC),
    "actor_id": 7,
    "actor_label": "王审核",
    "action": "update",
    "object_type": "registry.work",
    "object_id": "42",
    "object_repr": "《山水》",
    "changes": {"status": ["submitted", "accepted"], "score": 0.5, "size": 12345678901234567890},
    "ip_address": "203.0.113.7",
    "user_agent": "Mozilla/5.0",
    "request_path": "/registry/42/",
    "via": "web",
}


def test_the_hash_covers_position_predecessor_and_every_field():
    base = auditchain.event_hash(5, "a" * 64, FIELDS)
    assert auditchain.event_hash(6, "a" * 64, FIELDS) != base
    assert auditchain.event_hash(5, "b" * 64, FIELDS) != base
    for name, other in [
        ("at", FIELDS["at"] + dt.timedelta(microseconds=1)),
        ("actor_id", None),
        ("actor_label", "李审核"),
        ("action", "create"),
        ("object_type", "registry.filing"),
        ("object_id", "43"),
        ("object_repr", "《山水》副本"),
        ("changes", {**FIELDS["changes"], "score": 0.6}),
        ("ip_address", "203.0.113.8"),
        ("user_agent", "curl/8"),
        ("request_path", "/registry/43/"),
        ("via", "api"),
    ]:
        assert auditchain.event_hash(5, "a" * 64, {**FIELDS, name: other}) != base, name


def test_key_order_and_the_time_zone_of_the_same_instant_do_not_change_the_hash():
    shuffled = {**FIELDS, "changes": dict(reversed(list(FIELDS["changes"].items())))}
    beijing = FIELDS["at"].astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert auditchain.event_hash(1, auditchain.GENESIS, {**shuffled, "at": beijing}) == auditchain.event_hash(
        1, auditchain.GENESIS, FIELDS
    )


@pytest.mark.parametrize(
    ("written", "read_back"),
    [
        (1e16, 10000000000000000),  # PostgreSQL's jsonb prints a large float as the integer it names
        (-0.0, 0),
        (1.0, 1),
        (1e300, 10**300),
        (1.5e-07, 1.5e-07),
        ((1, 2), [1, 2]),  # JSON has no tuples
        (2**63 + 1, 2**63 + 1),  # beyond RFC 8785's integers, still exact
    ],
)
def test_a_value_hashes_the_same_as_written_and_as_the_database_gives_it_back(written, read_back):
    assert auditchain.canonical_json({"v": written}) == auditchain.canonical_json({"v": read_back})


def test_different_numbers_stay_different():
    assert auditchain.canonical_json(0.1) != auditchain.canonical_json(0.2)
    assert auditchain.canonical_json(2**63 + 1) != auditchain.canonical_json(2**63)
    assert auditchain.canonical_json(True) != auditchain.canonical_json(1)
    assert auditchain.canonical_json("1") != auditchain.canonical_json(1)


@pytest.mark.parametrize(
    ("written", "read_back"),
    [("::ffff:1.2.3.4", "::ffff:102:304"), ("2001:DB8::1", "2001:db8::1"), ("2001:db8:0:0::1", "2001:db8::1")],
)
def test_an_ip_address_hashes_by_its_bytes_however_it_is_printed(written, read_back):
    assert auditchain.canonical_ip(written) == auditchain.canonical_ip(read_back)
    assert auditchain.canonical_ip("203.0.113.7") != auditchain.canonical_ip("203.0.113.8")


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        auditchain.event_hash(1, auditchain.GENESIS, {**FIELDS, "at": dt.datetime(2026, 1, 1)})
