"""Search costs no more queries at 25 hits of every kind than at 1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.sql import compiler as sql_compiler
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from profiles.models import Profile
from raci.models import RaciTask
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    PotentialFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import Touchpoint


def _grow(world: World, start: int, stop: int) -> None:
    """Hits for "quokka" in every kind, on the world's account and on others."""
    for i in range(start, stop):
        account = KeyAccountFactory(name=f"Quokka {i}", slug=f"quokka-{i}")
        TeamMemberFactory(
            account=account, user=UserFactory(last_name=f"Quokka{i}"), role=role("gkam")
        )
        contact = ContactFactory(account=world.account, last_name=f"Quokka{i}")
        RaciTask.objects.create(account=world.account, name=f"Quokka task {i}", order=10 + i)
        Touchpoint.objects.create(
            account=world.account,
            contact=contact,
            year=2026,
            quarter=2,
            title=f"Quokka visit {i}",
            owner=world.lead_membership,
        )
        PotentialFactory(plan=world.plan, description=f"Quokka potential {i}")
        ObjectiveFactory(plan=world.plan, text=f"Quokka objective {i}")


# The page: session, user, managers' group (search scopes by it), the ids of the
# accounts the person may open (not for managers: every account), then per kind:
# accounts 2 (with their KAMs), contacts 1 to 3, colleagues 3 to 5 (with what
# each shared: the "shared" counter, then profiles.access's two queries: the pins
# count a render with the cache emptied), RACI tasks 1, touchpoints 1, plan text 3
# (plans, potentials, objectives), documents 1, and the top bar's counters and
# bell. An outsider's kinds under accounts ask nothing at all: they may open none.
# Names come tier by tier (search.expressions.by_name): a query for the last
# names starting with the term, and only while those fall short of the page one
# for the first names and one for the rest, so a kind of names costs up to two
# queries more with one hit than with 25 (a later page: up to three counts more).
# The pins: (1 hit, 25 hits).
@pytest.mark.parametrize(
    ("name", "params", "who", "pinned"),
    [
        ("search", {"q": "quokka"}, "member", (23, 19)),
        ("search", {"q": "quokka"}, "manager", (22, 18)),
        ("search", {"q": "quokka"}, "outsider", (14, 12)),
        # One kind: session, user, managers' group, visible accounts, the contacts,
        # the top bar's counters and bell. Page 2 starts past the only hit: each
        # tier is asked and counted (6); with 25 hits in the first tier, its page 2
        # holds the last five, then the other two tiers are asked (3).
        ("search", {"q": "quokka", "kind": "contacts", "page": 2}, "member", (12, 9)),
        # No top bar, no touchpoints and no plan text (results page only): six fewer.
        ("search_suggest", {"q": "quokka"}, "member", (17, 13)),
    ],
)
def test_search_costs_the_same_at_1_and_25_hits(
    world: World, name: str, params: dict, who: str, pinned: tuple[int, int]
) -> None:
    url = reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    client = world.client_for(who)
    _grow(world, 0, 1)
    one = page_queries(client, url)
    _grow(world, 1, 25)
    many = page_queries(client, url)
    assert (one, many) == pinned, (one, many)


def test_the_type_ahead_reads_what_colleagues_shared_once_until_it_changes(world: World) -> None:
    """Each keystroke asks again: what the viewer may see of colleagues comes from the
    cache (one query for the "shared" counter instead of two more), until a share changes."""
    client = world.client_for("member")
    _grow(world, 0, 3)
    url = reverse("search_suggest") + "?q=quokka"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = queries()
    assert queries() == first - 2
    # The lead now shows their colours to the team: "shared" moved, the map is read again.
    Profile.objects.update_or_create(
        user=world.lead_membership.user, defaults={"share_with_team": True}
    )
    assert queries() == first


@pytest.mark.parametrize("who", ["member", "manager"])
def test_a_search_builds_none_of_its_queries_once_one_of_its_shape_ran(
    world: World, who: str, monkeypatch
) -> None:
    """Every kind's query is kept (core.prepared): its SQL built once per shape
    (the number of words, which of them are long, the page), each search only
    puts in its words. Django built some thirty querysets a search, more time
    than the database took for them (README, "First renders")."""
    client = world.client_for(who)
    assert client.get(reverse("search") + "?q=zebra+tiger").status_code == 200
    built: list[str] = []
    original = sql_compiler.SQLCompiler.as_sql

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        sql, params = original(self, *args, **kwargs)
        built.append(sql)
        return sql, params

    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", counted)
    with override_settings(PREPARED_QUERIES_CHECK=False):
        response = client.get(reverse("search") + "?q=quokka+wombat")
    assert response.status_code == 200
    searched = [sql for sql in built if "kam_fold" in sql or "to_tsquery" in sql]
    assert not searched, searched
    # And the words are the new ones: the kept SQL took this search's values.
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("search") + "?q=quokka+wombat")
    assert any("wombat" in q["sql"] for q in ctx.captured_queries)


def test_how_many_an_earlier_name_tier_found_makes_no_shape_of_its_own(world: World) -> None:
    """Each tier reads the same number of rows whatever the tiers before it found
    (search.expressions.by_name): a shape is a kept query's compile."""
    from search.providers.names import _contacts

    client = world.client_for("member")
    ContactFactory(account=world.account, last_name="Quokkaone")
    assert client.get(reverse("search") + "?q=quokka").status_code == 200
    shapes = len(_contacts.shapes)
    for i in range(3):  # tier 0 finds two, three, four: tiers 1 and 2 read as before
        ContactFactory(account=world.account, last_name=f"Quokka{i}")
        assert client.get(reverse("search") + "?q=quokka").status_code == 200
    assert len(_contacts.shapes) == shapes
