"""Database triggers that keep the log's entries, hashes, checkpoints and cosignatures append-only.

As for the audit log (core 0002): PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE, and DELETE stays
possible there only because Django's test flush empties tables with DELETE (PostgreSQL uses TRUNCATE, which row
triggers do not see). The models and querysets refuse deletes on both.
"""

from django.db import migrations

TABLES = ["ledger_logentry", "ledger_loghash", "ledger_checkpoint", "ledger_cosignature"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'the public log is append-only (' || TG_TABLE_NAME || ')';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'the public log is append-only ({table})'); END;"
            )


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_append_only();")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
