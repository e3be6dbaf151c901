"""Key account names in a reader's order (core.collation.NAME_COLLATION), and the
lists of accounts, team members and contacts sorted by name in it.

On PostgreSQL the name column changes collation only: no table is rewritten,
the indexes on it (the portfolio's order, the search's trigram index) are
built again under ACCESS EXCLUSIVE, well under a second for 5,000 accounts.
SQLite's column stays as it is (core.collation.NameField). The orderings are
Python only.
"""

import core.collation
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0014_field_names_translated'),
        ('core', '0003_name_collation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='accountteammember',
            options={'ordering': ['role__order', django.db.models.functions.comparison.Collate(models.F('user__last_name'), 'kamteam_name'), django.db.models.functions.comparison.Collate(models.F('user__first_name'), 'kamteam_name')], 'verbose_name': 'team member', 'verbose_name_plural': 'team members'},
        ),
        migrations.AlterModelOptions(
            name='customercontact',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('last_name'), 'kamteam_name'), django.db.models.functions.comparison.Collate(models.F('first_name'), 'kamteam_name'), 'pk'], 'verbose_name': 'customer contact', 'verbose_name_plural': 'customer contacts'},
        ),
        migrations.AlterModelOptions(
            name='keyaccount',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name'), 'kamteam_name')], 'verbose_name': 'key account', 'verbose_name_plural': 'key accounts'},
        ),
        migrations.AlterField(
            model_name='historicalkeyaccount',
            name='name',
            field=core.collation.NameField(db_collation='kamteam_name', max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='keyaccount',
            name='name',
            field=core.collation.NameField(db_collation='kamteam_name', max_length=200, verbose_name='name'),
        ),
    ]
