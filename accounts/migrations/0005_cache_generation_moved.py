"""The change counters moved to core (core.0001); they only key the fragment cache."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_versions")]

    operations = [migrations.DeleteModel(name="CacheGeneration")]
