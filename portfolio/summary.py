"""The manager's portfolio at a glance, for the home page: what needs a manager now.

Counts per health band and their change since last week's snapshot, the
accounts that dropped a band, the current plans a manager has not reviewed
since they last changed, and the plans that expired. The same queries
however many accounts: the bands come from the stored scores
(portfolio.scores, computed by the SQL the portfolio page sorts and filters
by, so the two never disagree), counted and listed by the database. Each
list shows its first LIST_MAX accounts by name and says how many there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from core.prepared import prepared
from portfolio.models import HealthScore, HealthSnapshot
from portfolio.scores import fresh_scores, with_names
from portfolio.selectors import BANDS, PLAN_STATUSES, Band
from portfolio.services import week_of

LIST_MAX = 10  # accounts named per list; the count says how many there are


@dataclass(frozen=True)
class BandCount:
    band: Band
    count: int
    change: int | None  # against last week's snapshots; None without any

    @property
    def url(self) -> str:
        """The portfolio filtered to this band."""
        return f"{reverse('portfolio:portfolio')}?{urlencode({'health': self.band.code})}"


@dataclass(frozen=True)
class AccountLine:
    """One account the summary names, with the page where a manager acts on it."""

    name: str
    slug: str
    url: str
    score: int
    band: Band
    was: Band | None = None  # last week's band, for a drop
    plan_period: str = ""
    plan_status: str = ""  # its label: draft, agreed


@dataclass
class PortfolioSummary:
    total: int
    bands: list[BandCount]
    compared_with: datetime.date | None  # the Monday of last week's snapshots
    # The first LIST_MAX of each list, by name; the counts are of all.
    dropped: list[AccountLine] = field(default_factory=list)
    to_review: list[AccountLine] = field(default_factory=list)
    expired: list[AccountLine] = field(default_factory=list)
    dropped_count: int = 0
    to_review_count: int = 0
    expired_count: int = 0


def portfolio_summary(*, today: datetime.date) -> PortfolioSummary:
    """Every active account's band now against last week's snapshot, and the plan work."""
    scores = fresh_scores(today)
    expired_plan = _expired_plan(today.year)
    # The bands and two lists' sizes in one pass over the stored rows: one
    # scan where three cost a millisecond each at 5,000 accounts.
    totals = scores.order_by().aggregate(
        **{code: Count("pk", filter=Q(band=code)) for code in BANDS},
        to_review=Count("pk", filter=Q(to_review=True)),
        expired=Count("pk", filter=expired_plan),
    )
    counts = {code: totals[code] for code in BANDS}
    last_week = week_of(today) - datetime.timedelta(days=7)
    # Last week's counts are those of its snapshots, accounts archived since included.
    then = dict(_snapshot_bands(last_week))
    compared = last_week if then else None
    bands = [
        BandCount(
            BANDS[code],
            counts[code],
            counts[code] - then.get(code, 0) if compared else None,
        )
        for code in BANDS
    ]
    dropped = [_line(row, "health") for row in _first_dropped(last_week)]
    dropped_count = _dropped(scores, last_week).count()
    to_review = [_line(row, "plan") for row in _first_to_review()]
    expired = [_line(row, "health") for row in _first_expired(today.year)]
    to_review_count, expired_count = totals["to_review"], totals["expired"]
    return PortfolioSummary(
        total=sum(counts.values()),
        bands=bands,
        compared_with=compared,
        dropped=dropped,
        to_review=to_review,
        expired=expired,
        dropped_count=dropped_count,
        to_review_count=to_review_count,
        expired_count=expired_count,
    )


def _dropped(scores: QuerySet[HealthScore], last_week: datetime.date) -> QuerySet[HealthScore]:
    """Accounts whose band now is worse than in last week's snapshot (a join, no subquery)."""
    scores = scores.filter(account__health_snapshots__week=last_week).annotate(
        was=F("account__health_snapshots__band")
    )
    worse = Q()
    for rank, code in enumerate(BANDS):
        worse |= Q(was=code, band__in=list(BANDS)[rank + 1 :])
    return scores.filter(worse)


def _expired_plan(year: int) -> Q:
    return Q(plan_id__isnull=False, plan_end__lt=year)


# The lists' first LIST_MAX by name, each answered from an index that holds the
# stored rows in that order; their queries kept (core.prepared). `fresh_scores`
# has brought the rows up to date before any of them runs.


@prepared
def _snapshot_bands(week: datetime.date) -> QuerySet[Any]:
    """(band, accounts) of the week's snapshots."""
    return (
        HealthSnapshot.objects.filter(week=week)
        .order_by()
        .values_list("band")
        .annotate(n=Count("pk"))
    )


@prepared
def _first_dropped(last_week: datetime.date) -> QuerySet[HealthScore]:
    return with_names(_dropped(HealthScore.objects.all(), last_week))[:LIST_MAX]


@prepared
def _first_to_review() -> QuerySet[HealthScore]:
    """Current plans not reviewed since their last change (portfolio.scores._to_review).

    A review or a change of the plan moves the account's counter, a new year
    is a new day: the column is computed again with the score it is stored with.
    """
    return with_names(HealthScore.objects.filter(to_review=True))[:LIST_MAX]


@prepared
def _first_expired(year: int) -> QuerySet[HealthScore]:
    return with_names(HealthScore.objects.filter(_expired_plan(year)))[:LIST_MAX]


def _line(row: Any, page: str) -> AccountLine:
    """An account of the summary, linked to its health page or to its plan."""
    if page == "plan":
        url = reverse("accounts:plan_detail", args=[row.slug, row.plan_id])
    else:
        url = reverse("accounts:health", args=[row.slug])
    return AccountLine(
        name=row.name,
        slug=row.slug,
        url=url,
        score=row.score,
        band=BANDS[row.band],
        was=BANDS[row.was] if getattr(row, "was", None) else None,
        plan_period=f"{row.plan_start}–{row.plan_end}" if row.plan_id else "",
        plan_status=str(PLAN_STATUSES.get(row.plan_status, "")),
    )
