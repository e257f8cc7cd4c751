"""Seed the default catalogues (``credit/catalogue.py``)."""

from django.db import migrations

from artrights.credit.catalogue import seed


def forward(apps, schema_editor):
    seed(apps)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
