"""External tokens refuse DELETE on SQLite too (0002 made SQLite refuse only UPDATE); replaces the triggers."""

from django.db import migrations

from artrights.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("timestamps", "0002_external_timestamps_append_only")]
    operations = [append_only_triggers("timestamps_externaltimestamp")]
