"""Reads for the pages: an account's opportunities, and the gap the pipeline must cover.

The gap of a year is its revenue target minus the actual it is measured
from: that year's actual once one is recorded (for this year: booked so
far), else the latest actual recorded before it; with none at all, the
whole target. The pipeline of a year is the weighted value (value x
probability) of the open opportunities expected to close in it. Coverage is
the pipeline as a share of the gap, only while there is a gap to cover.
The plan page (`plan_pipeline`) and the portfolio (`with_coverage`) apply
the same rule, in Python and in SQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from accounts.models import MONEY, KeyAccount, RevenueActual
from accounts.plan_sections import PlanPage
from accounts.revenue import targets_of_year
from opportunities.models import WEIGHTED_X100, Opportunity, year_bounds

Bounds = tuple[datetime.date, datetime.date]  # a year's first and last day

DECIMAL = DecimalField(max_digits=20, decimal_places=4)
# The portfolio's filter: accounts whose pipeline covers less than this share of the gap.
LOW_COVERAGE = 50
# Sorting by coverage counts accounts without a gap to cover (no target,
# target reached) as fully covered: last when the lowest coverage comes first.
NO_COVERAGE_SORT = Decimal(10**9)


@dataclass(frozen=True)
class YearGap:
    """One plan year: target, the actual it is measured from, and the pipeline closing in it."""

    year: int
    target: Decimal | None
    basis: Decimal | None  # the actual the gap is measured from; None: none recorded
    basis_year: int | None
    pipeline: Decimal

    @property
    def gap(self) -> Decimal | None:
        if self.target is None:
            return None
        return self.target - (self.basis or Decimal(0))

    @property
    def coverage(self) -> Decimal | None:
        """The pipeline as a share of the gap, in per cent; None without a gap to cover."""
        gap = self.gap
        if gap is None or gap <= 0:
            return None
        return self.pipeline * 100 / gap

    @property
    def target_reached(self) -> bool:
        gap = self.gap
        return gap is not None and gap <= 0


def gap_basis(actuals: dict[int, Decimal], year: int) -> tuple[int, Decimal] | None:
    """(year, amount) of the actual `year`'s gap is measured from; None if none is recorded."""
    if year in actuals:
        return year, actuals[year]
    earlier = [y for y in actuals if y < year]
    return (max(earlier), actuals[max(earlier)]) if earlier else None


def pipeline_by_year(opportunities: QuerySet[Opportunity], years: list[int]) -> dict[int, Decimal]:
    """{year: weighted value of the open ones closing in it} for `years` (one query)."""
    if not years:
        return {}
    rows = (
        opportunities.open()
        .filter(
            expected_close__gte=datetime.date(min(years), 1, 1),
            expected_close__lte=datetime.date(max(years), 12, 31),
        )
        .annotate(close_year=ExtractYear("expected_close"))
        .order_by()
        .values("close_year")
        .annotate(weighted=Sum(ExpressionWrapper(WEIGHTED_X100, output_field=DECIMAL)))
    )
    return {r["close_year"]: Decimal(r["weighted"]) / 100 for r in rows}


def year_gaps(account: KeyAccount, targets: dict[int, Decimal | None]) -> list[YearGap]:
    """A YearGap for each year of `targets`, oldest first (two queries)."""
    years = sorted(targets)
    if not years:
        return []
    actuals = dict(
        account.revenue_actuals.filter(year__lte=max(years)).values_list("year", "amount")
    )
    pipeline = pipeline_by_year(account.opportunities.all(), years)
    gaps = []
    for year in years:
        basis = gap_basis(actuals, year)
        gaps.append(
            YearGap(
                year=year,
                target=targets[year],
                basis=basis[1] if basis else None,
                basis_year=basis[0] if basis else None,
                pipeline=pipeline.get(year, Decimal(0)),
            )
        )
    return gaps


def plan_pipeline(page: PlanPage) -> dict[str, Any]:
    """The plan page's section (accounts.plan_sections): gap and pipeline per plan year."""
    plan = page.plan
    targets = {r.year: r.target for r in page.revenue if plan.covers(r.year)}
    return {"gaps": year_gaps(page.access.account, targets), "today": page.today}


def _weighted_pipeline_x100(year: int, closing: Bounds | None = None) -> Coalesce:
    """Per account (OuterRef "pk"): value x probability of the open ones closing in
    `year` (`closing`: its first and last day, when the caller has them already)."""
    summed = (
        Opportunity.objects.filter(account=OuterRef("pk"))
        .open()
        .closing_between(*(closing or year_bounds(year)))
        .order_by()
        .values("account")
        .annotate(w=Sum(ExpressionWrapper(WEIGHTED_X100, output_field=DECIMAL)))
        .values("w")
    )
    return Coalesce(Subquery(summed, output_field=DECIMAL), Value(Decimal(0)), output_field=DECIMAL)


def _gap(year: int) -> ExpressionWrapper:
    """Per account: `year`'s target minus its actual, else the latest earlier one, else 0."""
    money = DecimalField(**MONEY)
    actuals = RevenueActual.objects.filter(account=OuterRef("pk"))
    this_year = actuals.filter(year=year).values("amount")[:1]
    earlier = actuals.filter(year__lt=year).order_by("-year").values("amount")[:1]
    basis = Coalesce(
        Subquery(this_year, output_field=money),
        Subquery(earlier, output_field=money),
        Value(Decimal(0)),
        output_field=money,
    )
    target = Subquery(targets_of_year(year).values("amount")[:1], output_field=money)
    return ExpressionWrapper(target - basis, output_field=DECIMAL)


