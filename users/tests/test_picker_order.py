"""The order of the people pickers' suggestions (users.suggestions.suggest): surnames
starting with the typed word, then first names, then every other hit; each tier
read as deep as the suggestions go."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from users import suggestions
from users.pickers import active_people
from users.suggestions import SUGGESTION_LIMIT, suggest

pytestmark = pytest.mark.django_db

# (first name, surname, user name), in the order the picker must suggest them for "bau".
EXPECTED = [
    ("Anna", "Bauer", "abauer"),  # tier 0: the surname starts with it, as a phone book
    ("Max", "Baumann", "mbaumann"),  # orders it ("Bäumer" as "Baumer")
    ("Emil", "Bäumer", "ebaeumer"),
    ("Bauke", "Zimmer", "bzimmer"),  # tier 1: the first name does
    ("Dora", "Meier-Bau", "dmeier"),  # tier 2: the second half of a surname,
    ("Carl", "Nolte Baum", "cnolte"),  # its second word,
    ("Xaver", "Yilmaz", "bauxy"),  # the user name
]


def _people() -> None:
    for first, last, username in reversed(EXPECTED):  # ids not in the expected order
        UserFactory(first_name=first, last_name=last, username=username)
    UserFactory(first_name="Olga", last_name="Ober", username="ober")  # no hit


def _profiles_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured if 'FROM "profiles_user"' in q["sql"]]


def test_surnames_then_first_names_then_every_other_hit() -> None:
    _people()
    with CaptureQueriesContext(connection) as captured:
        found = suggest(active_people(), "bau")
    assert [p.username for p in found] == [username for _f, _l, username in EXPECTED]
    assert len(_profiles_queries(captured)) == 3  # each tier once


def test_a_second_word_narrows_every_tier() -> None:
    _people()
    assert [p.username for p in suggest(active_people(), "bau anna")] == ["abauer"]
    assert [p.username for p in suggest(active_people(), "bau zim")] == ["bzimmer"]
    assert [p.username for p in suggest(active_people(), "bau xav")] == ["bauxy"]


def test_a_full_first_tier_asks_once() -> None:
    _people()
    for n in range(SUGGESTION_LIMIT):
        UserFactory(first_name="Paul", last_name=f"Bauer{n:02}")
    with CaptureQueriesContext(connection) as captured:
        found = suggest(active_people(), "bau")
    assert len(found) == SUGGESTION_LIMIT
    assert [p.last_name for p in found[:3]] == ["Bauer", "Bauer00", "Bauer01"]
    assert len(_profiles_queries(captured)) == 1


def test_names_sharing_the_plain_prefix_do_not_crowd_out_a_spelling() -> None:
    """ "mue" ranges over every "mu…" surname, but only "Mue…" and "Mü…" are read:
    fifty earlier "Mudra"s leave room for Müller."""
    for n in range(50):
        UserFactory(first_name="Ida", last_name=f"Mudra{n:02}")
    mueller = UserFactory(first_name="Jürgen", last_name="Müller", username="jmueller")
    assert [p.pk for p in suggest(active_people(), "mue")] == [mueller.pk]


def test_umlauts_lie_in_the_range_of_their_plain_letters() -> None:
    umlauts = ["bau", "bäu", "baü", "bäü"]
    assert suggestions.key_ranges(umlauts) == {"bau": umlauts}
    assert suggestions.key_ranges(["mue", "mü", "müe"]) == {"mue": ["mue", "müe"], "mu": ["mü"]}
    assert suggestions.key_ranges(["über", "Über"]) == {"uber": ["über", "Über"]}
    # A letter lower() may not know (a database in the C locale): both ways.
    assert suggestions.key_ranges(["Łuk"]) == {"łuk": ["Łuk"], "Łuk": ["Łuk"]}


def test_the_index_is_made_of_the_pickers_letters() -> None:
    """users/migrations/0005 copies the letters name_key translates: the same, or the
    planner no longer finds the index for the query."""
    migration = importlib.import_module("users.migrations.0005_picker_name_order")
    assert (migration.ACCENTED, migration.PLAIN) == (suggestions.ACCENTED, suggestions.PLAIN)
    assert len(suggestions.ACCENTED) == len(suggestions.PLAIN)


@pytest.mark.parametrize(("tier", "index"), [(0, "last_first"), (1, "first_last")])
def test_the_first_tiers_are_read_in_index_order(tier: int, index: str) -> None:
    """Tiers 0 and 1 are ranges of a btree in their order, so a prefix that thousands
    of names share is read only as deep as the suggestions go (no sort)."""
    if connection.vendor != "postgresql":
        pytest.skip("the name-order indexes are PostgreSQL's")
    _people()
    word = "zimmer" if tier == 0 else "olga"  # a hit in that tier only
    with CaptureQueriesContext(connection) as captured:
        suggest(active_people(), word)
    sql = _profiles_queries(captured)[tier]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"users_picker_{index}" in plan, plan
    assert "Sort" not in plan, plan
