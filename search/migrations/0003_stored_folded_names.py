"""The folded names of contacts and colleagues, stored, for the type-ahead (PostgreSQL only).

The type-ahead matched kam_fold(column) of each name column through a trigram
index per column, and the database then folded every candidate row again:
once per column to recheck the match and twice more to rank it. A short
prefix ("bau") has a thousand candidates among 12,500 contacts, and those
foldings were most of a keystroke's database time. Two generated columns
keep the folded text instead (written when the row is, never by Django, which
does not know them): `search_name`, the folded last and first name (what a
hit is ranked by), and `search_text`, those with the other searched columns
(what a hit is found by), with one trigram index each table. The per-column
indexes of 0001 they replace are dropped. search.expressions.NameMatch and
NameRank use the columns on PostgreSQL; SQLite folds as before.

Adding a stored generated column rewrites the table under an ACCESS EXCLUSIVE
lock: about a second for 12,500 contacts (bench/migrate_populated.py).
"""

from django.db import migrations

# table: (the name columns, last name first; the other searched columns)
DOCUMENTS = {
    "accounts_customercontact": (["last_name", "first_name"], ["position", "department"]),
    "profiles_user": (["last_name", "first_name"], ["username"]),
}
# The per-column indexes of 0001 that the stored columns replace.
REPLACED = {
    "accounts_customercontact": ["first_name", "last_name", "position", "department"],
    "profiles_user": ["first_name", "last_name", "username"],
}


def _folded(columns: list[str]) -> str:
    return " || ' ' || ".join(f"kam_fold(coalesce({c}, ''))" for c in columns)


def _old_index(table: str, column: str) -> str:
    return f"search_{table}_{column}_trgm"[:63]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (names, others) in DOCUMENTS.items():
        name_sql = _folded(names)
        text_sql = _folded([*names, *others])
        schema_editor.execute(
            f"ALTER TABLE {table}"
            f" ADD COLUMN search_name text GENERATED ALWAYS AS ({name_sql}) STORED,"
            f" ADD COLUMN search_text text GENERATED ALWAYS AS ({text_sql}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX search_{table}_text_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )
        for column in REPLACED[table]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {_old_index(table, column)}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DOCUMENTS:
        for column in REPLACED[table]:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {_old_index(table, column)} ON {table}"
                f" USING gin (kam_fold({column}) gin_trgm_ops)"
            )
        schema_editor.execute(f"DROP INDEX IF EXISTS search_{table}_text_trgm")
        schema_editor.execute(
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_text,"
            " DROP COLUMN IF EXISTS search_name"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fold_schema_qualified")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
