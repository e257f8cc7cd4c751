"""The audit log becomes a hash chain.

Existing events are chained in the order they were written (by id). The append-only triggers are lifted while the
new columns are filled, and put back at the end.
"""

from django.db import migrations, models
import django.utils.timezone

from artrights.core import append_only, auditchain

_CHUNK = 1000


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    db = schema_editor.connection.alias
    seq, prev = 0, auditchain.GENESIS
    last_id = 0
    while True:
        rows = list(
            AuditEvent.objects.using(db)
            .filter(id__gt=last_id)
            .order_by("id")
            .values("id", *auditchain.FIELDS)[:_CHUNK]
        )
        if not rows:
            break
        updates = []
        for row in rows:
            seq += 1
            digest = auditchain.event_hash(seq, prev, row)
            updates.append(AuditEvent(id=row["id"], seq=seq, prev_hash=prev, hash=digest))
            prev = digest
            last_id = row["id"]
        AuditEvent.objects.using(db).bulk_update(updates, ["seq", "prev_hash", "hash"])
    AuditChainHead.objects.using(db).create(id=1, seq=seq, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_refuses_delete")]

    operations = [
        append_only.lift_append_only_triggers("core_auditevent"),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="链序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="前一事件哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="事件哈希"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField(default=0, verbose_name="事件数")),
                (
                    "hash",
                    models.CharField(default=auditchain.GENESIS, max_length=64, verbose_name="最新事件哈希"),
                ),
            ],
            options={
                "verbose_name": "审计链头",
                "verbose_name_plural": "审计链头",
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="core_single_audit_head")],
            },
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="链序号"),
        ),
        append_only.append_only_triggers("core_auditevent"),
    ]
