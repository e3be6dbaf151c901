"""The gap to the target and the pipeline that covers it: plan page and portfolio."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import KeyAccount, PlanRevenueTarget, RevenueActual
from opportunities.selectors import with_coverage, year_gaps
from opportunities.tests.factories import OpportunityFactory
from portfolio.selectors import portfolio_queryset
from tests.factories import KeyAccountFactory, PlanFactory, TeamMemberFactory, role
from tests.fixtures import World
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _account(targets: dict[int, str], actuals: dict[int, str]) -> tuple[KeyAccount, object]:
    account = KeyAccountFactory(revenue=None)
    plan = PlanFactory(account=account, start_year=2026, end_year=2028)
    for year, amount in targets.items():
        PlanRevenueTarget.objects.create(plan=plan, year=year, amount=Decimal(amount))
    for year, amount in actuals.items():
        RevenueActual.objects.create(account=account, year=year, amount=Decimal(amount))
    owner = TeamMemberFactory(account=account, role=role("gkam"))
    return account, owner


def _gaps(account: KeyAccount, targets: dict[int, str | None]) -> dict[int, object]:
    typed = {y: (Decimal(t) if t is not None else None) for y, t in targets.items()}
    return {g.year: g for g in year_gaps(account, typed)}


def test_gap_is_target_minus_that_years_actual() -> None:
    account, owner = _account({2026: "1250000"}, {2026: "1000000"})
    OpportunityFactory(owner=owner, value=Decimal(200000), probability=80)
    gap = _gaps(account, {2026: "1250000"})[2026]
    assert (gap.gap, gap.pipeline, gap.coverage) == (Decimal(250000), Decimal(160000), 64)


def test_year_without_actual_is_measured_from_last_years() -> None:
    account, owner = _account({2027: "1500000"}, {2026: "1000000"})
    OpportunityFactory(
        owner=owner, value=Decimal(100000), probability=50, expected_close=datetime.date(2027, 5, 1)
    )
    gap = _gaps(account, {2027: "1500000"})[2027]
    assert (gap.basis_year, gap.gap, gap.pipeline, gap.coverage) == (
        2026,
        Decimal(500000),
        Decimal(50000),
        10,
    )


def test_no_actual_at_all_makes_the_whole_target_the_gap() -> None:
    account, _owner = _account({2026: "800000"}, {})
    gap = _gaps(account, {2026: "800000"})[2026]
    assert (gap.basis, gap.gap, gap.pipeline, gap.coverage) == (None, Decimal(800000), 0, 0)


def test_no_target_means_no_gap_and_no_coverage() -> None:
    account, owner = _account({}, {2026: "1000000"})
    OpportunityFactory(owner=owner)
    gap = _gaps(account, {2026: None})[2026]
    assert (gap.gap, gap.coverage, gap.pipeline) == (None, None, Decimal(50000))


def test_zero_gap_is_target_reached_without_coverage() -> None:
    account, owner = _account({2026: "1000000"}, {2026: "1000000"})
    OpportunityFactory(owner=owner)
    gap = _gaps(account, {2026: "1000000"})[2026]
    assert (gap.gap, gap.coverage, gap.target_reached) == (0, None, True)


def test_pipeline_counts_only_open_ones_closing_that_year() -> None:
    account, owner = _account({2026: "1250000"}, {2026: "1000000"})
    OpportunityFactory(owner=owner, value=Decimal(100000), probability=100)
    OpportunityFactory(owner=owner, expected_close=datetime.date(2027, 1, 1))
    OpportunityFactory(owner=owner, status="won", reason="Yes", closed_on=datetime.date(2026, 3, 1))
    OpportunityFactory(owner=TeamMemberFactory())  # another account's
    assert _gaps(account, {2026: "1250000"})[2026].pipeline == Decimal(100000)


def test_plan_page_says_how_much_of_the_gap_the_pipeline_covers(world: World) -> None:
    RevenueActual.objects.filter(account=world.account).delete()
    RevenueActual.objects.create(account=world.account, year=2026, amount=Decimal(1000000))
    PlanRevenueTarget.objects.create(plan=world.plan, year=2026, amount=Decimal(1250000))
    PlanRevenueTarget.objects.create(plan=world.plan, year=2027, amount=Decimal(1000000))
    OpportunityFactory(owner=world.lead_membership, value=Decimal(200000), probability=80)
    url = reverse("accounts:plan_detail", args=[world.account.slug, world.plan.pk])
    html = world.client_for("member").get(url).content.decode()
    assert "The pipeline covers 64% of the gap." in html
    assert "Target reached: no gap to cover." in html  # 2027: 1,000,000 - 1,000,000
    assert "No target for this year." in html  # 2028


def test_plan_page_queries_do_not_grow_with_opportunities(world: World) -> None:
    url = reverse("accounts:plan_detail", args=[world.account.slug, world.plan.pk])
    OpportunityFactory(owner=world.lead_membership)
    small = page_queries(world.client_for("member"), url)
    for year in (2026, 2027, 2028):
        for _ in range(8):
            OpportunityFactory(
                owner=world.lead_membership, expected_close=datetime.date(year, 6, 1)
            )
    assert page_queries(world.client_for("member"), url) == small


# The portfolio -------------------------------------------------------------------

THIS_YEAR = timezone.localdate().year


def _portfolio_account(name: str, target: str, actual: str, weighted: list[tuple[str, int]]):
    account = KeyAccountFactory(name=name, revenue=None)
    plan = PlanFactory(account=account, start_year=THIS_YEAR, end_year=THIS_YEAR + 2)
    PlanRevenueTarget.objects.create(plan=plan, year=THIS_YEAR, amount=Decimal(target))
    RevenueActual.objects.create(account=account, year=THIS_YEAR - 1, amount=Decimal(actual))
    owner = TeamMemberFactory(account=account, role=role("gkam"))
    for value, probability in weighted:
        OpportunityFactory(
            owner=owner,
            value=Decimal(value),
            probability=probability,
            expected_close=datetime.date(THIS_YEAR, 12, 31),
        )
    return account


def test_portfolio_coverage_column_in_one_query() -> None:
    covered = _portfolio_account("Covered", "1250000", "1000000", [("200000", 80)])
    _portfolio_account("Uncovered", "2000000", "1000000", [("100000", 10)])
    with CaptureQueriesContext(connection) as ctx:
        rows = {a.name: a for a in portfolio_queryset()}
    assert len(ctx.captured_queries) == 1
    assert rows["Covered"].pipeline_coverage == 64
    assert rows["Covered"].pipeline_weighted == Decimal(160000)
    assert rows["Uncovered"].pipeline_coverage == 1
    assert covered.pk in {a.pk for a in with_coverage(KeyAccount.objects.all(), year=THIS_YEAR)}


def test_portfolio_filter_shows_low_coverage_only(world: World) -> None:
    _portfolio_account("Covered", "1250000", "1000000", [("200000", 80)])
    _portfolio_account("Uncovered", "2000000", "1000000", [("100000", 10)])
    _portfolio_account("Reached", "900000", "1000000", [])
    client = world.client_for("manager")
    response = client.get(reverse("portfolio:portfolio") + "?coverage=low")
    html = response.content.decode()
    assert "Uncovered" in html and "Covered" not in html and "Reached" not in html


def test_portfolio_sorts_by_coverage_with_no_gap_last(world: World) -> None:
    _portfolio_account("Covered", "1250000", "1000000", [("200000", 80)])
    _portfolio_account("Uncovered", "2000000", "1000000", [("100000", 10)])
    _portfolio_account("Reached", "900000", "1000000", [])
    html = world.client_for("manager").get(reverse("portfolio:portfolio") + "?sort=coverage")
    text = html.content.decode()
    assert text.index("Uncovered") < text.index("Covered") < text.index("Reached")


@pytest.mark.parametrize("revenue_of_year", [True, False])
def test_coverage_worked_out_in_python_equals_the_sql(revenue_of_year: bool) -> None:
    """The portfolio page's rows (coverage_parts + set_coverage) say what
    with_coverage says in SQL, for every kind of account."""
    from accounts.revenue import revenue_columns
    from opportunities.selectors import coverage_parts, set_coverage

    _portfolio_account("Earlier actual", "1250000", "1000000", [("200000", 80), ("33333", 33)])
    _portfolio_account("Reached", "900000", "1000000", [("100000", 10)])
    _portfolio_account("Exactly", "1000000", "1000000", [])
    _portfolio_account("No pipeline", "2000000", "1000000", [])
    this_year = _portfolio_account("This year's actual", "3000000", "1000000", [("70001", 7)])
    RevenueActual.objects.create(account=this_year, year=THIS_YEAR, amount=Decimal("2000000.5"))
    no_target = KeyAccountFactory(name="No target", revenue=None)
    RevenueActual.objects.create(account=no_target, year=THIS_YEAR, amount=Decimal(5))
    KeyAccountFactory(name="Nothing at all", revenue=None)

    accounts = KeyAccount.objects.all()
    columns = ("pipeline_weighted", "pipeline_gap", "pipeline_coverage")

    def values(account: KeyAccount) -> tuple[Decimal | None, ...]:
        # PostgreSQL divides to 20 significant digits, Python to 28: the same
        # number to far more places than any page or export shows.
        return tuple(None if (v := getattr(account, c)) is None else round(v, 10) for c in columns)

    in_sql = {a.name: values(a) for a in with_coverage(accounts, year=THIS_YEAR)}
    rows = accounts.annotate(**revenue_columns(THIS_YEAR)).annotate(
        **coverage_parts(THIS_YEAR, revenue_of_year=revenue_of_year)
    )
    in_python = {}
    for a in rows:
        set_coverage(a, revenue_of_year=revenue_of_year)
        in_python[a.name] = values(a)
    assert in_python["Earlier actual"] == (
        Decimal("170999.89"), Decimal(250000), Decimal("68.399956"),
    )  # fmt: skip
    if connection.vendor != "postgresql":
        return  # SQLite divides the SQL's whole numbers as integers (170999, 68)
    assert in_python == in_sql
    assert in_sql["Reached"][1] < 0 and in_sql["Reached"][2] is None  # target reached
    assert in_sql["No target"][1:] == (None, None)
    assert in_sql["Earlier actual"][2] > 0
