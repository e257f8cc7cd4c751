"""Appending to the DB-backed log: indices, leaves, hashes, transactions, bad statements, append-only rows."""

import pytest
import rfc8785
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from artrights.ledger import services
from artrights.ledger.models import Checkpoint, Cosignature, LogEntry, LogHash, LogHead
from artrights.ledger.selectors import current_head
from artrights.proofs.merkle import CompactRange, leaf_hash, root_from_leaf_hashes

pytestmark = pytest.mark.django_db

STATEMENT = {"type": "artrights/registration@v1", "work": "ab" * 32, "owners": ["cd" * 32]}


def test_an_appended_statement_gets_index_zero_and_its_canonical_json_as_leaf_data():
    entry = services.append(kind="artrights/registration@v1", statement=STATEMENT)
    assert entry.index == 0
    stored = LogEntry.objects.get(index=0)
    assert bytes(stored.data) == rfc8785.dumps(STATEMENT)
    assert bytes(stored.leaf_hash) == leaf_hash(rfc8785.dumps(STATEMENT))
    head = current_head()
    assert head.size == 1
    assert bytes(head.root_hash) == leaf_hash(rfc8785.dumps(STATEMENT))


def test_a_batch_gets_consecutive_indices_and_the_root_of_the_pure_tree():
    first = services.append(kind="test", statement={"n": -1})
    batch = services.append_many(items=[("test", {"n": i}) for i in range(300)])
    assert [e.index for e in batch] == list(range(1, 301))
    leaves = [leaf_hash(rfc8785.dumps(s)) for s in [{"n": -1}] + [{"n": i} for i in range(300)]]
    assert bytes(current_head().root_hash) == root_from_leaf_hashes(leaves)
    assert first.index == 0
    # Every full subtree is stored once: 2n - popcount(n) hashes.
    assert LogHash.objects.count() == 2 * 301 - (301).bit_count()
    # The stored right edge lets the next append resume without reading hashes back.
    tree = CompactRange()
    tree.append_many(leaves)
    assert current_head().edge_hashes() == tree.edge


def test_an_append_inside_a_rolled_back_transaction_leaves_no_entry_and_no_hashes():
    services.append(kind="test", statement={"kept": True})
    before_root = bytes(current_head().root_hash)

    class RegistrationFailed(Exception):
        pass

    with pytest.raises(RegistrationFailed), transaction.atomic():
        services.append_many(items=[("test", {"n": i}) for i in range(10)])
        assert LogEntry.objects.count() == 11
        raise RegistrationFailed
    assert LogEntry.objects.count() == 1
    assert LogHash.objects.count() == 1
    head = current_head()
    assert head.size == 1
    assert bytes(head.root_hash) == before_root
    # The next append takes index 1: no gap where the rolled-back entries were.
    assert services.append(kind="test", statement={"after": True}).index == 1


def test_an_empty_batch_appends_nothing():
    assert services.append_many(items=[]) == []
    assert not LogHead.objects.exists()


@pytest.mark.parametrize(
    ("kind", "statement", "code"),
    [
        ("Registration", {"a": 1}, "bad_kind"),
        ("", {"a": 1}, "bad_kind"),
        ("has space", {"a": 1}, "bad_kind"),
        ("test", ["not", "an", "object"], "bad_statement"),
        ("test", {"x": float("nan")}, "bad_statement"),
        ("test", {"x": 2**60}, "bad_statement"),
        ("test", {1: "non-string key"}, "bad_statement"),
        ("test", {"x": {1, 2}}, "bad_statement"),
        ("test", {"x": "a" * 70000}, "too_large"),
    ],
)
def test_statements_that_cannot_be_logged_are_refused_before_anything_is_written(kind, statement, code):
    with pytest.raises(ValidationError) as err:
        services.append(kind=kind, statement=statement)
    assert err.value.code == code
    assert not LogEntry.objects.exists()
    assert not LogHash.objects.exists()


def test_one_bad_statement_in_a_batch_refuses_the_whole_batch():
    with pytest.raises(ValidationError):
        services.append_many(items=[("test", {"ok": 1}), ("test", {"bad": float("inf")})])
    assert not LogEntry.objects.exists()


def test_entries_hashes_and_checkpoints_cannot_be_updated_or_deleted_through_the_orm():
    entry = services.append(kind="test", statement={"a": 1})
    checkpoint = services.publish_checkpoint()
    entry = LogEntry.objects.get(index=entry.index)
    entry.kind = "forged"
    for obj in (entry, checkpoint, LogHash.objects.get(level=0, index=0)):
        with pytest.raises(ValidationError):
            obj.save()
        with pytest.raises(ValidationError):
            obj.delete()
    changes = {LogEntry: {"kind": "x"}, LogHash: {"level": 9}, Checkpoint: {"size": 9}, Cosignature: {"line": "x"}}
    for model, change in changes.items():
        with pytest.raises(ValidationError):
            model.objects.all().update(**change)
        with pytest.raises(ValidationError):
            model.objects.all().delete()
    assert LogEntry.objects.get(index=0).kind == "test"


@pytest.mark.parametrize(
    ("table", "assignment"),
    [
        ("ledger_logentry", "kind = 'forged'"),
        ("ledger_loghash", "hash = hash"),
        ("ledger_checkpoint", "size = size + 1"),
    ],
)
def test_the_database_itself_refuses_to_rewrite_a_log_row(table, assignment):
    services.append(kind="test", statement={"a": 1})
    services.publish_checkpoint()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignment}")
    assert LogEntry.objects.get(index=0).kind == "test"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_also_refuses_to_delete_a_log_row():
    services.append(kind="test", statement={"a": 1})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_logentry")
    assert LogEntry.objects.count() == 1
