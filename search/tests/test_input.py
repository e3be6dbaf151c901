"""Search is forgiving with spelling and never breaks on odd input."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CustomerContact
from tests.factories import ContactFactory
from tests.fixtures import World

ODD = [
    "",
    " ",
    "a",
    "x" * 101,
    "x" * 100_000,
    "!!!",
    "&|!():*",
    "müller & | ! ( ) : * <-> <2>",
    "'; DROP TABLE accounts_keyaccount; --",
    "%_%",
    "\\",
    '"unterminated',
    "ﬁ ß ẞ İ 🙂",
    "a:* | b:*",
    " ".join(["wort"] * 60),
]


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
@pytest.mark.parametrize("name", ["search", "search_suggest"])
def test_odd_input_never_breaks(world: World, name: str, text: str) -> None:
    response = world.client_for("lead").get(reverse(name), {"q": text})
    assert response.status_code == 200


def test_too_long_a_query_is_named(world: World) -> None:
    response = world.client_for("lead").get(reverse("search"), {"q": "x" * 101})
    assert "Search for at most 100 characters (you typed 101)." in response.content.decode()


@pytest.mark.parametrize("name", ["search", "search_suggest"])
def test_nul_is_refused_as_everywhere(world: World, name: str) -> None:
    """core.middleware answers a NUL byte in the query string with 400, before any view."""
    response = world.client_for("lead").get(reverse(name), {"q": "Mül\x00ler"})
    assert response.status_code == 400


def test_short_and_empty_queries_ask_for_more(world: World) -> None:
    for text in ("", "a", "!!"):
        html = world.client_for("lead").get(reverse("search"), {"q": text}).content.decode()
        assert "Type at least 2 characters." in html


def test_nothing_found_says_so(world: World) -> None:
    html = world.client_for("lead").get(reverse("search"), {"q": "qqxxzz"}).content.decode()
    assert "Nothing found for “qqxxzz”." in html


def test_bad_kind_and_page_are_ignored(world: World) -> None:
    client = world.client_for("lead")
    for params in ({"kind": "nope"}, {"page": "-3"}, {"page": "x"}, {"kind": "tasks", "page": 999}):
        response = client.get(reverse("search"), {"q": "framework", **params})
        assert response.status_code == 200


def test_markup_in_data_and_query_is_escaped(world: World) -> None:
    ContactFactory(account=world.account, first_name="<script>alert(1)</script>", last_name="Evil")
    html = (
        world.client_for("lead")
        .get(reverse("search"), {"q": "<script>alert evil"})
        .content.decode()
    )
    assert "<script>alert(1)" not in html
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt;" in html
    assert 'value="&lt;script&gt;alert evil"' in html


@pytest.mark.parametrize("text", ["mueller", "Muller", "MÜLLER", "müll", "Max Mü", "ller"])
def test_umlauts_and_their_spellings_find_the_contact(world: World, text: str) -> None:
    html = world.client_for("lead").get(reverse("search"), {"q": text}).content.decode()
    url = reverse("accounts:contact_detail", args=["nordwind", world.contact.pk])
    assert url in html, text


def test_prefix_finds_the_name(world: World) -> None:
    ContactFactory(account=world.account, first_name="Stefan", last_name="Schulz")
    html = world.client_for("lead").get(reverse("search"), {"q": "stef"}).content.decode()
    assert "<mark>Stef</mark>an Schulz" in html


@pytest.mark.parametrize("text", ["contracts", "framework contr", "Frameworks"])
def test_english_forms_find_the_task(world: World, text: str) -> None:
    html = world.client_for("lead").get(reverse("search"), {"q": text}).content.decode()
    assert 'id="group-tasks"' in html, text


def test_german_forms_find_plan_text(world: World) -> None:
    world.plan.strategy = "Den Rahmenvertrag verlängern und Verträge bündeln"
    world.plan.save()
    client = world.client_for("lead")
    for text in ("Vertrag", "verträgen", "vertraege", "buendeln", "rahmen"):
        html = client.get(reverse("search"), {"q": text}).content.decode()
        assert 'id="group-plans"' in html, text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typo tolerance is pg_trgm's (PostgreSQL only)"
)
def test_a_small_typo_still_finds_the_name(world: World) -> None:
    CustomerContact.objects.filter(pk=world.contact.pk).update(first_name="Maximilian")
    client = world.client_for("lead")
    url = reverse("accounts:contact_detail", args=["nordwind", world.contact.pk])
    for text in ("Muler", "Maximillian", "Mülller"):
        assert url in client.get(reverse("search"), {"q": text}).content.decode(), text


@pytest.mark.django_db
def test_the_plain_fold_works_with_an_empty_search_path() -> None:
    """pg_restore builds the indexes with an empty search_path: a kam_fold that names
    unaccent without its schema broke the restore of a database migrated without
    superuser rights (search/migrations/0002)."""
    if connection.vendor != "postgresql":
        pytest.skip("kam_fold's plain variant is PostgreSQL's")
    plain = import_module("search.migrations.0002_fold_schema_qualified").plain_fold_sql
    with connection.cursor() as cursor:
        cursor.execute(plain("public", "public.kam_fold_plain_probe"))
        cursor.execute("SET LOCAL search_path TO ''")
        cursor.execute("SELECT public.kam_fold_plain_probe('Müller Mueller Ørsted')")
        assert cursor.fetchone()[0] == "muller muller orsted"


@pytest.mark.parametrize("kind", ["contacts", "colleagues"])
def test_names_are_matched_on_the_stored_folded_text(world: World, kind: str) -> None:
    """search/migrations/0003 stores the folded names with a trigram index: the type-ahead
    must use it, and a rename must be found at once (the column is generated)."""
    if connection.vendor != "postgresql":
        pytest.skip("the stored columns are PostgreSQL's")
    from search.registry import provider
    from search.text import Query

    CustomerContact.objects.filter(pk=world.contact.pk).update(last_name="Zwölfer")
    found = provider("contacts").search(user=world.lead, query=Query("zwoelf"), limit=5)
    assert [hit.url for hit in found.hits] == [world.contact.get_absolute_url()]
    table = {"contacts": "accounts_customercontact", "colleagues": "profiles_user"}[kind]
    # As the manager, who searches every account. Which index the planner picks
    # for the whole query depends on the table's size (a small one is read
    # through the account index): the contract is that the query matches on
    # the stored column, and that the column's trigram index serves such a match.
    with CaptureQueriesContext(connection) as captured:
        provider(kind).search(user=world.manager, query=Query("bau"), limit=5)
    # Tier by tier (search.expressions.by_name): the first names' tier compares the
    # folded names first name first, the expression of its index (0004); every
    # other condition reads the stored columns. A one-word query is looked for
    # anywhere in the text in the last tier only (the earlier ones start with it).
    first_last = (
        f"kam_fold(coalesce(\"{table}\".\"first_name\", '')) || ' ' || "
        f'kam_fold(coalesce("{table}"."last_name", \'\'))'
    )
    sqls = [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(sqls) == 3
    assert f'"{table}"."search_text" LIKE' in sqls[-1].split(" WHERE ", 1)[1], sqls[-1]
    for sql in sqls:
        where = sql.split(" WHERE ", 1)[1]
        assert "kam_fold(" not in where.replace(first_last, ""), sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"search_{table}_text_trgm"]
        )
        (indexdef,) = cursor.fetchone()
        assert "gin (search_text gin_trgm_ops)" in indexdef, indexdef
        # The only index on the column: with sequential scans off the planner
        # must read a LIKE on it through the trigram index, whatever the size.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM {table} WHERE search_text LIKE %s", ["%bau%"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"search_{table}_text_trgm" in plan, plan
