"""Motive scores in the reader's number format, both ways (issue 13, point 17).

In a German browser "1,5" typed into a motive score used to become 15 (or
nothing), and the error said "kleiner oder gleich 2.0". German reads and
writes "1,5" and "2,0"; the decimal point is still understood.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from profiles.models import Profile
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _client(world: World, language: str) -> Client:
    client = Client()
    client.force_login(world.member)
    client.cookies["django_language"] = language
    return client


def _edit_url(world: World) -> str:
    return reverse("profiles:person_edit", args=[world.member.username])


def _scores(world: World) -> dict[str, Decimal]:
    profile = Profile.objects.get(user=world.member)
    return {s.motive.code: s.score for s in profile.scores.select_related("motive")}


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),  # the point is understood in German too
        ("-1,2", Decimal("-1.2")),
        ("\u22121,2", Decimal("-1.2")),  # the page's own minus sign, copied
        (" 2,0 ", Decimal("2.0")),
        ("0", Decimal("0")),
    ],
)
def test_german_scores_are_read_with_a_decimal_comma(world: World, typed: str, saved) -> None:
    response = _client(world, "de").post(
        _edit_url(world), {"primary_colour": "green", "motive_order": typed}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _scores(world) == {"order": saved}


def test_german_bound_error_names_the_bound_in_german(world: World) -> None:
    client = _client(world, "de")
    before = database_snapshot()
    response = client.post(_edit_url(world), {"motive_order": "2,5", "motive_power": "-2,1"})
    assert response.status_code == 400
    errors = response.context["motives_form"].errors
    assert errors["motive_order"] == ["Dieser Wert muss kleiner oder gleich 2,0 sein."]
    assert errors["motive_power"] == ["Dieser Wert muss größer oder gleich -2,0 sein."]
    page = response.content.decode()
    assert "2,0" in page and "gleich 2.0" not in page
    # What was typed stays in the field, as typed, next to its message.
    assert 'value="2,5"' in page
    assert database_snapshot() == before


def test_too_many_decimal_places_says_so(world: World) -> None:
    response = _client(world, "de").post(_edit_url(world), {"motive_order": "1,25"})
    assert response.status_code == 400
    assert "Dezimalstelle" in response.context["motives_form"].errors["motive_order"][0]


def test_english_bound_error_and_decimal_point(world: World) -> None:
    client = _client(world, "en")
    response = client.post(_edit_url(world), {"motive_order": "2.5"})
    assert response.context["motives_form"].errors["motive_order"] == [
        "Ensure this value is less than or equal to 2.0."
    ]
    response = client.post(_edit_url(world), {"primary_colour": "red", "motive_order": "1.5"})
    assert response.status_code == 302
    assert _scores(world) == {"order": Decimal("1.5")}


def test_english_comma_is_refused_never_read_as_fifteen(world: World) -> None:
    client = _client(world, "en")
    before = database_snapshot()
    response = client.post(_edit_url(world), {"motive_order": "1,5"})
    assert response.status_code == 400
    assert response.context["motives_form"].errors["motive_order"] == ["Enter a number."]
    assert database_snapshot() == before


def test_saved_scores_are_shown_in_the_page_language(world: World) -> None:
    _client(world, "en").post(_edit_url(world), {"primary_colour": "green", "motive_order": "-1.5"})
    german = _client(world, "de").get(_edit_url(world)).content.decode()
    assert 'value="-1,5"' in german
    english = _client(world, "en").get(_edit_url(world)).content.decode()
    assert 'value="-1.5"' in english
    # A text input with the phone's decimal keypad; type=number would parse by
    # the browser's locale, not the page's.
    assert 'type="text" inputmode="decimal"' in german
    assert 'type="number"' not in german
    chart = (
        _client(world, "de")
        .get(reverse("profiles:person", args=[world.member.username]))
        .content.decode()
    )
    assert "\u22121,5" in chart  # the minus sign of the chart's axis
