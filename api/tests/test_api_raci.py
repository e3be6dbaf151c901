"""RACI letters through the API: given and taken, idempotent, with the grid's rules."""

from __future__ import annotations

import json

from notifications.models import Notification
from raci.models import RaciAssignment
from tests.fixtures import World


def letters_url(w: World) -> str:
    return f"/api/accounts/{w.account.slug}/raci/{w.raci_task.pk}/letters/"


def give(client, w: World, code: str, letter: str):  # type: ignore[no-untyped-def]
    data = json.dumps({"role": code, "letter": letter})
    return client.put(letters_url(w), data, content_type="application/json")


def held(w: World) -> set[tuple[str, str]]:
    return {(a.role.code, a.letter) for a in RaciAssignment.objects.filter(task=w.raci_task)}


def test_giving_twice_changes_nothing_and_the_holders_are_told(world: World, api_client) -> None:
    lead = api_client("lead")
    first = give(lead, world, "inside-sales", "R")
    assert first.status_code == 200, first.content
    assert {(x["role"], x["letter"]) for x in first.json()["letters"]} == {("inside-sales", "R")}
    assert give(lead, world, "inside-sales", "R").status_code == 200
    assert held(world) == {("inside-sales", "R")}
    assert Notification.objects.filter(recipient=world.member).count() == 1
    taken = lead.delete(f"{letters_url(world)}inside-sales/R/")
    assert taken.status_code == 200 and taken.json()["letters"] == []
    assert lead.delete(f"{letters_url(world)}inside-sales/R/").status_code == 200
    assert held(world) == set()


def test_the_grids_rules(world: World, api_client) -> None:
    lead = api_client("lead")
    assert give(lead, world, "gkam", "A").status_code == 200
    second_a = give(lead, world, "inside-sales", "A")
    assert second_a.status_code == 409
    assert "already has its A" in second_a.json()["detail"]
    nobody = give(lead, world, "management", "C")  # nobody on the team holds it
    assert nobody.status_code == 422 and "Nobody on this account's team" in nobody.json()["detail"]
    assert give(lead, world, "chief", "R").status_code == 422
    assert give(lead, world, "gkam", "X").status_code == 422
    assert give(lead, world, "gkam", "RA").status_code == 422  # one letter
    assert lead.delete(f"{letters_url(world)}gkam/Q/").status_code == 422
    assert held(world) == {("gkam", "A")}
    assert give(api_client("member"), world, "gkam", "R").status_code == 403
