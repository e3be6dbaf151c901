"""National plans under a global plan: the rules, the forms and the roll-up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import NationalObjective, NationalTarget, PlanRevenueTarget
from accounts.national import nkam_countries
from accounts.tests.national_setup import (
    add_nkam,
    make_national,
    national_url,
    plan_form,
    set_targets,
)
from tests.factories import ObjectiveFactory, TeamMemberFactory, role
from tests.fixtures import World

# The rules in the database ----------------------------------------------------


def test_one_national_plan_per_country_and_plan(world: World) -> None:
    make_national(world, "DE")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_national(world, "DE")


def test_an_exception_without_reason_is_refused_by_the_database(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_national(world, "CN", follows_framework=False, exception_reason="")


def test_a_national_plan_keeps_its_plans_account(world: World) -> None:
    assert make_national(world, "DE").account_id == world.account.pk


def test_national_targets_are_unique_per_year_and_not_negative(world: World) -> None:
    national = make_national(world, "DE")
    NationalTarget.objects.create(national_plan=national, year=2026, amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        NationalTarget.objects.create(national_plan=national, year=2026, amount=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        NationalTarget.objects.create(national_plan=national, year=2027, amount=-1)


# Forms: bad input refused at the field ------------------------------------------


def test_an_exception_needs_a_reason_in_the_form(world: World) -> None:
    add_nkam(world, "nkam-cn", "CN")
    national = make_national(world, "CN")
    response = world.client_for("lead").post(
        national_url(world, "national_plan_edit", "CN"),
        plan_form(follows_framework=None, exception_reason="  ", version=national.version),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["exception_reason"]
    assert "framework contract" in errors["exception_reason"][0]
    national.refresh_from_db()
    assert national.follows_framework


def test_a_negative_or_huge_target_is_refused_at_its_field(world: World) -> None:
    national = make_national(world, "DE")
    for value in ("-5", "9" * 20):
        response = world.client_for("lead").post(
            national_url(world, "national_plan_edit", "DE"),
            plan_form(target_2026=value, version=national.version),
        )
        assert response.status_code == 400
        assert "target_2026" in response.context["form"].errors
    assert not national.targets.exists()


def test_following_the_framework_again_clears_the_reason(world: World) -> None:
    national = make_national(world, "CN", follows_framework=False, exception_reason="Local prices")
    response = world.client_for("lead").post(
        national_url(world, "national_plan_edit", "CN"), plan_form(version=national.version)
    )
    assert response.status_code == 302
    national.refresh_from_db()
    assert national.follows_framework and national.exception_reason == ""


def test_a_due_date_outside_the_period_is_refused(world: World) -> None:
    make_national(world, "DE")
    response = world.client_for("lead").post(
        national_url(world, "national_objective_create", "DE"),
        {"text": "Win", "kind": "business", "status": "open", "due_date": "2031-01-01"},
    )
    assert response.status_code == 400
    assert "due_date" in response.context["form"].errors


def test_an_objective_serves_only_an_objective_of_its_own_plan(world: World) -> None:
    from tests.factories import PlanFactory

    other_plan = PlanFactory(start_year=2026, end_year=2028)
    foreign = ObjectiveFactory(plan=other_plan)
    make_national(world, "DE")
    response = world.client_for("lead").post(
        national_url(world, "national_objective_create", "DE"),
        {"text": "Win", "kind": "business", "status": "open", "serves": foreign.pk},
    )
    assert response.status_code == 400
    assert "serves" in response.context["form"].errors
    assert not NationalObjective.objects.exists()


# The roll-up on the global plan ----------------------------------------------------


def test_the_rollup_adds_national_targets_against_the_global_target(world: World) -> None:
    for year, amount in ((2026, 4600000), (2027, 5000000)):
        PlanRevenueTarget.objects.create(plan=world.plan, year=year, amount=amount)
    add_nkam(world, "nkam-de", "DE")
    add_nkam(world, "nkam-cn", "CN")
    add_nkam(world, "nkam-fr", "FR")
    set_targets(make_national(world, "DE"), {2026: 3200000, 2027: 3400000, 2028: 3700000})
    set_targets(
        make_national(world, "CN", follows_framework=False, exception_reason="Own offer in Suzhou"),
        {2026: 1100000},
    )
    response = world.client_for("member").get(reverse("accounts:plan", args=[world.account.slug]))
    years = {
        y.year: y for y in response.context["plan_sections"]["after_revenue"][0].context["years"]
    }
    assert (years[2026].national, years[2026].difference, years[2026].countries) == (
        Decimal(4300000),
        Decimal(-300000),
        2,
    )
    assert (years[2027].national, years[2027].difference) == (Decimal(3400000), Decimal(-1600000))
    assert (years[2028].target, years[2028].national, years[2028].difference) == (
        None,
        Decimal(3700000),
        None,
    )
    html = response.content.decode()
    assert "No national plan yet:" in html and "France" in html
    assert "Own offer in Suzhou" in html  # the exception and its reason
    assert "below the global target" in html


def test_national_objectives_are_listed_under_the_global_objective_they_serve(world: World) -> None:
    global_objective = world.plan.objectives.get()
    germany = make_national(world, "DE")
    NationalObjective.objects.create(
        national_plan=germany, text="Leipzig retrofit", serves=global_objective
    )
    NationalObjective.objects.create(national_plan=germany, text="Local fair")
    response = world.client_for("manager").get(reverse("accounts:plan", args=[world.account.slug]))
    groups = response.context["plan_sections"]["after_revenue"][0].context["objective_groups"]
    assert [(g.objective, [o.text for _n, o in g.national]) for g in groups] == [
        (global_objective, ["Leipzig retrofit"]),
        (None, ["Local fair"]),
    ]


def test_a_plan_without_nkams_or_national_plans_shows_no_rollup(world: World) -> None:
    response = world.client_for("lead").get(reverse("accounts:plan", args=[world.account.slug]))
    assert response.context["plan_sections"]["after_revenue"] == [] or all(
        s.key != "accounts.national_rollup"
        for s in response.context["plan_sections"]["after_revenue"]
    )


def test_nkam_countries_count_active_national_leads_only(world: World) -> None:
    add_nkam(world, "nkam-de", "DE")
    gone = add_nkam(world, "nkam-cn", "CN")
    gone.archived_at = timezone.now()
    gone.save()
    TeamMemberFactory(account=world.account, role=role("inside-sales"), country="FR")
    assert nkam_countries(world.plan) == ["DE"]


def test_the_global_plan_cannot_drop_years_the_national_plans_use(world: World) -> None:
    set_targets(make_national(world, "DE"), {2028: 100})
    plan = world.plan
    response = world.client_for("lead").post(
        reverse("accounts:plan_edit", args=[world.account.slug, plan.pk]),
        {"start_year": 2026, "end_year": 2027, "status": "draft", "version": plan.version},
    )
    assert response.status_code == 400
    assert "national plans" in str(response.context["form"].errors["end_year"])
