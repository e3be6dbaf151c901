"""A trigram index for the people pickers' name search, on PostgreSQL only.

users.suggestions.suggest filters active people with one case-insensitive regular
expression over "first last username" (Django's Concat, written on PostgreSQL
as the COALESCE chain below). pg_trgm answers such a regular expression from
a GIN index, so a type-ahead reads a few dozen rows instead of scanning every
colleague. The expression must stay the one Django writes for
`PICKER_NAMES`: users/tests/test_pickers.py checks that the plan uses this
index.
"""

from django.db import migrations

INDEX = "users_picker_names_trgm"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON profiles_user USING gin ((
  COALESCE(first_name, '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(last_name, '')
  || COALESCE((COALESCE(' ', '') || COALESCE(username, '')), '')), '')), '')
) gin_trgm_ops) WHERE is_active
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite scans the few people of a small installation
    schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # pg_trgm comes with the search's migration; depending on it also keeps a
    # rollback of the search from dropping the extension under this index.
    dependencies = [("users", "0003_language"), ("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
