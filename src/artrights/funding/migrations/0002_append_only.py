from django.db import migrations

from artrights.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    """Payments and credit checks are what the fund answers for: never changed or removed."""

    dependencies = [("funding", "0001_initial")]
    operations = [
        append_only_triggers("funding_payment"),
        append_only_triggers("funding_creditcheck"),
    ]
