"""Issue 13, point 1: revenue actuals per year next to the plan's targets per year.

A year's actual is compared only with the same year's target, on every page,
and every page says which year it shows. Leads record the actuals.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import PlanRevenueTarget, RevenueActual
from accounts.revenue import attainment, revenue_years
from tests.factories import KeyAccountFactory, PlanFactory, TeamMemberFactory
from tests.fixtures import World
from tests.queries import page_queries
from tests.snapshot import database_snapshot

YEAR = timezone.localdate().year


def _url(world: World, name: str, **kwargs: object) -> str:
    return reverse(f"accounts:{name}", kwargs={"slug": world.account.slug, **kwargs})


def _set_up_years(world: World) -> None:
    """The issue's case: the plan's target for this year was edited to 4,700,000."""
    world.account.revenue_actuals.update_or_create(year=YEAR, defaults={"amount": 4_230_000})
    RevenueActual.objects.create(account=world.account, year=YEAR - 1, amount=4_200_000)
    plan = world.plan
    plan.start_year, plan.end_year = YEAR, YEAR + 2
    plan.save()
    PlanRevenueTarget.objects.create(plan=plan, year=YEAR, amount=4_700_000)
    PlanRevenueTarget.objects.create(plan=plan, year=YEAR + 1, amount=5_000_000)
    # Last year's target lives in the plan that covered last year.
    old = PlanFactory(account=world.account, start_year=YEAR - 3, end_year=YEAR - 1)
    PlanRevenueTarget.objects.create(plan=old, year=YEAR - 1, amount=4_000_000)


# The model ------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "amount"), [(YEAR, 5), (1999, 5), (2101, 5), (YEAR - 2, -1)])
def test_the_database_refuses_a_second_actual_a_bad_year_or_a_negative_amount(
    world: World, year: int, amount: int
) -> None:
    # The world's account has the factory's actual of this year already.
    with pytest.raises(IntegrityError), transaction.atomic():
        RevenueActual.objects.create(account=world.account, year=year, amount=amount)


def test_each_year_is_compared_with_its_own_target_only(world: World) -> None:
    _set_up_years(world)
    years = {y.year: y for y in revenue_years(world.account, [YEAR - 2, YEAR - 1, YEAR, YEAR + 1])}
    assert (years[YEAR].actual_amount, years[YEAR].target) == (4_230_000, 4_700_000)
    assert years[YEAR].attainment == Decimal(4_230_000) * 100 / 4_700_000
    assert (years[YEAR - 1].actual_amount, years[YEAR - 1].target) == (4_200_000, 4_000_000)
    assert years[YEAR + 1].actual is None and years[YEAR + 1].is_future
    assert (years[YEAR - 2].actual, years[YEAR - 2].target) == (None, None)
    assert years[YEAR].is_current and not years[YEAR - 1].is_current


def test_a_target_outside_its_plans_period_is_no_target(world: World) -> None:
    """plan_save drops such rows; one left by hand in the admin must not count."""
    PlanRevenueTarget.objects.create(plan=world.plan, year=world.plan.end_year + 1, amount=9)
    (year,) = revenue_years(world.account, [world.plan.end_year + 1])
    assert year.target is None


@pytest.mark.parametrize(
    ("actual", "target", "share"),
    [(None, 100, None), (50, None, None), (50, 0, None), (50, 200, Decimal(25))],
)
def test_attainment_needs_both_numbers(actual, target, share) -> None:
    assert attainment(actual, target) == share


# The pages compare the same year ----------------------------------------------------


def test_account_list_compares_this_years_actual_with_this_years_plan_target(
    world: World,
) -> None:
    _set_up_years(world)
    text = world.client_for("member").get(reverse("accounts:list")).text
    assert f"Revenue {YEAR}" in text and f"Target {YEAR}" in text
    assert "€4,230,000" in text
    assert "€4,700,000" in text  # the plan's target for the year, as on the overview
    assert "90%" in text  # 4,230,000 of 4,700,000
    assert "€5,000,000" not in text  # next year's target is not this year's


def test_overview_shows_last_year_and_this_year_each_with_its_own_target(
    world: World,
) -> None:
    _set_up_years(world)
    text = world.client_for("member").get(_url(world, "detail")).text
    assert f"Revenue {YEAR - 1}" in text and f"Revenue {YEAR} (so far)" in text
    assert "€4,200,000" in text and "target €4,000,000" in text and "105% attained" in text
    assert "€4,230,000" in text and "target €4,700,000" in text and "90% attained" in text


def test_plan_page_puts_each_years_actual_next_to_its_target(world: World) -> None:
    _set_up_years(world)
    text = world.client_for("member").get(world.plan.get_absolute_url()).text
    table = text.split('id="revenue-h"', 1)[1].split("</table>", 1)[0]
    assert f"{YEAR - 1} (before the plan)" in table
    assert f"{YEAR} (so far)" in table
    assert table.index("€4,700,000") < table.index("€4,230,000") < table.index("90%")
    assert "Last year (actual)" not in text


def test_print_shows_the_same_comparison(world: World) -> None:
    _set_up_years(world)
    text = world.client_for("member").get(_url(world, "plan_print")).text
    assert "Revenue per year" in text
    assert "€4,700,000" in text and "€4,230,000" in text and "90%" in text


def test_german_pages_write_the_amount_the_german_way(world: World) -> None:
    _set_up_years(world)
    client = world.client_for("member")
    client.cookies["django_language"] = "de"
    text = client.get(_url(world, "revenue")).text
    assert "4.230.000\u00a0€" in text and "90\u00a0%" in text


# Leads record the actuals ------------------------------------------------------------


def test_lead_records_corrects_and_deletes_an_actual_with_history(world: World) -> None:
    client = world.client_for("lead")
    page = client.get(_url(world, "revenue_create") + f"?year={YEAR - 1}")
    assert page.status_code == 200
    assert page.context["form"]["year"].value() == YEAR - 1
    assert "Actual revenue (EUR)" in page.text
    response = client.post(_url(world, "revenue_create"), {"year": YEAR - 1, "amount": "4200000"})
    assert response.status_code == 302
    actual = world.account.revenue_actuals.get(year=YEAR - 1)
    assert actual.amount == 4_200_000
    edit = _url(world, "revenue_edit", pk=actual.pk)
    response = client.post(edit, {"year": YEAR - 1, "amount": "4250000", "version": 1})
    assert response.status_code == 302
    actual.refresh_from_db()
    assert actual.amount == 4_250_000
    # A second save from the same loaded version loses to the first.
    response = client.post(edit, {"year": YEAR - 1, "amount": "1", "version": 1})
    assert response.status_code == 409
    response = client.post(_url(world, "revenue_delete", pk=actual.pk))
    assert response.status_code == 302
    assert not world.account.revenue_actuals.filter(year=YEAR - 1).exists()
    history = RevenueActual.history.filter(id=actual.pk).order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert {h.history_user for h in history} == {world.lead}


def test_a_year_recorded_twice_gets_a_message_at_the_year(world: World) -> None:
    before = database_snapshot()
    response = world.client_for("lead").post(
        _url(world, "revenue_create"), {"year": YEAR, "amount": "5"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        f"The revenue of {YEAR} is recorded already: edit that entry instead."
    ]
    assert database_snapshot() == before


def test_a_year_that_has_not_begun_is_refused(world: World) -> None:
    before = database_snapshot()
    response = world.client_for("lead").post(
        _url(world, "revenue_create"), {"year": YEAR + 1, "amount": "5"}
    )
    assert response.status_code == 400
    assert "has not begun yet" in response.context["form"].errors["year"][0]
    assert database_snapshot() == before


def test_an_out_of_range_year_in_the_address_is_named(world: World) -> None:
    response = world.client_for("lead").get(_url(world, "revenue_create") + "?year=1800")
    assert response.status_code == 200
    assert "were ignored: year." in response.text


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("manager", 403), ("outsider", 404)])
def test_only_leads_write_actuals(world: World, who: str, status: int) -> None:
    actual = world.account.revenue_actuals.get()
    client = world.client_for(who)
    before = database_snapshot()
    for url, data in (
        (_url(world, "revenue_create"), {"year": YEAR - 1, "amount": "1"}),
        (_url(world, "revenue_edit", pk=actual.pk), {"year": YEAR, "amount": "1", "version": 1}),
        (_url(world, "revenue_delete", pk=actual.pk), {}),
    ):
        assert client.get(url).status_code == status
        assert client.post(url, data).status_code == status
    assert database_snapshot() == before


@pytest.mark.parametrize(("who", "status"), [("member", 200), ("manager", 200), ("outsider", 404)])
def test_the_revenue_page_is_the_teams(world: World, who: str, status: int) -> None:
    response = world.client_for(who).get(_url(world, "revenue"))
    assert response.status_code == status
    if status == 200:
        assert "Record revenue" not in response.text  # read-only


def test_another_accounts_actual_is_not_found(world: World) -> None:
    other = KeyAccountFactory()
    actual = other.revenue_actuals.get()
    client = world.client_for("lead")
    assert client.get(_url(world, "revenue_edit", pk=actual.pk)).status_code == 404
    assert client.post(_url(world, "revenue_delete", pk=actual.pk)).status_code == 404
    assert other.revenue_actuals.exists()


def _years(world: World, first: int, last: int) -> None:
    """An actual and a one-year plan with its target for each year first..last."""
    for year in range(first, last + 1):
        RevenueActual.objects.create(account=world.account, year=year, amount=1000)
        plan = PlanFactory(account=world.account, start_year=year, end_year=year)
        PlanRevenueTarget.objects.create(plan=plan, year=year, amount=2000)


def test_revenue_page_queries_do_not_grow_with_the_years(world: World) -> None:
    world.plan.delete()  # its period would overlap the plans added below
    client = world.client_for("member")
    _years(world, YEAR - 1, YEAR - 1)
    small = page_queries(client, _url(world, "revenue"))
    _years(world, YEAR - 25, YEAR - 2)
    # 8 with the unread count of the top bar's bell (notifications.context_processors)
    assert page_queries(client, _url(world, "revenue")) == small == 8


def test_money_follows_the_installations_currency(world: World, settings) -> None:
    settings.KAMTEAM_CURRENCY = "USD"
    client = world.client_for("lead")
    text = client.get(reverse("accounts:list")).text
    assert "$1,000,000" in text
    assert "Actual revenue (USD)" in client.get(_url(world, "revenue_create")).text
    client.cookies["django_language"] = "de"
    assert "1.000.000\u00a0$" in client.get(reverse("accounts:list")).text
    settings.KAMTEAM_CURRENCY = "SEK"
    assert "1.000.000\u00a0SEK" in client.get(reverse("accounts:list")).text


def test_a_lead_of_another_account_sees_nothing_of_this_one(world: World) -> None:
    other_lead = TeamMemberFactory(account=KeyAccountFactory()).user
    client = Client()
    client.force_login(other_lead)
    assert client.get(_url(world, "revenue")).status_code == 404


def test_this_year_follows_the_clock(world: World) -> None:
    """The default year of the lists is this year, whatever year that is."""
    RevenueActual.objects.create(account=world.account, year=2031, amount=7_777_000)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2031, 3, 1)):
        text = world.client_for("member").get(reverse("accounts:list")).text
    assert "Revenue 2031" in text and "€7,777,000" in text
