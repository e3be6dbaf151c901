"""kam_fold and the search indexes, on PostgreSQL only (SQLite gets kam_fold from search.apps).

kam_fold is search.text.fold in SQL: unaccent, lower case, and ae/oe/ue read
as a/o/u; declared IMMUTABLE so that indexes can be built on it. The indexes
serve search.expressions:

- trigram GIN on kam_fold(name column): `kam_fold(col) LIKE '%term%'` and
  `kam_fold(col) %> term` (word similarity, small typos);
- full-text GIN on the folded text in German and English: TextMatch, whose
  document must stay written exactly as here.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# The fast kam_fold: unaccent's C function declared IMMUTABLE (it is, for a
# fixed dictionary), so that kam_fold is immutable throughout and PostgreSQL
# inlines it into each query: a call then costs about what lower() costs.
# Declaring a C function takes a superuser.
FAST_FOLD = [
    """
    CREATE OR REPLACE FUNCTION kam_unaccent(regdictionary, text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS '$libdir/unaccent', 'unaccent_dict'
    """,
    """
    CREATE OR REPLACE FUNCTION kam_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    BEGIN ATOMIC
      SELECT replace(replace(replace(
        lower(kam_unaccent(regdictionary 'unaccent', $1)), 'ae', 'a'), 'oe', 'o'), 'ue', 'u');
    END
    """,
]
# Without superuser rights: the same answer through the SQL function
# unaccent, which is only STABLE, so kam_fold is called, not inlined (slower).
PLAIN_FOLD = [
    """
    CREATE OR REPLACE FUNCTION kam_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT replace(replace(replace(
        lower(unaccent('unaccent'::regdictionary, $1)), 'ae', 'a'), 'oe', 'o'), 'ue', 'u')
    $$
    """,
]

NAMES = {
    "accounts_keyaccount": ["name", "industry"],
    "accounts_customercontact": ["first_name", "last_name", "position", "department"],
    "profiles_user": ["first_name", "last_name", "username"],
}
TEXTS = {
    "raci_racitask": ["name", "description"],
    "touchpoints_touchpoint": ["title", "outcome"],
    "accounts_keyaccountplan": [
        "account_profile",
        "swot_strengths",
        "swot_weaknesses",
        "swot_opportunities",
        "swot_threats",
        "strategy",
    ],
    "accounts_planpotential": ["description"],
    "accounts_planobjective": ["text"],
}


def _document(columns):
    folded = "kam_fold(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in columns) + ")"
    return f"(to_tsvector('german'::regconfig, {folded}) || to_tsvector('english'::regconfig, {folded}))"


def _indexes():
    for table, columns in NAMES.items():
        for column in columns:
            name = f"search_{table}_{column}_trgm"[:63]
            yield name, f"CREATE INDEX {name} ON {table} USING gin (kam_fold({column}) gin_trgm_ops)"
    for table, columns in TEXTS.items():
        name = f"search_{table}_fts"[:63]
        yield name, f"CREATE INDEX {name} ON {table} USING gin (({_document(columns)}))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    for sql in FAST_FOLD if superuser else PLAIN_FOLD:
        schema_editor.execute(sql)
    for _name, sql in _indexes():
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in _indexes():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS kam_fold(text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS kam_unaccent(regdictionary, text)")


class _OnPostgres:
    """The extension's backwards step skips other databases too (as accounts 0004)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramOnPostgres(_OnPostgres, TrigramExtension):
    pass


class UnaccentOnPostgres(_OnPostgres, UnaccentExtension):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_contact_buying_roles_history"),
        ("raci", "0002_versions"),
        ("touchpoints", "0004_relationship_target_not_below_current"),
        ("users", "0003_language"),
    ]

    operations = [
        TrigramOnPostgres(),
        UnaccentOnPostgres(),
        migrations.RunPython(forwards, backwards),
    ]
