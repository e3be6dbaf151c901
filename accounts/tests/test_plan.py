"""The key account plan: editing, revenue targets, rows, and the version check."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from accounts.models import KeyAccountPlan
from tests.factories import PlanFactory
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _plan_data(world: World, **overrides: object) -> dict[str, object]:
    plan = world.plan
    data: dict[str, object] = {
        "version": plan.version,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "status": "draft",
        "account_profile": "Profile",
        "swot_strengths": "S",
        "swot_weaknesses": "W",
        "swot_opportunities": "O",
        "swot_threats": "T",
        "strategy": "From supplier to partner.",
        "workshop_date": "",
        "revenue_2026": "1100000",
        "revenue_2027": "1200000",
        "revenue_2028": "",
    }
    data.update(overrides)
    return data


def _edit_url(world: World) -> str:
    return reverse("accounts:plan_edit", args=[world.account.slug, world.plan.pk])


def test_lead_saves_plan_with_revenue_targets_and_workshop(world: World, lead_client) -> None:
    data = _plan_data(
        world,
        status="agreed",
        workshop_date="2025-09-16",
        workshop_participants=[world.lead_membership.pk, world.membership.pk],
    )
    response = lead_client.post(_edit_url(world), data)
    assert response.status_code == 302
    plan = KeyAccountPlan.objects.get(pk=world.plan.pk)
    assert plan.strategy == "From supplier to partner."
    assert plan.version == 2 and plan.updated_by == world.lead
    assert {t.year: t.amount for t in plan.revenue_targets.all()} == {
        2026: Decimal("1100000"),
        2027: Decimal("1200000"),
    }
    assert set(plan.workshop_participants.all()) == {world.lead_membership, world.membership}
    page = lead_client.get(plan.get_absolute_url())
    assert "From supplier to partner." in page.content.decode()


def test_second_save_from_an_old_version_gets_a_conflict_and_loses_nothing(
    world: World, lead_client
) -> None:
    first = lead_client.post(_edit_url(world), _plan_data(world, strategy="First editor"))
    assert first.status_code == 302
    stale = _plan_data(world, strategy="Second editor", version=1)
    response = lead_client.post(_edit_url(world), stale)
    assert response.status_code == 409
    assert "Someone else saved this" in response.content.decode()
    # The second editor's input is still in the form, the first one's save stands.
    assert "Second editor" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.strategy == "First editor"


def test_agreed_plan_needs_its_workshop_date(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(_edit_url(world), _plan_data(world, status="agreed"))
    assert response.status_code == 400
    assert "workshop" in response.context["form"].errors["workshop_date"][0]
    assert database_snapshot() == before


def test_bad_period_and_negative_revenue_are_rejected(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(
        _edit_url(world), _plan_data(world, end_year=2020, revenue_2026="-1")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "end_year" in errors and "revenue_2026" in errors
    assert database_snapshot() == before


def test_workshop_participants_must_be_on_this_team(world: World, lead_client) -> None:
    from tests.factories import TeamMemberFactory

    stranger = TeamMemberFactory()  # on another account
    response = lead_client.post(
        _edit_url(world), _plan_data(world, workshop_participants=[stranger.pk])
    )
    assert response.status_code == 400
    assert "workshop_participants" in response.context["form"].errors


def test_new_plan_defaults_to_three_years_after_the_last(world: World, lead_client) -> None:
    page = lead_client.get(reverse("accounts:plan_create", args=[world.account.slug]))
    form = page.context["form"]
    assert (form.initial["start_year"], form.initial["end_year"]) == (2029, 2031)
    response = lead_client.post(
        reverse("accounts:plan_create", args=[world.account.slug]),
        {"start_year": 2029, "end_year": 2031},
    )
    assert response.status_code == 302
    assert world.account.plans.count() == 2


def test_overlapping_plan_is_rejected(world: World, lead_client) -> None:
    response = lead_client.post(
        reverse("accounts:plan_create", args=[world.account.slug]),
        {"start_year": 2027, "end_year": 2029},
    )
    assert response.status_code == 400
    assert "overlaps" in str(response.context["form"].errors)
    assert world.account.plans.count() == 1


def test_plan_tab_without_plan_shows_empty_state(world: World) -> None:
    world.plan.delete()
    page = world.client_for("member").get(reverse("accounts:plan", args=[world.account.slug]))
    assert page.status_code == 200
    assert "no key account plan yet" in page.content.decode()


def test_plan_tab_shows_the_plan_covering_this_year(world: World) -> None:
    PlanFactory(account=world.account, start_year=2031, end_year=2033)
    page = world.client_for("member").get(reverse("accounts:plan", args=[world.account.slug]))
    assert page.context["plan"] == world.plan


def test_potential_year_must_lie_in_the_plan(world: World, lead_client) -> None:
    url = reverse("accounts:potential_create", args=[world.account.slug, world.plan.pk])
    before = world.plan.potentials.count()
    response = lead_client.post(url, {"description": "Retrofit", "year": 2035})
    assert response.status_code == 400
    assert "year" in response.context["form"].errors
    response = lead_client.post(
        url, {"description": "Retrofit", "year": 2027, "estimated_value": "5000"}
    )
    assert response.status_code == 302
    assert world.plan.potentials.count() == before + 1


def test_objective_edit_conflict_is_detected(world: World, lead_client) -> None:
    objective = world.plan.objectives.get()
    url = reverse("accounts:objective_edit", args=[world.account.slug, world.plan.pk, objective.pk])
    data = {"text": "A", "kind": "business", "status": "open", "version": 1}
    assert lead_client.post(url, data).status_code == 302
    response = lead_client.post(url, {**data, "text": "B"})
    assert response.status_code == 409
    objective.refresh_from_db()
    assert objective.text == "A"


def test_deleting_an_objective_asks_first_and_history_keeps_it(world: World, lead_client) -> None:
    objective = world.plan.objectives.get()
    url = reverse(
        "accounts:objective_delete", args=[world.account.slug, world.plan.pk, objective.pk]
    )
    assert lead_client.get(url).status_code == 200
    assert world.plan.objectives.exists()
    assert lead_client.post(url).status_code == 302
    assert not world.plan.objectives.exists()
    assert objective.history.filter(history_type="-").exists()


def test_rows_of_another_accounts_plan_are_404(world: World, lead_client) -> None:
    other_plan = PlanFactory(start_year=2026, end_year=2028)
    from tests.factories import ObjectiveFactory

    objective = ObjectiveFactory(plan=other_plan)
    url = reverse("accounts:objective_edit", args=[world.account.slug, world.plan.pk, objective.pk])
    assert lead_client.get(url).status_code == 404
    url = reverse("accounts:plan_detail", args=[world.account.slug, other_plan.pk])
    assert lead_client.get(url).status_code == 404


def test_moving_the_period_past_targets_and_potentials_is_refused(
    world: World, lead_client
) -> None:
    """2026-2028 to 2027-2029 would drop the 2026 target and potential: say so, save nothing."""
    before = database_snapshot()
    response = lead_client.post(_edit_url(world), _plan_data(world, start_year=2027, end_year=2029))
    assert response.status_code == 400
    message = response.context["form"].errors["start_year"][0]
    assert "2026" in message and "revenue target" in message and "potentials" in message
    assert database_snapshot() == before


def test_period_moves_once_the_rows_outside_are_cleared(world: World, lead_client) -> None:
    world.plan.potentials.update(year=2027)
    response = lead_client.post(
        _edit_url(world), _plan_data(world, start_year=2027, end_year=2029, revenue_2026="")
    )
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.years == [2027, 2028, 2029]
    assert set(world.plan.revenue_targets.values_list("year", flat=True)) == {2027}


def test_potential_outside_the_period_keeps_its_year_when_edited(world: World, lead_client) -> None:
    potential = world.plan.potentials.get()
    potential.year = 2025  # e.g. from before the period was moved
    potential.save()
    url = reverse("accounts:potential_edit", args=[world.account.slug, world.plan.pk, potential.pk])
    form = lead_client.get(url).context["form"]
    assert form.initial["year"] == 2025
    assert (2025, 2025) in form.fields["year"].choices


def test_save_without_its_version_is_refused_not_unchecked(world: World, lead_client) -> None:
    data = _plan_data(world, strategy="No version sent")
    del data["version"]
    before = database_snapshot()
    response = lead_client.post(_edit_url(world), data)
    assert response.status_code == 400
    assert "Reload the page" in response.content.decode()
    assert database_snapshot() == before
