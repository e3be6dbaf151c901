"""Search costs the same number of queries at 1 and at 25 hits of every kind."""

from __future__ import annotations

import pytest
from django.urls import reverse

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


# The page: session, user, managers' group (search scopes by it), then per kind:
# accounts 2 (with their KAMs), contacts 1, colleagues 3 (with what each shared:
# profiles.access), RACI tasks 1, touchpoints 1, plan text 3 (plans, potentials,
# objectives), and the top bar's counters and bell.
@pytest.mark.parametrize(
    ("name", "params", "who", "pinned"),
    [
        ("search", {"q": "quokka"}, "member", 16),
        ("search", {"q": "quokka"}, "manager", 16),
        ("search", {"q": "quokka"}, "outsider", 16),
        # One kind: session, user, managers' group, the contacts, the top bar's counters and bell.
        ("search", {"q": "quokka", "kind": "contacts", "page": 2}, "member", 6),
        # No top bar, no touchpoints and no plan text (results page only): six fewer.
        ("search_suggest", {"q": "quokka"}, "member", 10),
    ],
)
def test_search_costs_the_same_at_1_and_25_hits(
    world: World, name: str, params: dict, who: str, pinned: int
) -> None:
    url = reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    client = world.client_for(who)
    _grow(world, 0, 1)
    one = page_queries(client, url)
    _grow(world, 1, 25)
    many = page_queries(client, url)
    assert one == many == pinned, (one, many)
