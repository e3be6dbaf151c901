"""A contact's page on the road (issue 14): the last and the next touchpoint and the
relationship owner, with "Mark done" for whom may mark it."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse

from tests.fixtures import World
from touchpoints.models import Touchpoint


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 12, 2)):
        yield


def _page(world: World, actor: str) -> str:
    url = reverse("accounts:contact_detail", args=[world.account.slug, world.contact.pk])
    response = world.client_for(actor).get(url)
    assert response.status_code == 200
    return response.text


def test_the_contact_page_says_last_and_next_touchpoint_and_owner(world: World) -> None:
    Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=3,
        title="Plant tour",
        owner=world.lead_membership,
        status="done",
        outcome="Liked the retrofit idea.",
    )
    text = _page(world, "member")
    assert "Plant tour" in text and "Liked the retrofit idea." in text  # the last
    assert "Christmas gift" in text  # the next: the world's planned Q4 touchpoint
    owner = re.search(r"Relationship owner</dt>\s*<dd[^>]*>(.*?)</dd>", text, re.S)
    assert owner and "Lena Lead" in owner.group(1)  # the world's pair
    done = reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk])
    assert done not in text  # the lead's touchpoint: a member may not mark it done
    lead = _page(world, "lead")
    assert f"{done}?next=/accounts/nordwind/contacts/{world.contact.pk}/" in lead


def test_a_contact_without_touchpoints_or_owner_says_so(world: World) -> None:
    world.touchpoint.delete()
    world.pair.delete()
    text = _page(world, "lead")
    assert "None done yet." in text and "Nothing planned." in text
    assert "Nobody in the team yet." in text
    add = reverse("touchpoints:relationship_create", args=[world.account.slug])
    assert f"{add}?contact={world.contact.pk}" in text
    assert f"{add}?contact=" not in _page(world, "member")  # only leads add a relationship


def test_outsider_gets_404(world: World) -> None:
    url = reverse("accounts:contact_detail", args=[world.account.slug, world.contact.pk])
    assert world.client_for("outsider").get(url).status_code == 404