def with_coverage(accounts: QuerySet[KeyAccount], *, year: int) -> QuerySet[KeyAccount]:
    """`accounts` with `pipeline_weighted`, `pipeline_gap` and `pipeline_coverage` (%) of `year`.

    Still one query: correlated subqueries. Coverage is NULL without a target
    or when the actual has reached it; `coverage_sort` puts those last.
    """
    return (
        accounts.annotate(pipeline_x100=_weighted_pipeline_x100(year), pipeline_gap=_gap(year))
        .annotate(
            pipeline_weighted=ExpressionWrapper(F("pipeline_x100") / 100, output_field=DECIMAL),
            pipeline_coverage=Case(
                When(pipeline_gap__gt=0, then=F("pipeline_x100") / F("pipeline_gap")),
                default=None,
                output_field=DECIMAL,
            ),
        )
        .annotate(
            coverage_sort=Coalesce(
                "pipeline_coverage", Value(NO_COVERAGE_SORT), output_field=DECIMAL
            )
        )
    )


def coverage_parts(
    year: int, *, revenue_of_year: bool = False, closing: Bounds | None = None
) -> dict[str, Any]:
    """The columns `with_coverage` works its three out of, each read once, for a
    page of known accounts: `set_coverage` then does the arithmetic in Python.

    with_coverage's expressions refer to each other, and SQL repeats each
    reference in full: its three columns cost 17 correlated subqueries that
    PostgreSQL plans and runs, and Django builds and compiles, on every first
    render of the portfolio. These are four (two with `revenue_of_year`: the
    queryset has `revenue_columns(year)` already, whose actual and target are
    the same). `closing`: the year's first and last day, for a query whose
    SQL core.prepared keeps (the year's bounds are then arguments of their own).
    """
    money = DecimalField(**MONEY)
    actuals = RevenueActual.objects.filter(account=OuterRef("pk"))
    earlier = actuals.filter(year__lt=year).order_by("-year").values("amount")[:1]
    parts: dict[str, Any] = {
        "pipeline_x100": _weighted_pipeline_x100(year, closing),
        "coverage_earlier_actual": Subquery(earlier, output_field=money),
    }
    if not revenue_of_year:
        this_year = actuals.filter(year=year).values("amount")[:1]
        target = targets_of_year(year).values("amount")[:1]
        parts["coverage_actual"] = Subquery(this_year, output_field=money)
        parts["coverage_target"] = Subquery(target, output_field=money)
    return parts


def set_coverage(account: KeyAccount, *, revenue_of_year: bool = False) -> None:
    """`pipeline_weighted`, `pipeline_gap` and `pipeline_coverage` on an account
    read with `coverage_parts`, as `with_coverage` computes them in SQL."""
    if revenue_of_year:
        actual, target = account.revenue_actual, account.revenue_target  # type: ignore[attr-defined]
    else:
        actual, target = account.coverage_actual, account.coverage_target  # type: ignore[attr-defined]
    earlier = account.coverage_earlier_actual  # type: ignore[attr-defined]
    basis = actual if actual is not None else earlier if earlier is not None else Decimal(0)
    gap = None if target is None else target - basis
    x100 = account.pipeline_x100  # type: ignore[attr-defined]
    account.pipeline_gap = gap  # type: ignore[attr-defined]
    account.pipeline_weighted = x100 / 100  # type: ignore[attr-defined]
    account.pipeline_coverage = x100 / gap if gap is not None and gap > 0 else None  # type: ignore[attr-defined]


def low_coverage(accounts: QuerySet[KeyAccount]) -> QuerySet[KeyAccount]:
    """Of accounts `with_coverage`: pipeline below LOW_COVERAGE % of the gap."""
    return accounts.filter(pipeline_coverage__lt=LOW_COVERAGE)


def account_opportunities(account: KeyAccount, status: str = "") -> list[Opportunity]:
    """The list page's rows: open ones first by expected close, then won and lost (one query)."""
    rows = account.opportunities.select_related(
        "stage",
        "owner__user",
        "owner__role",
        "potential",
        "objective__plan",
        "potential__plan",
        "whitespace_cell__unit",
        "whitespace_cell__offering",
    )
    if status:
        rows = rows.filter(status=status)
    open_first = Case(When(status=Opportunity.Status.OPEN, then=Value(0)), default=Value(1))
    return list(rows.order_by(open_first, "expected_close", "pk"))


@dataclass(frozen=True)
class Totals:
    open_value: Decimal
    open_weighted: Decimal
    open_count: int


def open_totals(rows: list[Opportunity]) -> Totals:
    """The open ones among `rows`: their value and weighted value (no query)."""
    open_rows = [o for o in rows if o.is_open]
    return Totals(
        open_value=sum((o.value for o in open_rows), Decimal(0)),
        open_weighted=sum((o.weighted_value for o in open_rows), Decimal(0)),
        open_count=len(open_rows),
    )
