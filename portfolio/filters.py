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

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from accounts.models import YEAR_MAX, YEAR_MIN, AccountTeamMember, KeyAccount, RevenueActual
from accounts.revenue import reporting_year
from core.params import QueryReader
from opportunities.selectors import low_coverage, with_coverage
from portfolio.forms import KamFilterForm
from portfolio.scores import refresh
from portfolio.selectors import (
    BANDS,
    HEALTHY_FROM,
    WATCH_FROM,
    country_choices,
    last_change_columns,
    trend_columns,
)
from portfolio.trend import TREND_STEP
from users.pickers import typed_value

SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "classification": ("classification", "name"),
    "revenue": ("revenue_sort", "name"),
    "health": ("health", "name"),
    "changed": ("last_change", "name"),
    "coverage": ("coverage_sort", "name"),  # the pipeline against this year's gap
    "trend": ("trend_change", "name"),  # falling first; no trend yet last (apply)
}
# The trend filter's values (portfolio.trend.trend_of in SQL, in `apply`).
TRENDS = ["down", "up", "flat"]


# The matrix's cells: attractiveness and our relative position, 1 to 5 each.
def cell_key(attractiveness: int, position: int) -> str:
    """A matrix cell as the `cell` filter writes it: "4-2"."""
    return f"{attractiveness}-{position}"


CELLS = [cell_key(a, p) for a in range(1, 6) for p in range(1, 6)]
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
    coverage: str = ""  # "low": the pipeline covers less than LOW_COVERAGE % of the gap
    trend: str = ""  # down, up, flat: the health trend (portfolio.trend)
    # A cell of the portfolio matrix, "<attractiveness>-<position>" ("4-2"):
    # where the matrix's bubble of a crowded cell leads.
    cell: str = ""
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
            coverage=reader.choice("coverage", ["low"]),
            trend=reader.choice("trend", TRENDS),
            cell=reader.choice("cell", CELLS),
        )
        chosen.year = reader.integer("year", low=YEAR_MIN, high=YEAR_MAX) or chosen.year
        chosen.sort, chosen.descending = reader.ordering("sort", SORTS, DEFAULT_SORT)
        typed = typed_value(params, "kam")
        if typed:  # the KAM picker without JavaScript (portfolio.forms.KamFilterForm)
            chosen.kam = KamFilterForm.typed(typed)
            if chosen.kam is None:
                reader.ignored.append(f"kam={typed}")
        chosen.ignored = reader.ignored
        if chosen.country and chosen.country not in country_choices():
            # Well-formed but not in the portfolio: name the value, not only the filter.
            chosen.ignored.append(f"country={chosen.country}")
            chosen.country = ""
        return chosen

    @property
    def sort_param(self) -> str:
        return f"-{self.sort}" if self.descending else self.sort

    def query(self) -> QueryDict:
        """The filters as understood, for the links that keep them. Never the raw query:
        a link must not carry along what was ignored, however long (a 100 kB value
        echoed into every sort link cost a request megabytes)."""
        params = QueryDict(mutable=True)
        for name in ("q", "classification", "country", "health", "coverage", "trend", "cell"):
            if value := getattr(self, name):
                params[name] = value
        if self.kam is not None:
            params["kam"] = str(self.kam)
        if self.year != reporting_year():
            params["year"] = str(self.year)
        if (self.sort, self.descending) != (DEFAULT_SORT, False):
            params["sort"] = self.sort_param
        return params

    @property
    def is_filtered(self) -> bool:
        chosen = (
            self.classification,
            self.country,
            self.kam,
            self.health,
            self.coverage,
            self.trend,
            self.cell,
        )
        return bool(self.q or any(chosen))

    @property
    def cell_axes(self) -> tuple[int, int] | None:
        """The chosen matrix cell as (attractiveness, position), or None."""
        if not self.cell:
            return None
        attractiveness, position = self.cell.split("-")
        return int(attractiveness), int(position)

    def query_without_cell(self) -> str:
        """The filters as understood, but every cell of the matrix."""
        params = self.query()
        params.pop("cell", None)
        return params.urlencode()

    def query_with_cell(self, attractiveness: int, position: int) -> str:
        """The filters as understood, narrowed to one cell of the matrix."""
        params = self.query()
        params["cell"] = cell_key(attractiveness, position)
        return params.urlencode()

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
        if axes := self.cell_axes:
            accounts = accounts.filter(attractiveness=axes[0], relative_position=axes[1])
        if self.health == "healthy":
            accounts = accounts.filter(health__gte=HEALTHY_FROM)
        elif self.health == "watch":
            accounts = accounts.filter(health__gte=WATCH_FROM, health__lt=HEALTHY_FROM)
        elif self.health == "risk":
            accounts = accounts.filter(health__lt=WATCH_FROM)
        if self.coverage == "low":
            accounts = low_coverage(accounts)
        if self.needs_score:
            accounts = self._by_trend(accounts)
        if self.sort == "revenue":
            # The chosen year's actual; none recorded sorts as nothing booked.
            actual = RevenueActual.objects.filter(account=OuterRef("pk"), year=self.year)
            accounts = accounts.annotate(
                revenue_sort=Coalesce(Subquery(actual.values("amount")[:1]), Value(Decimal(0)))
            )
        keys: tuple[Any, ...] = SORTS[self.sort]
        if self.sort == "trend":  # without a trend last, either way
            change = F("trend_change")
            first = change.desc(nulls_last=True) if self.descending else change.asc(nulls_last=True)
            keys = (first, *keys[1:])
        elif self.descending:
            keys = (f"-{keys[0]}", *keys[1:])
        return accounts.order_by(*keys, "pk")

    @property
    def needs_score(self) -> bool:
        """Filter or sort by what needs every account's health score (the slow part)."""
        return bool(self.health or self.trend or self.sort in ("health", "trend"))

    def _by_trend(self, accounts: QuerySet[KeyAccount]) -> QuerySet[KeyAccount]:
        """Of scored accounts: `trend_change` (NULL without a snapshot), and the trend filter."""
        accounts = accounts.annotate(trend_change=F("health") - F("trend_score"))
        if self.trend == "up":
            return accounts.filter(trend_change__gte=TREND_STEP)
        if self.trend == "down":
            return accounts.filter(trend_change__lte=-TREND_STEP)
        if self.trend == "flat":
            return accounts.filter(trend_change__gt=-TREND_STEP, trend_change__lt=TREND_STEP)
        return accounts


def portfolio_order(chosen: PortfolioFilter) -> QuerySet[KeyAccount]:
    """The chosen accounts in the chosen order, with only what filter and sort need.

    The health score takes about twenty subqueries per account; computing it
    for every account to show a page of 25 would make the page slower with
    every account added. A health filter or sort reads every account's stored
    score (portfolio.scores), brought up to date first.
    """
    accounts = KeyAccount.objects.active()
    today = timezone.localdate()
    if chosen.needs_score:
        refresh(today)
        accounts = accounts.annotate(
            health=F("stored_health__score"), **trend_columns(OuterRef("pk"), today)
        )
    if chosen.coverage or chosen.sort == "coverage":
        accounts = with_coverage(accounts, year=today.year)
    if chosen.sort == "changed":
        accounts = accounts.annotate(**last_change_columns())
    return chosen.apply(accounts)
