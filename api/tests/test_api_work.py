"""Plans with targets and actuals, the RACI matrix and touchpoints through the API."""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import count

import pytest

from accounts.models import PlanRevenueTarget, RevenueActual
from raci.models import RaciAssignment, RaciTask
from tests.factories import PlanFactory, TeamMemberFactory, role
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import Touchpoint


def url(w: World, what: str) -> str:
    return f"/api/accounts/{w.account.slug}/{what}/"


def test_plans_carry_their_targets_and_the_actuals_of_their_years(world: World, api_client) -> None:
    PlanRevenueTarget.objects.create(plan=world.plan, year=world.plan.start_year, amount=500)
    RevenueActual.objects.filter(account=world.account).delete()
    RevenueActual.objects.create(account=world.account, year=world.plan.start_year, amount=450)
    outside = world.plan.end_year + 1
    RevenueActual.objects.create(account=world.account, year=outside, amount=1)
    plans = api_client("member").get(url(world, "plans")).json()["items"]
    plan = next(p for p in plans if p["id"] == world.plan.pk)
    assert plan["targets"] == [{"year": world.plan.start_year, "amount": "500.00"}]
    assert plan["actuals"] == [{"year": world.plan.start_year, "amount": "450.00"}]


def test_the_raci_matrix_lists_each_tasks_letters(world: World, api_client) -> None:
    RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=world.raci_task, role=role("inside-sales"), letter="R")
    tasks = api_client("member").get(url(world, "raci")).json()["items"]
    task = next(t for t in tasks if t["id"] == world.raci_task.pk)
    assert {(x["role"], x["letter"]) for x in task["letters"]} == {
        ("gkam", "A"),
        ("inside-sales", "R"),
    }


def test_touchpoints_with_owner_companions_and_a_year(world: World, api_client) -> None:
    world.touchpoint.companions.add(world.membership)
    Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2027,
        quarter=1,
        title="Kick-off",
        owner=world.lead_membership,
    )
    client = api_client("member")
    items = client.get(url(world, "touchpoints"), {"year": 2026}).json()["items"]
    assert [t["title"] for t in items] == ["Christmas gift"]
    assert items[0]["owner"] == world.lead.username
    assert items[0]["companions"] == [world.member.username]
    assert items[0]["contact"] == world.contact.pk
    assert client.get(url(world, "touchpoints"), {"year": 10**12}).status_code == 422


def test_numbers_beyond_what_the_database_holds_are_refused_not_crashed(
    world: World, api_client
) -> None:
    lead = api_client("lead")
    huge = 10**20
    assert lead.get(f"{url(world, 'contacts')}{huge}/").status_code == 422
    body = json.dumps({"last_name": "X", "reports_to": huge})
    answer = lead.post(url(world, "contacts"), body, content_type="application/json")
    assert answer.status_code == 422


ids = count()


def _plan(w: World) -> None:
    start = 2030 + 3 * next(ids)  # plans of one account do not overlap
    plan = PlanFactory(account=w.account, start_year=start, end_year=start + 2)
    PlanRevenueTarget.objects.create(plan=plan, year=start, amount=Decimal(1))
    RevenueActual.objects.create(account=w.account, year=start, amount=Decimal(1))


GROW = {
    "plans": _plan,
    "raci": lambda w: RaciAssignment.objects.create(
        task=RaciTask.objects.create(account=w.account, name=f"Task {next(ids)}"),
        role=role("gkam"),
        letter="A",
    ),
    "touchpoints": lambda w: Touchpoint.objects.create(
        account=w.account,
        contact=w.contact,
        year=2026,
        quarter=2,
        title="More",
        owner=TeamMemberFactory(account=w.account, role=role("engineering")),
    ).companions.add(w.membership),
}


@pytest.mark.parametrize("what", sorted(GROW))
def test_lists_cost_the_same_queries_at_two_sizes(world: World, api_client, what: str) -> None:
    client = api_client("lead")
    GROW[what](world)  # one of each kind of row, so that every prefetch has work
    small = page_queries(client, url(world, what))
    for _ in range(15):
        GROW[what](world)
    assert page_queries(client, url(world, what)) == small
    assert small <= 7
