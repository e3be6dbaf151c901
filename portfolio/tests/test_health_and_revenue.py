"""Issue 13 in the portfolio: revenue of one year against the same year's target
(point 1), expired and empty plans (point 4), each account's health breakdown
(point 5) and countries nobody has (point 9)."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse

from accounts.models import KeyAccount, PlanRevenueTarget, RevenueActual
from portfolio.selectors import portfolio_queryset
from raci.models import RaciAssignment, RaciTask
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    PlanFactory,
    TeamMemberFactory,
    role,
)
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import TeamMeeting, Touchpoint

TODAY = datetime.date(2026, 12, 1)
PORTFOLIO = "portfolio:portfolio"


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _row(account: KeyAccount) -> KeyAccount:
    return portfolio_queryset(today=TODAY).get(pk=account.pk)


def _health_url(account: KeyAccount) -> str:
    return reverse("accounts:health", args=[account.slug])


# Point 1: revenue ----------------------------------------------------------------


@pytest.fixture
def fjord(world: World) -> KeyAccount:
    """The issue's Fjord: an agreed plan 2023-2025 with targets, actuals up to 2026."""
    account = KeyAccountFactory(name="Fjord Energy ASA", slug="fjord", hq_country="NO")
    TeamMemberFactory(account=account, role=role("gkam"))
    plan = PlanFactory(account=account, start_year=2023, end_year=2025, status="agreed")
    for year in (2023, 2024, 2025):
        PlanRevenueTarget.objects.create(plan=plan, year=year, amount=1_800_000)
    account.revenue_actuals.filter(year=2026).update(amount=900_000)
    RevenueActual.objects.create(account=account, year=2025, amount=1_250_000)
    return account


def _revenue_cell(text: str, name: str) -> str:
    row = text.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="text-end text-nowrap">(.*?)</td>', row, re.S)[0]


def test_portfolio_compares_the_chosen_years_actual_with_that_years_target(
    world: World, fjord: KeyAccount
) -> None:
    PlanRevenueTarget.objects.create(plan=world.plan, year=2026, amount=1_250_000)
    client = world.client_for("manager")
    text = client.get(reverse(PORTFOLIO)).text
    assert "Revenue 2026" in text
    nordwind = _revenue_cell(text, "Nordwind AG")
    assert "€1,000,000" in nordwind and "target €1,250,000" in nordwind and "80%" in nordwind
    assert "no target" in _revenue_cell(text, "Fjord Energy ASA")  # its plan ended with 2025
    text = client.get(f"{reverse(PORTFOLIO)}?year=2025").text
    assert "Revenue 2025" in text
    fjord_2025 = _revenue_cell(text, "Fjord Energy ASA")
    assert "€1,250,000" in fjord_2025 and "target €1,800,000" in fjord_2025
    assert "69%" in fjord_2025
    assert '<option value="2025" selected>' in text


def _names(response) -> list[str]:
    return re.findall(r'<a class="fw-semibold" href="[^"]+">([^<]+)</a>', response.text)


def test_sorting_by_revenue_follows_the_chosen_year(world: World, fjord: KeyAccount) -> None:
    client = world.client_for("manager")
    # 2025: only Fjord booked anything; 2026: Nordwind 1,000,000 against Fjord's 900,000.
    assert (
        _names(client.get(f"{reverse(PORTFOLIO)}?sort=-revenue&year=2025"))[0] == "Fjord Energy ASA"
    )
    assert _names(client.get(f"{reverse(PORTFOLIO)}?sort=-revenue"))[0] == "Nordwind AG"


def test_exports_name_the_year_and_compare_it(world: World, fjord: KeyAccount) -> None:
    client = world.client_for("manager")
    response = client.get(reverse("portfolio:export_csv") + "?year=2025")
    lines = response.content.decode().removeprefix("\ufeff").splitlines()
    assert "Revenue 2025, actual (EUR)" in lines[0]
    fjord_line = next(line for line in lines if line.startswith("Fjord"))
    assert "1250000" in fjord_line and "1800000" in fjord_line and ",69," in fjord_line
    assert ",2023–2025,expired," in fjord_line  # not "agreed"


def test_an_out_of_range_year_is_ignored_with_a_message(world: World) -> None:
    text = world.client_for("manager").get(f"{reverse(PORTFOLIO)}?year=1800").text
    assert "were ignored: year." in text
    assert "Revenue 2026" in text


# Point 4: expired and empty plans ----------------------------------------------------


