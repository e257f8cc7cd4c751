"""Data migrations keep what was recorded before them: audit events written before the chain are chained."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from artrights.core import audit

BEFORE = [("core", "0004_notifications"), ("ledger", "0002_append_only_triggers")]


@pytest.mark.django_db(transaction=True)
def test_audit_events_and_checkpoints_from_before_the_chain_are_chained_and_numbered():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event = old.get_model("core", "AuditEvent")
    for i in range(5):
        Event.objects.create(
            action="update",
            object_type="registry.work",
            object_id=str(i),
            changes={"status": ["submitted", "accepted"], "n": i, "f": 1e16},
            ip_address="203.0.113.7",
            via="web",
        )
    old.get_model("ledger", "LogHead").objects.create(id=1, size=2)
    Checkpoint = old.get_model("ledger", "Checkpoint")
    for size in (1, 2):
        Checkpoint.objects.create(size=size, root_hash=b"\0" * 32, note="n", key="k", created_at=timezone.now())
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        report = audit.verify_chain()
        assert report.problem is None and report.count == 5
        from artrights.ledger.models import Checkpoint as Current
        from artrights.ledger.selectors import current_head

        assert list(Current.objects.order_by("id").values_list("seq", flat=True)) == [1, 2]
        assert current_head().checkpoints == 2
        # The triggers are back, refusing DELETE on SQLite too.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
