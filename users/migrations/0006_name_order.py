"""People sorted by name in a reader's order (core.collation.by_name); no SQL."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('users', '0005_picker_name_order'),
        ('core', '0003_name_collation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('last_name'), 'kamteam_name'), django.db.models.functions.comparison.Collate(models.F('first_name'), 'kamteam_name'), 'username'], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
    ]
