"""The user model now lives in the users app (users.0001); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0008_profile_version"),
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="User")],
        ),
    ]
