from django.db import migrations, models


def forget_stored_scores(apps, schema_editor):
    """Every stored score is computed again on the next read, with the new column:
    rows from before would say no key player is waiting for a visit."""
    apps.get_model("portfolio", "HealthScore").objects.all().delete()
    apps.get_model("portfolio", "HealthScoreSweep").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0005_healthscore_signals"),
    ]

    operations = [
        migrations.RunPython(forget_stored_scores, migrations.RunPython.noop),
        # A constant default: PostgreSQL adds the column without rewriting the table.
        migrations.AddField(
            model_name="healthscore",
            name="stale_key_players",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
