"""The health breakdown offers "Start a plan" only to whom may start one (issue 14:
the manager's home page links a dropped account's breakdown, which led a
manager to a page that refused them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fixtures import World


@pytest.mark.parametrize(
    ("actor", "offered"), [("lead", True), ("manager", False), ("member", False)]
)
def test_start_a_plan_is_offered_to_leads_only(world: World, actor: str, offered: bool) -> None:
    world.plan.delete()  # no plan: the plan part says to start one
    text = world.client_for(actor).get(reverse("accounts:health", args=[world.account.slug])).text
    assert "The account has no key account plan." in text
    assert (reverse("accounts:plan_create", args=[world.account.slug]) in text) is offered
    # The links anyone on the page may follow stay.
    assert reverse("raci:matrix", args=[world.account.slug]) in text
