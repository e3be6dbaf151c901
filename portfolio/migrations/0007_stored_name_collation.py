"""The stored copy of an account's name in the collation of KeyAccount.name, so that the
manager's home lists accounts as the portfolio does (core.collation). No table is
rewritten on PostgreSQL; the two indexes on the name are built again.
"""

import core.collation
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0006_healthscore_stale_key_players'),
        ('core', '0003_name_collation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='healthscore',
            name='name',
            field=core.collation.NameField(db_collation='kamteam_name', default='', max_length=200),
        ),
    ]
