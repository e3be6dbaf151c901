"""Search is forgiving with spelling and never breaks on odd input."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection
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
