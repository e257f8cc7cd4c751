"""Every log table refuses DELETE on SQLite too (0002 refused only UPDATE there): the common append-only triggers
(`core.append_only`) replace 0002's, whose PostgreSQL function goes."""

import importlib

from django.db import migrations

from artrights.core import append_only

_0002 = importlib.import_module("artrights.ledger.migrations.0002_append_only_triggers")


def drop_old_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_append_only();")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]

    operations = [
        # Backwards: drop the common triggers, then put 0002's back.
        migrations.RunPython(migrations.RunPython.noop, _0002.forward),
        append_only.append_only_triggers(*_0002.TABLES),
        migrations.RunPython(drop_old_function, migrations.RunPython.noop),
    ]
