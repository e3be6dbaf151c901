"""A new account's address derived from its name, free even when the name exists (issue 13, 15)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from accounts.models import KeyAccount
from tests.factories import KeyAccountFactory, role
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _create(world: World, **overrides: object):
    data = {
        "name": "Nordwind AG",
        "slug": "",
        "industry": "Chemicals",
        "hq_country": "DE",
        "classification": "B",
        "attractiveness": 3,
        "relative_position": 3,
        "description": "",
        "first_lead": world.lead.pk,
        "lead_role": role("gkam").pk,
        "lead_country": "",
        **overrides,
    }
    return world.client_for("manager").post(reverse("accounts:create"), data)


def test_an_existing_name_gets_the_next_free_address(world: World) -> None:
    """The world's Nordwind AG has the slug "nordwind"; "nordwind-ag" is free at first."""
    KeyAccountFactory(name="Nordwind", slug="nordwind-ag")
    KeyAccountFactory(name="Nordwind AG (old)", slug="nordwind-ag-2")
    response = _create(world)
    assert response.status_code == 302
    created = KeyAccount.objects.get(slug="nordwind-ag-3")
    assert created.name == "Nordwind AG"
    assert response["Location"] == created.get_absolute_url()
    again = _create(world)
    assert again.status_code == 302
    assert KeyAccount.objects.filter(slug="nordwind-ag-4", name="Nordwind AG").exists()


def test_the_same_name_twice_needs_no_short_name(world: World) -> None:
    first = _create(world, name="Südwind")
    second = _create(world, name="Südwind")
    assert (first.status_code, second.status_code) == (302, 302)
    assert sorted(KeyAccount.objects.filter(name="Südwind").values_list("slug", flat=True)) == [
        "sudwind",
        "sudwind-2",
    ]


def test_the_reserved_address_new_is_skipped(world: World) -> None:
    response = _create(world, name="New")
    assert response.status_code == 302
    assert KeyAccount.objects.filter(name="New", slug="new-2").exists()


def test_a_long_name_stays_within_the_address_length(world: World) -> None:
    name = "Aktiengesellschaft " * 10
    KeyAccountFactory(name=name, slug=("aktiengesellschaft-" * 5)[:80].strip("-"))
    assert _create(world, name=name).status_code == 302
    created = KeyAccount.objects.filter(name=name.strip()).get()
    assert len(created.slug) <= 80 and created.slug.endswith("-2")


def test_a_typed_short_name_that_is_taken_is_refused_in_its_own_words(world: World) -> None:
    """The user typed it, so naming it is their own words."""
    before = database_snapshot()
    response = _create(world, slug="nordwind")
    assert response.status_code == 400
    assert "“nordwind”" in response.context["form"].errors["slug"][0]
    assert database_snapshot() == before


@pytest.mark.parametrize("name", ["北京汽车", "!!!"])
def test_a_name_without_letters_for_an_address_asks_for_one(world: World, name: str) -> None:
    before = database_snapshot()
    response = _create(world, name=name)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["slug"]
    message = html.unescape(errors["slug"][0])
    assert name in message and "choose another" not in message
    assert database_snapshot() == before
