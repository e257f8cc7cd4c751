"""Every append-only table refuses UPDATE and DELETE in the database itself, on SQLite and PostgreSQL alike."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from artrights.core import audit
from artrights.core.models import AppendOnlyModel, AuditEvent
from artrights.evidence.tests.factories import sealed_files
from artrights.ledger import services
from artrights.ledger.models import Checkpoint, Cosignature, LogEntry, LogHash
from artrights.proofs.note import ALG_COSIGNATURE_V1, cosign_note, generate_key, new_signer, new_verifier
from artrights.testing import raw_sql
from artrights.timestamps.models import ExternalTimestamp

pytestmark = pytest.mark.django_db

TABLES = [
    "core_auditevent",
    "ledger_logentry",
    "ledger_loghash",
    "ledger_checkpoint",
    "ledger_cosignature",
    "timestamps_externaltimestamp",
    "evidence_evidenceartifact",
    "evidence_custodyevent",
]
# A column each table has, to try to overwrite.
COLUMN = {
    "core_auditevent": "action",
    "ledger_logentry": "kind",
    "ledger_loghash": "level",
    "ledger_checkpoint": "size",
    "ledger_cosignature": "line",
    "timestamps_externaltimestamp": "url",
    "evidence_evidenceartifact": "path",
    "evidence_custodyevent": "action",
}


@pytest.fixture
def rows(make_user):
    """At least one row in every append-only table."""
    services.append_many(items=[("test", {"n": n}) for n in range(3)])
    checkpoint = services.publish_checkpoint()
    skey, vkey = generate_key("witness.example/w1", ALG_COSIGNATURE_V1)
    services.add_witness(name="w", vkey=vkey)
    cosigned = cosign_note(checkpoint.signed_note(), [new_verifier(checkpoint.key)], new_signer(skey))
    services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=cosigned)
    ExternalTimestamp.objects.create(
        digest="00" * 32, url="https://tsa.example/", response=b"r", gen_time=timezone.now()
    )
    audit.record("test.action")
    sealed_files(make_user("append-only-evidence", "artist"))


def test_the_table_list_covers_every_append_only_model():
    # Credit's, funding's and mediation's tables are tried in their own test modules, with the rows only their
    # factories make.
    from artrights.credit.tests.test_append_only import COLUMNS as CREDIT_TABLES
    from artrights.funding.tests.test_append_only import COLUMNS as FUNDING_TABLES
    from artrights.mediation.tests.test_append_only import COLUMNS as MEDIATION_TABLES

    models = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
    assert sorted(m._meta.db_table for m in models) == sorted(
        [*TABLES, *CREDIT_TABLES, *FUNDING_TABLES, *MEDIATION_TABLES]
    )


@pytest.mark.parametrize("table", TABLES)
def test_the_database_refuses_to_delete_a_row(rows, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"DELETE FROM {table}")


@pytest.mark.parametrize("table", TABLES)
def test_the_database_refuses_to_update_a_row(rows, table):
    column = COLUMN[table]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"UPDATE {table} SET {column} = {column}")


def test_nothing_was_removed_by_the_refused_statements(rows):
    for table in TABLES:
        with pytest.raises(DatabaseError), transaction.atomic():
            raw_sql(f"DELETE FROM {table}")
    for model in (AuditEvent, LogEntry, LogHash, Checkpoint, Cosignature, ExternalTimestamp):
        assert model.objects.exists(), model


@pytest.mark.django_db(transaction=True)  # PostgreSQL truncates only outside a transaction with pending checks
def test_flushing_the_whole_database_still_empties_them(rows):
    call_command("flush", interactive=False, verbosity=0)
    for model in (AuditEvent, LogEntry, LogHash, Checkpoint, Cosignature, ExternalTimestamp):
        assert not model.objects.exists(), model
