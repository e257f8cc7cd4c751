"""The link between an organisation and its party moves from core.Party to accounts.Organisation.

core must not depend on accounts (core is the bottom layer); the data is copied before core drops its column
(core.0003 depends on this migration).
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Party = apps.get_model("core", "Party")
    Organisation = apps.get_model("accounts", "Organisation")
    for party_id, organisation_id in Party.objects.exclude(organisation=None).values_list("pk", "organisation_id"):
        Organisation.objects.filter(pk=organisation_id).update(party_id=party_id)


def copy_links_back(apps, schema_editor):
    Party = apps.get_model("core", "Party")
    Organisation = apps.get_model("accounts", "Organisation")
    for organisation_id, party_id in Organisation.objects.exclude(party=None).values_list("pk", "party_id"):
        Party.objects.filter(pk=party_id).update(organisation_id=organisation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_uscc_validator"),
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="party",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisation",
                to="core.party",
                verbose_name="当事人",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
