"""The collation of kamteam's name lists, core.collation.NAME_COLLATION (PostgreSQL).

ICU's root locale where the server has ICU (Debian's, Ubuntu's, the official
images' and RHEL's PostgreSQL all do): base letters first, then accents, then
case, whatever the database's own locale. A server built without ICU gets
the database's own locale under this name, so that the columns and queries
that name it still work (in that locale's order). SQLite registers it on each
connection instead (core.apps). Creating a collation only writes the catalogue.
"""

from django.db import migrations

NAME = "kamteam_name"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i')")
        (icu,) = cursor.fetchone()
        if icu:
            definition = "provider = icu, locale = 'und'"
        else:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            (locale,) = cursor.fetchone()
            definition = "locale = " + schema_editor.quote_value(locale)
    schema_editor.execute(f'CREATE COLLATION IF NOT EXISTS "{NAME}" ({definition})')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("core", "0002_scheduledrun")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
