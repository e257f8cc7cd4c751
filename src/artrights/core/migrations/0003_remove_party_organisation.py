from django.db import migrations


class Migration(migrations.Migration):
    # accounts.0003 has copied each link to Organisation.party first.
    dependencies = [
        ("core", "0002_audit_append_only"),
        ("accounts", "0003_organisation_party"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="party",
            name="organisation",
        ),
    ]
