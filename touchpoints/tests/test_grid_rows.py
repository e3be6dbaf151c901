"""The grid's rows, written in Python (touchpoints.cells.CellWriter.rows): each
contact with its link, position and colours, then its four quarters."""

from __future__ import annotations

import re

from django.urls import reverse

from profiles.models import Profile
from tests.factories import ContactFactory
from tests.fixtures import World


def _grid(client, world: World) -> str:
    url = reverse("touchpoints:grid", args=[world.account.slug]) + "?year=2026"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_contact_row_links_the_contact_with_position_colours_and_four_cells(
    world: World, lead_client
) -> None:
    world.contact.position = "Head of <Purchasing>"
    world.contact.save()
    Profile.objects.create(contact=world.contact, primary_colour="green", secondary_colour="red")
    plain = ContactFactory(account=world.account, first_name="Ida", last_name="Quist")
    html = _grid(lead_client, world)
    row = re.search(
        rf'<tr><th scope="row"><a href="{world.contact.get_absolute_url()}">.*?</tr>', html, re.S
    )
    assert row, html
    assert "Head of &lt;Purchasing&gt;" in row.group()
    assert 'colour-badge colour-green" title="primary colour"' in row.group()
    assert 'colour-badge colour-red" title="secondary colour"' in row.group()
    assert [f"cell-{world.contact.pk}-{q}" for q in range(1, 5)] == re.findall(
        r'<td id="(cell-\d+-\d)"', row.group()
    )
    other = re.search(rf'<a href="{plain.get_absolute_url()}">Ida Quist</a>.*?</tr>', html, re.S)
    assert other and "colour-badge" not in other.group()


def test_managers_reviewing_the_account_see_no_colours(world: World) -> None:
    """Contacts' profiles are for the account's own team (profiles.access)."""
    Profile.objects.create(contact=world.contact, primary_colour="green")
    html = _grid(world.client_for("manager"), world)
    assert world.contact.get_absolute_url() in html
    assert "colour-badge" not in html


def test_the_colours_are_named_in_german_on_a_german_page(world: World, lead_client) -> None:
    Profile.objects.create(contact=world.contact, primary_colour="blue")
    lead_client.cookies["django_language"] = "de"
    html = _grid(lead_client, world)
    swatch = '<span class="swatch" aria-hidden="true"></span>'
    assert f'colour-blue" title="Primärfarbe">{swatch}Blau' in html
