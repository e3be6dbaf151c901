"""Issue 13, point 4: a plan whose period is over is shown as expired everywhere,
an agreed plan without content is said to be so, and the leads are warned 90
days before their plan runs out."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from accounts.models import KeyAccountPlan
from tests.factories import PlanFactory
from tests.fixtures import World

# The walk: Fjord's plan 2023-2025 still shown "agreed" in December 2026.
DECEMBER = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=DECEMBER):
        yield


def _expire(world: World) -> KeyAccountPlan:
    plan = world.plan
    plan.start_year, plan.end_year, plan.status = 2023, 2025, KeyAccountPlan.Status.AGREED
    plan.workshop_date = datetime.date(2022, 9, 1)
    plan.save()
    return plan


def test_the_model_knows_when_a_plan_is_over(world: World) -> None:
    plan = _expire(world)
    assert plan.is_expired and plan.is_expired_on(DECEMBER)
    assert not plan.is_expired_on(datetime.date(2025, 12, 31))
    assert not plan.runs_out_within(DECEMBER)


@pytest.mark.parametrize("who", ["member", "lead", "manager"])
def test_overview_and_plan_page_say_expired_not_agreed(world: World, who: str) -> None:
    _expire(world)
    client = world.client_for(who)
    overview = client.get(reverse("accounts:detail", args=[world.account.slug])).text
    assert '<span class="badge text-bg-danger">expired</span>' in overview
    assert "The plan 2023–2025 expired at the end of 2025." in overview
    assert '<span class="badge text-bg-success">agreed</span>' not in overview
    plan_page = client.get(reverse("accounts:plan", args=[world.account.slug])).text
    assert '<span class="badge text-bg-danger">expired</span>' in plan_page
    assert "it is expired and no longer counts as the account's plan" in plan_page
    assert 'text-bg-success">agreed' not in plan_page


def test_home_says_expired(world: World) -> None:
    _expire(world)
    text = world.client_for("member").get(reverse("home")).text
    assert "Plan 2023–2025" in text
    assert '<span class="badge text-bg-danger">expired</span>' in text
    assert '<span class="badge text-bg-success">agreed</span>' not in text


def test_print_says_expired(world: World) -> None:
    _expire(world)
    text = (
        world.client_for("member")
        .get(reverse("accounts:plan_print", args=[world.account.slug]))
        .text
    )
    assert "Expired: the plan's period ended with 2025." in text


def _ending_this_year(world: World) -> KeyAccountPlan:
    plan = world.plan
    plan.start_year, plan.end_year = 2024, 2026
    plan.save()
    return plan


def test_leads_are_warned_90_days_before_the_plan_runs_out(world: World) -> None:
    _ending_this_year(world)  # 30 days left on 1 December
    lead = world.client_for("lead")
    overview = lead.get(reverse("accounts:detail", args=[world.account.slug])).text
    assert "The plan 2024–2026 runs out in 30 days." in overview
    assert reverse("accounts:plan_create", args=[world.account.slug]) in overview
    home = lead.get(reverse("home")).text
    assert "Runs out in 30 days: time for the next plan." in home
    plan_page = lead.get(reverse("accounts:plan", args=[world.account.slug])).text
    assert "runs out in 30 days" in plan_page


def test_members_are_not_warned(world: World) -> None:
    _ending_this_year(world)
    member = world.client_for("member")
    assert "runs out" not in member.get(reverse("accounts:detail", args=[world.account.slug])).text
    assert "Runs out" not in member.get(reverse("home")).text


@pytest.mark.parametrize(("day", "warned"), [((10, 1), False), ((10, 2), True)])
def test_the_warning_starts_90_days_before_the_end(world: World, day, warned: bool) -> None:
    _ending_this_year(world)
    today = datetime.date(2026, *day)  # 2 October: 90 days to 31 December
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        home = world.client_for("lead").get(reverse("home")).text
    assert ("time for the next plan" in home) is warned


def test_no_warning_once_the_next_plan_exists(world: World) -> None:
    _ending_this_year(world)
    PlanFactory(account=world.account, start_year=2027, end_year=2029)
    lead = world.client_for("lead")
    assert "runs out" not in lead.get(reverse("accounts:detail", args=[world.account.slug])).text
    assert "Runs out" not in lead.get(reverse("home")).text


def test_an_agreed_plan_without_content_is_flagged(world: World) -> None:
    plan = world.plan
    plan.status, plan.strategy = KeyAccountPlan.Status.AGREED, ""
    plan.workshop_date = datetime.date(2026, 1, 15)
    plan.save()
    url = reverse("accounts:detail", args=[world.account.slug])
    flag = "agreed but has neither a strategy nor objectives yet"
    assert flag not in world.client_for("member").get(url).text  # it has an objective
    plan.objectives.all().delete()
    assert flag in world.client_for("member").get(url).text
    assert not plan.has_content
