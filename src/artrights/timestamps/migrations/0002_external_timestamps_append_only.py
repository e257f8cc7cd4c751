from django.db import migrations

from artrights.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("timestamps", "0001_initial")]
    operations = [append_only_triggers("timestamps_externaltimestamp")]
