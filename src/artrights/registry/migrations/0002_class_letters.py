"""Seed the class letters verified in public CPCC data: F = 美术, L = 其他 (DOMAIN.md §1.3). Operators add the rest."""

from django.db import migrations


def seed(apps, schema_editor):
    ClassLetter = apps.get_model("registry", "ClassLetter")
    for work_type, letter in (("FINE_ART", "F"), ("OTHER", "L")):
        ClassLetter.objects.get_or_create(work_type=work_type, defaults={"letter": letter, "verified": True})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
