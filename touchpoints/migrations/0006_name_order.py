"""Relationships sorted by name in a reader's order (core.collation.by_name); no SQL."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('touchpoints', '0005_touchpoint_companions'),
        ('core', '0003_name_collation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='relationshippair',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('contact__last_name'), 'kamteam_name'), 'pk'], 'verbose_name': 'relationship', 'verbose_name_plural': 'relationships'},
        ),
    ]
