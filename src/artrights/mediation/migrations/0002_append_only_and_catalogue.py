from typing import Any

from django.db import migrations

from artrights.core.append_only import append_only_triggers


def add_behaviours(apps: Any, schema_editor: Any) -> None:
    """Credit's catalogue gains the behaviour an infringement confirmed in mediation is recorded as (rows that
    exist by code stay as the administrators left them)."""
    from artrights.credit.catalogue import seed

    seed(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0001_initial"),
        ("credit", "0003_append_only"),
    ]

    operations = [
        append_only_triggers("mediation_conflict"),
        append_only_triggers("mediation_extensionanswer"),
        append_only_triggers("mediation_signature"),
        migrations.RunPython(add_behaviours, migrations.RunPython.noop),
    ]
