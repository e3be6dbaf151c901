"""Btree indexes in the type-ahead's name order (PostgreSQL only).

The type-ahead ranked every hit and sorted them all before it could name the
first five: "bau" matches 15,000 of 125,000 contacts at `make bench
SCALE=5000`, and the sort of all of them was most of a keystroke (search.
expressions.by_name). Hits now come tier by tier: last names starting with
the term, then first names, then the rest. Each of the first two tiers is a
range of one of these indexes, read in order and only as deep as the page:

- the stored folded name (0003's `search_name`, last name first), and
- the folded names with the first name first, an expression index,

both in byte order (COLLATE "C", which lets a LIKE prefix become an index
range under any database collation), with the id to break ties, and only
over the rows the search reads (active contacts, active colleagues).
search.expressions.NameTier writes exactly these expressions: change both
together.

Building an index takes a SHARE lock (writes wait, reads go on) for as long
as it builds: well under a second at 12,500 contacts
(bench/migrate_populated.py).
"""

from django.db import migrations

# table: the rows the search reads (the partial indexes' predicate)
TABLES = {
    "accounts_customercontact": "archived_at IS NULL",
    "profiles_user": "is_active",
}


def _first_name_first() -> str:
    return "kam_fold(coalesce(first_name, '')) || ' ' || kam_fold(coalesce(last_name, ''))"


def index_statements(table: str, predicate: str) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS search_{table}_last_first ON {table}"
        f' ((search_name COLLATE "C"), id) WHERE {predicate}',
        f"CREATE INDEX IF NOT EXISTS search_{table}_first_last ON {table}"
        f' ((({_first_name_first()}) COLLATE "C"), id) WHERE {predicate}',
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, predicate in TABLES.items():
        for statement in index_statements(table, predicate):
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for suffix in ("last_first", "first_last"):
            schema_editor.execute(f"DROP INDEX IF EXISTS search_{table}_{suffix}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_stored_folded_names")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
