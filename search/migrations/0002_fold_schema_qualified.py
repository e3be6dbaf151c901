"""kam_fold without superuser rights, callable with any search_path (PostgreSQL only).

0001 gives a database migrated without superuser rights the plain kam_fold,
whose SQL names unaccent without a schema. The name is looked up when the
function runs, with the caller's search_path; pg_restore runs with an empty
one, so building the search indexes failed and a backup of such a database
could not be restored. This names the unaccent extension's schema. The fast
kam_fold (superuser) is parsed when created and needs nothing.
"""

from django.db import migrations


def plain_fold_sql(schema: str, name: str = "kam_fold") -> str:
    """The plain kam_fold, every name qualified by the unaccent extension's `schema`."""
    quoted = '"' + schema.replace('"', '""') + '"'
    return f"""
    CREATE OR REPLACE FUNCTION {name}(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT replace(replace(replace(
        lower({quoted}.unaccent('{quoted}.unaccent'::regdictionary, $1)), 'ae', 'a'), 'oe', 'o'),
        'ue', 'u')
    $$
    """


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # prosqlbody is set for a BEGIN ATOMIC body (the fast kam_fold): parsed, not looked up.
        cursor.execute(
            "SELECT p.prosqlbody IS NULL, n.nspname FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE p.proname = 'kam_fold' AND pg_function_is_visible(p.oid)"
        )
        found = cursor.fetchone()
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        unaccent = cursor.fetchone()
    if found and found[0] and unaccent:
        schema_editor.execute(plain_fold_sql(unaccent[0], f'"{found[1]}".kam_fold'))


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
