"""The audit anchor statement: the audit chain's length and head hash, and nothing else (no personal data)."""

import datetime as dt

import pytest

from artrights.proofs import statements

WHEN = dt.datetime(2026, 11, 26, 1, 2, 3, tzinfo=dt.UTC)


def test_an_anchor_holds_only_the_count_and_the_head():
    anchor = statements.audit_anchor_statement(
        registry="artrights.test/log", count=12, head="ab" * 32, anchored_at=WHEN
    )
    assert anchor == {
        "type": "artrights/audit-anchor@v1",
        "registry": "artrights.test/log",
        "anchored_at": "2026-11-26T01:02:03Z",
        "audit": {"count": 12, "head": "ab" * 32},
    }
    assert statements.check_audit_anchor(anchor) == (12, "ab" * 32)


@pytest.mark.parametrize(
    "change",
    [
        {"actor": "林画家"},  # any extra field, personal data above all, is refused
        {"audit": {"count": 12, "head": "ab" * 32, "last_actor": "林画家"}},
        {"audit": {"count": 0, "head": "ab" * 32}},
        {"audit": {"count": True, "head": "ab" * 32}},
        {"audit": {"count": 12, "head": "not hex"}},
        {"anchored_at": "yesterday"},
        {"type": "artrights/registration@v1"},
    ],
)
def test_anything_else_is_not_an_anchor(change):
    anchor = statements.audit_anchor_statement(registry="r", count=12, head="ab" * 32, anchored_at=WHEN)
    with pytest.raises(ValueError):
        statements.check_audit_anchor({**anchor, **change})


def test_a_bundle_cannot_carry_an_anchor_as_if_it_were_a_registration():
    anchor = statements.audit_anchor_statement(registry="r", count=1, head="ab" * 32, anchored_at=WHEN)
    with pytest.raises(ValueError, match="not a statement about a work"):
        statements.check_statement({**anchor, "number": "粤作登字-2026-F-00000001"})