def test_expired_plan_shows_expired_in_the_portfolio_and_scores_as_none(
    world: World, fjord: KeyAccount
) -> None:
    row = _row(fjord)
    assert row.plan_points == 0 and row.plan_id is not None
    text = world.client_for("manager").get(reverse(PORTFOLIO)).text
    cell = text.split(">Fjord Energy ASA</a>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge text-bg-danger">expired</span>' in cell
    assert "agreed" not in cell


def test_agreed_plan_without_strategy_or_objectives_scores_as_a_draft(world: World) -> None:
    plan = world.plan
    plan.status, plan.strategy = "agreed", ""
    plan.save()
    assert _row(world.account).plan_points == 25  # it has an objective
    plan.objectives.all().delete()
    assert _row(world.account).plan_points == 12
    plan.strategy = "Grow together."
    plan.save()
    assert _row(world.account).plan_points == 25
    plan.strategy = ""
    plan.save()
    ObjectiveFactory(plan=plan)
    assert _row(world.account).plan_points == 25


def test_an_objective_of_another_plan_does_not_count(world: World) -> None:
    plan = world.plan
    plan.status, plan.strategy = "agreed", ""
    plan.save()
    plan.objectives.all().delete()
    older = PlanFactory(account=world.account, start_year=2023, end_year=2025)
    ObjectiveFactory(plan=older)
    assert _row(world.account).plan_points == 12


# Point 5: the breakdown per account --------------------------------------------------


def test_the_portfolio_badge_opens_the_accounts_breakdown(world: World) -> None:
    text = world.client_for("manager").get(reverse(PORTFOLIO)).text
    assert f'href="{_health_url(world.account)}"' in text
    assert 'href="#health-h"' not in text


def test_breakdown_names_each_part_its_loss_and_what_to_do(world: World) -> None:
    # The world: a draft plan (12), a task without letters (0), a Q4 touchpoint (25),
    # a video meeting (0).
    response = world.client_for("manager").get(_health_url(world.account))
    assert response.status_code == 200
    parts = {p.name: p for p in response.context["parts"]}
    assert [p.points for p in parts.values()] == [12, 0, 25, 0]
    assert [p.lost for p in parts.values()] == [13, 25, 0, 25]
    assert parts["Plan"].finding == "The plan 2026–2028 is still a draft."
    assert "Agree it with the core team" in parts["Plan"].advice
    assert parts["Responsibilities"].link == reverse("raci:matrix", args=[world.account.slug])
    assert parts["Execution"].advice == ""
    assert parts["Team"].link == reverse("touchpoints:rhythm", args=[world.account.slug])
    text = response.text
    assert "37" in text and "at risk" in text
    assert text.count("Nothing to do.") == 1


def test_breakdown_of_an_expired_plan_says_so(world: World, fjord: KeyAccount) -> None:
    response = world.client_for("manager").get(_health_url(fjord))
    plan = response.context["parts"][0]
    assert plan.points == 0
    assert plan.finding == "The plan 2023–2025 expired at the end of 2025; it counts as no plan."
    assert plan.link == reverse("accounts:plan_create", args=[fjord.slug])


def test_breakdown_of_a_healthy_account_has_nothing_to_do(world: World) -> None:
    account = KeyAccountFactory(name="Healthy AG")
    TeamMemberFactory(account=account, user=world.member, role=role("gkam"))
    TeamMemberFactory(account=account, role=role("management"))
    PlanFactory(account=account, start_year=2026, end_year=2026, status="agreed")
    task = RaciTask.objects.create(account=account, name="Offers")
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=task, role=role("management"), letter="R")
    contact = ContactFactory(account=account)
    Touchpoint.objects.create(
        account=account,
        contact=contact,
        owner=account.team_members.first(),
        year=2026,
        quarter=4,
        title="Call",
    )
    TeamMeeting.objects.create(
        account=account, year=2026, quarter=2, purpose="Day", format="in_person", status="held"
    )
    response = world.client_for("member").get(_health_url(account))
    assert [p.lost for p in response.context["parts"]] == [0, 0, 0, 0]
    assert response.text.count("Nothing to do.") == 4


@pytest.mark.parametrize(("who", "status"), [("member", 200), ("lead", 200), ("outsider", 404)])
def test_the_breakdown_is_for_the_team_and_managers(world: World, who: str, status: int) -> None:
    assert world.client_for(who).get(_health_url(world.account)).status_code == status


def test_the_breakdown_takes_no_post(world: World) -> None:
    assert world.client_for("lead").post(_health_url(world.account)).status_code == 405


def test_the_breakdown_costs_the_same_for_any_amount_of_rows(world: World) -> None:
    client = world.client_for("member")
    small = page_queries(client, _health_url(world.account))
    for i in range(25):
        RaciTask.objects.create(account=world.account, name=f"Task {i}")
        Touchpoint.objects.create(
            account=world.account,
            contact=world.contact,
            owner=world.lead_membership,
            year=2026,
            quarter=1,
            title=f"TP {i}",
        )
    assert page_queries(client, _health_url(world.account)) == small


# Point 9: a country nobody has --------------------------------------------------------


@pytest.mark.parametrize("country", ["XX", "JP"])
def test_a_country_nobody_has_is_named_and_ignored(world: World, country: str) -> None:
    for name in (PORTFOLIO, "portfolio:matrix"):
        text = world.client_for("manager").get(f"{reverse(name)}?country={country}").text
        assert f"were ignored: country={country}." in text
        assert "Nordwind AG" in text
    csv = world.client_for("manager").get(f"{reverse('portfolio:export_csv')}?country=XX")
    assert "Nordwind AG" in csv.content.decode()


def test_a_known_country_still_filters(world: World) -> None:
    KeyAccountFactory(name="Oslo AS", hq_country="NO")
    text = world.client_for("manager").get(f"{reverse(PORTFOLIO)}?country=NO").text
    assert "Oslo AS" in text and "Nordwind AG" not in text
    assert "were not understood" not in text


def test_revenue_sort_of_accounts_without_actuals(world: World) -> None:
    bare = KeyAccountFactory(name="Zero AG", revenue=None)
    assert not bare.revenue_actuals.exists()
    text = world.client_for("manager").get(f"{reverse(PORTFOLIO)}?sort=revenue").text
    assert re.findall(r'<a class="fw-semibold" href="[^"]+">([^<]+)</a>', text) == [
        "Zero AG",
        "Nordwind AG",
    ]
