from django.db import migrations

from artrights.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    """What the platform answers for is never changed or removed: the annotations shown with records, the
    measures departments reported, the partner query log (kept at least five years, S20 Art 45) and the history
    of agency grades."""

    dependencies = [("credit", "0002_catalogue")]
    operations = [
        append_only_triggers("credit_annotation"),
        append_only_triggers("credit_measurereport"),
        append_only_triggers("credit_partnerquery"),
        append_only_triggers("credit_evaluation"),
    ]
