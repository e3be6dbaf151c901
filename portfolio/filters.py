"""The portfolio's filters, sort and revenue year, read from the query string.

Unknown values are dropped and named in one message (core.params). A country
is known when an active account has its headquarters there or a national
team member serves it: any other code (`?country=XX`, or a real country
nobody has) is dropped too, so the table never sits empty under a dropdown
that says "all".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import YEAR_MAX, YEAR_MIN, AccountTeamMember, KeyAccount, RevenueActual
from accounts.revenue import reporting_year
from core.params import QueryReader
from portfolio.selectors import (
    BANDS,
    HEALTHY_FROM,
    WATCH_FROM,
    country_choices,
    last_change_columns,
    portfolio_queryset,
)

SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "classification": ("classification", "name"),
    "revenue": ("revenue_sort", "name"),
    "health": ("health", "name"),
    "changed": ("last_change", "name"),
}
DEFAULT_SORT = "classification"
# Years offered in the revenue year's dropdown, back from this year.
REVENUE_YEARS_BACK = 4


@dataclass
class PortfolioFilter:
    """The portfolio's filters as the user chose them; unknown values are dropped."""

    q: str = ""
    classification: str = ""
    country: str = ""
    kam: int | None = None
    health: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    year: int = field(default_factory=reporting_year)
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params: Any) -> PortfolioFilter:
        reader = QueryReader(params)
        chosen = cls(
            q=reader.text("q"),
            classification=reader.choice("classification", KeyAccount.Classification.values),
            country=reader.country("country"),
            kam=reader.integer("kam"),
            health=reader.choice("health", BANDS),
        )
        chosen.year = reader.integer("year", low=YEAR_MIN, high=YEAR_MAX) or chosen.year
        chosen.sort, chosen.descending = reader.ordering("sort", SORTS, DEFAULT_SORT)
        chosen.ignored = reader.ignored
        if chosen.country and chosen.country not in country_choices():
            # Well-formed but not in the portfolio: name the value, not only the filter.
            chosen.ignored.append(f"country={chosen.country}")
            chosen.country = ""
        return chosen

    @property
    def sort_param(self) -> str:
        return f"-{self.sort}" if self.descending else self.sort

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.classification or self.country or self.kam or self.health)

    @property
    def year_choices(self) -> list[int]:
        this_year = timezone.localdate().year
        years = set(range(this_year - REVENUE_YEARS_BACK, this_year + 1)) | {self.year}
        return sorted(years, reverse=True)

    def apply(self, accounts: QuerySet[KeyAccount]) -> QuerySet[KeyAccount]:
        accounts = accounts.search(self.q)
        if self.classification:
            accounts = accounts.filter(classification=self.classification)
        if self.country:
            # Headquarters, or a national team member serving that country.
            accounts = accounts.filter(
                Q(hq_country=self.country)
                | Exists(
                    AccountTeamMember.objects.active().filter(
                        account=OuterRef("pk"), country=self.country
                    )
                )
            )
        if self.kam:
            accounts = accounts.filter(
                Exists(
                    AccountTeamMember.objects.leads().filter(
                        account=OuterRef("pk"), user_id=self.kam
                    )
                )
            )
        if self.health == "healthy":
            accounts = accounts.filter(health__gte=HEALTHY_FROM)
        elif self.health == "watch":
            accounts = accounts.filter(health__gte=WATCH_FROM, health__lt=HEALTHY_FROM)
        elif self.health == "risk":
            accounts = accounts.filter(health__lt=WATCH_FROM)
        if self.sort == "revenue":
            # The chosen year's actual; none recorded sorts as nothing booked.
            actual = RevenueActual.objects.filter(account=OuterRef("pk"), year=self.year)
            accounts = accounts.annotate(
                revenue_sort=Coalesce(Subquery(actual.values("amount")[:1]), Value(Decimal(0)))
            )
        keys = SORTS[self.sort]
        if self.descending:
            keys = (f"-{keys[0]}", *keys[1:])
        return accounts.order_by(*keys, "pk")

    def scored(self) -> QuerySet[KeyAccount]:
        """Every chosen account with all portfolio columns (exports, matrix)."""
        return self.apply(portfolio_queryset(revenue_year=self.year))


def portfolio_order(chosen: PortfolioFilter) -> QuerySet[KeyAccount]:
    """The chosen accounts in the chosen order, with only what filter and sort need.

    The health score takes about twenty subqueries per account; computing it
    for every account to show a page of 25 would make the page slower with
    every account added. Only a health filter or sort needs it for all.
    """
    if chosen.health or chosen.sort == "health":
        return chosen.scored()
    accounts = KeyAccount.objects.active()
    if chosen.sort == "changed":
        accounts = accounts.annotate(**last_change_columns())
    return chosen.apply(accounts)
