"""A sub-licence ended with its licence stores no reason text: the page and the API say why in the reader's
language (``Contract.termination_reason_text``). The Chinese sentences stored before are cleared."""

from django.db import migrations


def clear_stored_reasons(apps, schema_editor):  # type: ignore[no-untyped-def]
    Contract = apps.get_model("licensing", "Contract")
    Contract.objects.filter(termination_ground="parent_terminated").update(termination_reason="")


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0007_termination_by_agreement_proposals"),
    ]

    operations = [
        migrations.RunPython(clear_stored_reasons, migrations.RunPython.noop),
    ]
