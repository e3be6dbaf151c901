"""Agreeing a matrix: only a complete one, on a session that took place (issue 13, point 12)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from raci.models import RaciAssignment, RaciMatrix
from tests.factories import role
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _complete(world: World) -> None:
    for letter in "RA":
        RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter=letter)


def _post(world: World, client: Client, **data: object):
    url = reverse("raci:status", args=[world.account.slug])
    return client.post(url, {"participants": [world.lead_membership.pk], **data})


def _yesterday() -> str:
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def test_a_session_date_after_today_is_refused_at_the_field(world: World, lead_client) -> None:
    _complete(world)
    before = database_snapshot()
    response = _post(world, lead_client, status="agreed", agreed_on="2030-05-01")
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["agreed_on"]
    assert "cannot be after today" in form.errors["agreed_on"][0]
    assert database_snapshot() == before


def test_tomorrow_is_refused_today_is_fine(world: World, lead_client) -> None:
    _complete(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _post(world, lead_client, status="agreed", agreed_on=tomorrow).status_code == 400
    today = timezone.localdate()
    assert _post(world, lead_client, status="agreed", agreed_on=today).status_code == 302
    assert RaciMatrix.objects.get(account=world.account).agreed_on == today


@pytest.mark.parametrize(
    ("letters", "says"),
    [
        ({}, "needs exactly one A"),
        ({"gkam": "A"}, "has no R"),
        ({"gkam": "R"}, "needs exactly one A"),
        ({"gkam": "R", "management": "A"}, "the A sits with Management, and nobody"),
    ],
)
def test_a_matrix_with_an_incomplete_task_cannot_be_agreed(
    world: World, lead_client, letters: dict[str, str], says: str
) -> None:
    for code, held in letters.items():
        for letter in held:
            RaciAssignment.objects.create(task=world.raci_task, role=role(code), letter=letter)
    before = database_snapshot()
    response = _post(world, lead_client, status="agreed", agreed_on=_yesterday())
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["status"]
    assert "cannot be agreed" in errors["status"][0] and says in errors["status"][0]
    assert "Framework contract" in errors["status"][0]
    assert database_snapshot() == before


def test_an_empty_matrix_cannot_be_agreed(world: World, lead_client) -> None:
    world.raci_task.delete()
    response = _post(world, lead_client, status="agreed", agreed_on=_yesterday())
    assert response.status_code == 400
    assert "Add the matrix's tasks first" in response.context["form"].errors["status"][0]


def test_an_incomplete_matrix_stays_a_draft(world: World, lead_client) -> None:
    """Work in progress is saved as a draft; only agreeing needs the full matrix."""
    assert _post(world, lead_client, status="draft").status_code == 302


def test_a_complete_matrix_is_agreed_on_a_past_session(world: World, lead_client) -> None:
    _complete(world)
    response = _post(world, lead_client, status="agreed", agreed_on=_yesterday())
    assert response.status_code == 302
    matrix = RaciMatrix.objects.get(account=world.account)
    assert (matrix.status, matrix.agreed_on.isoformat()) == ("agreed", _yesterday())


def test_both_problems_are_named_at_their_fields(world: World, lead_client) -> None:
    response = _post(world, lead_client, status="agreed", agreed_on="2030-05-01")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"status", "agreed_on"}
    html = response.content.decode()
    assert "cannot be after today" in html and "cannot be agreed" in html


def test_an_agreed_matrix_that_lost_a_holder_says_it_is_not_complete_now(
    world: World, lead_client
) -> None:
    """Agreed with inside sales as R; then the only inside sales colleague leaves the team."""
    RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=world.raci_task, role=role("inside-sales"), letter="R")
    assert _post(world, lead_client, status="agreed", agreed_on=_yesterday()).status_code == 302
    for name in ("raci:matrix", "raci:table"):
        html = lead_client.get(reverse(name, args=[world.account.slug])).content.decode()
        assert "Not every task is complete now" not in html
    world.membership.archived_at = timezone.now()
    world.membership.save()
    for name in ("raci:matrix", "raci:table"):
        html = lead_client.get(reverse(name, args=[world.account.slug])).content.decode()
        assert "Not every task is complete now" in html, name
