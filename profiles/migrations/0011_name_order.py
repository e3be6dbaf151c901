"""Shared profiles listed by their accounts' names in a reader's order
(core.collation.by_name); no SQL."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('profiles', '0010_field_names_translated'),
        ('core', '0003_name_collation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='profileshare',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('account__name'), 'kamteam_name'), 'part'], 'verbose_name': 'profile share', 'verbose_name_plural': 'profile shares'},
        ),
    ]
