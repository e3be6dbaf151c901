"""A plan's period as entered, and objectives' due dates against it (issue 13, points 8 and 12)."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse

from accounts.models import PlanObjective
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _plan_data(world: World, **overrides: object) -> dict[str, object]:
    plan = world.plan
    data: dict[str, object] = {
        "version": plan.version,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "status": "draft",
        "strategy": "From supplier to partner.",
        "workshop_date": "",
        "revenue_2026": "1100000",
        "revenue_2027": "1200000",
        "revenue_2028": "1300000",
    }
    data.update(overrides)
    return data


def _edit_url(world: World) -> str:
    return reverse("accounts:plan_edit", args=[world.account.slug, world.plan.pk])


def _objective_url(world: World, objective: PlanObjective | None = None) -> str:
    if objective is None:
        return reverse("accounts:objective_create", args=[world.account.slug, world.plan.pk])
    return reverse(
        "accounts:objective_edit", args=[world.account.slug, world.plan.pk, objective.pk]
    )


def _objective_data(**overrides: object) -> dict[str, object]:
    return {"text": "Win the Suzhou line", "kind": "business", "status": "open", **overrides}


# Point 8: an end year before the start year -------------------------------------


@pytest.mark.parametrize(("start", "end"), [(2027, 2026), (2026, 2025), (2030, 2029)])
def test_end_before_start_says_so_like_the_new_plan_form(
    world: World, lead_client, start: int, end: int
) -> None:
    before = database_snapshot()
    response = lead_client.post(_edit_url(world), _plan_data(world, start_year=start, end_year=end))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors == {"end_year": ["The end year cannot be before the start year."]}
    text = html.unescape(response.content.decode())
    assert "revenue target of" not in text and "would leave out" not in text
    # The heading names the plan as saved, not the refused input.
    assert "Edit key account plan 2026–2028" in text
    assert f"{end}–{end}" not in text and f"{start}–{end}" not in text
    assert database_snapshot() == before


def test_the_new_plan_form_words_it_the_same(world: World, lead_client) -> None:
    response = lead_client.post(
        reverse("accounts:plan_create", args=[world.account.slug]),
        {"start_year": 2030, "end_year": 2029},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end_year"] == [
        "The end year cannot be before the start year."
    ]


def test_too_long_a_period_says_only_that(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(_edit_url(world), _plan_data(world, start_year=2030, end_year=2045))
    assert response.status_code == 400
    assert response.context["form"].errors == {"end_year": ["A plan covers at most 10 years."]}
    assert "Edit key account plan 2026–2028" in html.unescape(response.content.decode())
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_year": 2027, "end_year": 2029},  # would leave out the 2026 rows
        {"start_year": 2026, "end_year": 2027, "status": "agreed"},  # no workshop date
    ],
)
def test_a_refused_save_keeps_the_saved_period_in_the_heading(
    world: World, lead_client, overrides: dict[str, object]
) -> None:
    world.plan.potentials.update(year=2027)
    data = _plan_data(world, revenue_2028="", **overrides)
    response = lead_client.post(_edit_url(world), data)
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "Edit key account plan 2026–2028" in text


def test_a_valid_new_period_still_saves(world: World, lead_client) -> None:
    world.plan.potentials.update(year=2027)
    data = _plan_data(world, start_year=2027, end_year=2029, revenue_2026="")
    assert lead_client.post(_edit_url(world), data).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.period == "2027–2029"


# Point 12: an objective's due date lies within its plan's period ----------------


@pytest.mark.parametrize("due", ["1999-06-30", "2025-12-31", "2029-01-01", "2100-01-01"])
def test_objective_due_outside_the_plan_is_refused_at_the_field(
    world: World, lead_client, due: str
) -> None:
    before = database_snapshot()
    response = lead_client.post(_objective_url(world), _objective_data(due_date=due))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["due_date"]
    assert "2026–2028" in errors["due_date"][0]
    assert database_snapshot() == before


@pytest.mark.parametrize("due", ["2026-01-01", "2028-12-31", ""])
def test_objective_due_within_the_plan_or_without_date_is_saved(
    world: World, lead_client, due: str
) -> None:
    response = lead_client.post(_objective_url(world), _objective_data(due_date=due))
    assert response.status_code == 302
    assert world.plan.objectives.filter(text="Win the Suzhou line").exists()


def test_objective_edit_cannot_move_its_date_out_of_the_plan(world: World, lead_client) -> None:
    objective = world.plan.objectives.get()
    data = _objective_data(due_date="1999-01-01", version=objective.version)
    response = lead_client.post(_objective_url(world, objective), data)
    assert response.status_code == 400
    assert "due_date" in response.context["form"].errors
    objective.refresh_from_db()
    assert objective.due_date is None


def test_objective_left_outside_by_an_old_period_keeps_its_date_when_edited(
    world: World, lead_client
) -> None:
    """As potentials do: fixing a typo must not force a new date on an older objective."""
    objective = world.plan.objectives.get()
    PlanObjective.objects.filter(pk=objective.pk).update(due_date=datetime.date(2025, 6, 30))
    data = _objective_data(text="Typo fixed", due_date="2025-06-30", version=objective.version)
    assert lead_client.post(_objective_url(world, objective), data).status_code == 302
    objective.refresh_from_db()
    assert (objective.text, objective.due_date) == ("Typo fixed", datetime.date(2025, 6, 30))


def test_moving_the_period_past_an_objectives_due_date_is_refused(
    world: World, lead_client
) -> None:
    world.plan.potentials.update(year=2027)
    world.plan.objectives.update(due_date=datetime.date(2026, 3, 31))
    before = database_snapshot()
    data = _plan_data(world, start_year=2027, end_year=2029, revenue_2026="")
    response = lead_client.post(_edit_url(world), data)
    assert response.status_code == 400
    message = response.context["form"].errors["start_year"][0]
    assert "objectives due in 2026" in message
    assert database_snapshot() == before


def test_rows_left_outside_earlier_do_not_block_saving_the_same_period(
    world: World, lead_client
) -> None:
    """A potential and an objective kept from an older period: the plan's text still saves."""
    world.plan.potentials.update(year=2025)
    world.plan.objectives.update(due_date=datetime.date(2025, 6, 30))
    response = lead_client.post(_edit_url(world), _plan_data(world, strategy="Still editable"))
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.strategy == "Still editable"
