from django.db import migrations

from artrights.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    """Artifacts and custody events are evidence: neither the application nor a database client may change or
    remove them."""

    dependencies = [("evidence", "0001_initial")]
    operations = [append_only_triggers("evidence_evidenceartifact"), append_only_triggers("evidence_custodyevent")]
