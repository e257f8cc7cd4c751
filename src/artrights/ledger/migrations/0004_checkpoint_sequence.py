"""Checkpoints are numbered without gaps and the head counts them.

Existing checkpoints are numbered in the order they were signed (by id); the append-only triggers are lifted while
the numbers are filled in, and put back at the end.
"""

from django.db import migrations, models

from artrights.core import append_only

TABLES = ["ledger_logentry", "ledger_loghash", "ledger_checkpoint", "ledger_cosignature"]


def number_checkpoints(apps, schema_editor):
    Checkpoint = apps.get_model("ledger", "Checkpoint")
    LogHead = apps.get_model("ledger", "LogHead")
    db = schema_editor.connection.alias
    ids = list(Checkpoint.objects.using(db).order_by("id").values_list("id", flat=True))
    Checkpoint.objects.using(db).bulk_update(
        [Checkpoint(id=pk, seq=n) for n, pk in enumerate(ids, start=1)], ["seq"], batch_size=1000
    )
    LogHead.objects.using(db).update(checkpoints=len(ids))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_refuse_delete")]

    operations = [
        append_only.lift_append_only_triggers(*TABLES),
        migrations.AddField(
            model_name="loghead",
            name="checkpoints",
            field=models.BigIntegerField(default=0, verbose_name="已签发检查点数"),
        ),
        migrations.AddField(
            model_name="checkpoint",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.RunPython(number_checkpoints, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="checkpoint",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="序号"),
        ),
        append_only.append_only_triggers(*TABLES),
    ]
