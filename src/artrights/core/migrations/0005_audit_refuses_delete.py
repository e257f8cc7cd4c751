"""The audit log refuses DELETE on SQLite too (0002 refused only UPDATE there): the common append-only triggers
(`core.append_only`) replace 0002's."""

import importlib

from django.db import migrations

from artrights.core import append_only

_0002 = importlib.import_module("artrights.core.migrations.0002_audit_append_only")


def drop_old_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_0002.PG_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(_0002.SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_notifications")]

    operations = [
        migrations.RunPython(drop_old_trigger, _0002.forward),
        append_only.append_only_triggers("core_auditevent"),
    ]
