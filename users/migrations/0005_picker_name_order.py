"""Btree indexes for the people pickers' first tiers, on PostgreSQL only.

users.suggestions.suggest lists surnames starting with the typed word first, then
first names (the search's name order). Each is read as a range of one of
these indexes, in its order, and only as deep as the suggestions go: "bau",
the prefix of 5,557 of 50,000 people in `make bench SCALE=5000`, reads forty
rows instead of sorting all 5,557. The expressions are those of
users.suggestions.name_key: the name in lower case with its letters' accents and
umlaut dots dropped (a phone book's order), compared byte by byte
(COLLATE "C"), so that a prefix is a range whatever the database's collation.
users/tests/test_picker_order.py checks that the plans use them.

Building them reads the table once under a SHARE lock (writes to people
wait, reads go on): about 0.1 s for 50,000 people.
"""

from django.db import migrations

LAST = "users_picker_last_first"
FIRST = "users_picker_first_last"
# users.suggestions.ACCENTED and PLAIN, as they were when the index was made
# (users/tests/test_picker_order.py compares them).
ACCENTED = "äöüáàâãåéèêëíìîïóòôõúùûýÿçñÄÖÜÁÀÂÃÅÉÈÊËÍÌÎÏÓÒÔÕÚÙÛÝŸÇÑ"
PLAIN = "aouaaaaaeeeeiiiioooouuuyycnaouaaaaaeeeeiiiioooouuuyycn"
KEY = f"(translate(lower(({{column}})::text), '{ACCENTED}', '{PLAIN}') COLLATE \"C\")"
CREATE = "CREATE INDEX IF NOT EXISTS {name} ON profiles_user ({one}, {two}, username, id)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite reads the few people of a small installation whole
    last, first = KEY.format(column="last_name"), KEY.format(column="first_name")
    schema_editor.execute(CREATE.format(name=LAST, one=last, two=first))
    schema_editor.execute(CREATE.format(name=FIRST, one=first, two=last))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {LAST}, {FIRST}")


class Migration(migrations.Migration):
    dependencies = [("users", "0004_picker_names_trgm")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
