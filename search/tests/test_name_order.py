"""The order of name hits (search.expressions.by_name): last names starting with the
term, then first names, then every other hit; page by page without a gap or a repeat."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.registry import provider
from search.text import Query
from tests.factories import ContactFactory, UserFactory
from tests.fixtures import World

# (first name, last name), in the order the search must list them for "qua".
EXPECTED = [
    ("Anna", "Quade"),  # tier 0: the last name starts with it, by folded last name
    ("Adam", "Quäst"),  # folded "quast adam": before "quast zoe"
    ("Zoë", "Quast"),
    ("Quarta", "Adams"),  # tier 1: the first name does, by first name
    ("Quasimodo", "Zimmer"),
    ("Carl", "von Quast"),  # tier 2: another word of the name starts with it
    ("Emil", "Aquaro"),  # tier 2: anywhere else in the name
]


def _names(world: World, kind: str) -> None:
    for i, (first, last) in enumerate(reversed(EXPECTED)):  # ids not in the expected order
        if kind == "contacts":
            ContactFactory(account=world.account, first_name=first, last_name=last)
        else:
            UserFactory(username=f"qua{i}", first_name=first, last_name=last)


def _titles(kind: str, world: World, *, limit: int, offset: int) -> tuple[list[str], bool]:
    found = provider(kind).search(
        user=world.manager, query=Query("qua"), limit=limit, offset=offset
    )
    plain = [h.title.replace("<mark>", "").replace("</mark>", "") for h in found.hits]
    return plain, found.more


@pytest.mark.parametrize("kind", ["contacts", "colleagues"])
def test_hits_come_by_tier_then_by_folded_name(world: World, kind: str) -> None:
    _names(world, kind)
    titles, more = _titles(kind, world, limit=20, offset=0)
    assert titles == [f"{first} {last}" for first, last in EXPECTED]
    assert not more


@pytest.mark.parametrize("kind", ["contacts", "colleagues"])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_pages_run_across_the_tiers_without_a_gap_or_a_repeat(
    world: World, kind: str, size: int
) -> None:
    """A page may start inside a tier, at its end, or past it (then the tier is counted)."""
    _names(world, kind)
    everyone = [f"{first} {last}" for first, last in EXPECTED]
    for offset in range(0, len(EXPECTED) + 1):
        titles, more = _titles(kind, world, limit=size, offset=offset)
        assert titles == everyone[offset : offset + size], (offset, size)
        assert more == (offset + size < len(everyone)), (offset, size)


def test_a_full_first_tier_asks_no_further(world: World) -> None:
    """Five last names starting with the term fill the type-ahead: one query, no sort
    of the first names or of the other hits."""
    _names(world, "contacts")
    for i in range(5):
        ContactFactory(account=world.account, first_name="Otto", last_name=f"Quandt {i}")
    with CaptureQueriesContext(connection) as captured:
        titles, more = _titles("contacts", world, limit=5, offset=0)
    assert titles == [
        "Anna Quade",
        "Otto Quandt 0",
        "Otto Quandt 1",
        "Otto Quandt 2",
        "Otto Quandt 3",
    ]
    assert more
    assert sum('FROM "accounts_customercontact"' in q["sql"] for q in captured) == 1


@pytest.mark.parametrize(
    ("table", "tier"),
    [
        ("accounts_customercontact", 0),
        ("accounts_customercontact", 1),
        ("profiles_user", 0),
        ("profiles_user", 1),
    ],
)
def test_the_first_tiers_are_read_in_index_order(world: World, table: str, tier: int) -> None:
    """search/migrations/0004: tiers 0 and 1 are ranges of a btree in their order, so a
    prefix that thousands of names share is read only as deep as the page (no sort)."""
    if connection.vendor != "postgresql":
        pytest.skip("the name-order indexes are PostgreSQL's")
    kind = "contacts" if table == "accounts_customercontact" else "colleagues"
    _names(world, kind)
    term = "quade" if tier == 0 else "quarta"  # a hit in that tier only
    with CaptureQueriesContext(connection) as captured:
        provider(kind).search(user=world.manager, query=Query(term), limit=5)
    # Tier 1 is asked after tier 0 came up empty.
    sql = [q["sql"] for q in captured if f'FROM "{table}"' in q["sql"]][tier]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    suffix = "last_first" if tier == 0 else "first_last"
    assert f"search_{table}_{suffix}" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.parametrize("kind", ["contacts", "colleagues"])
def test_a_second_word_narrows_every_tier(world: World, kind: str) -> None:
    """The match of every word is asked in each tier once there are two words: a last
    name starting with the first word is not a hit without the second."""
    _names(world, kind)
    found = provider(kind).search(user=world.manager, query=Query("qua adam"), limit=20)
    plain = [h.title.replace("<mark>", "").replace("</mark>", "") for h in found.hits]
    assert plain == ["Adam Quäst", "Quarta Adams"]


@pytest.mark.parametrize(
    ("kind", "table"),
    [("contacts", "accounts_customercontact"), ("colleagues", "profiles_user")],
)
def test_one_word_is_looked_for_anywhere_in_the_last_tier_only(
    world: World, kind: str, table: str
) -> None:
    """A name that starts with the word holds it: tiers 0 and 1 are their prefix alone
    (on PostgreSQL a range of one btree), only tier 2 looks for the word anywhere."""
    _names(world, kind)
    with CaptureQueriesContext(connection) as captured:
        titles, _more = _titles(kind, world, limit=20, offset=0)
    assert titles == [f"{first} {last}" for first, last in EXPECTED]
    tiers = [q["sql"] for q in captured if f'FROM "{table}"' in q["sql"]]
    assert len(tiers) == 3
    assert ["'%qua%'" in sql for sql in tiers] == [False, False, True], tiers
