"""The manager's portfolio at a glance, for the home page: what needs a manager now.

Counts per health band and their change since last week's snapshot, the
accounts that dropped a band, the current plans a manager has not reviewed
since they last changed, and the plans that expired. Three queries, however
many accounts: the scores come from portfolio_queryset, the same SQL the
portfolio page sorts and filters by, so the two never disagree.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Max
from django.urls import reverse

from accounts.models import KeyAccountPlan
from portfolio.models import HealthSnapshot
from portfolio.selectors import BANDS, PLAN_STATUSES, Band, band_of, portfolio_queryset
from portfolio.services import week_of

# From healthy to at risk: a higher rank is a worse band.
BAND_RANK = {code: rank for rank, code in enumerate(BANDS)}


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
    dropped: list[AccountLine] = field(default_factory=list)
    to_review: list[AccountLine] = field(default_factory=list)
    expired: list[AccountLine] = field(default_factory=list)


def portfolio_summary(*, today: datetime.date) -> PortfolioSummary:
    """Every active account's band now against last week's snapshot, and the plan work."""
    rows = list(
        portfolio_queryset(today=today)
        .order_by("name", "pk")
        .values("pk", "name", "slug", "health", "plan_id", "plan_start", "plan_end", "plan_status")
    )
    last_week = week_of(today) - datetime.timedelta(days=7)
    before = dict(
        HealthSnapshot.objects.filter(week=last_week).order_by().values_list("account_id", "band")
    )
    counts = dict.fromkeys(BANDS, 0)
    # Last week's counts are those of its snapshots, accounts archived since included.
    then = dict.fromkeys(BANDS, 0) | Counter(before.values())
    dropped: list[AccountLine] = []
    for row in rows:
        band = band_of(row["health"])
        counts[band.code] += 1
        was = before.get(row["pk"])
        if was in BAND_RANK and BAND_RANK[band.code] > BAND_RANK[was]:
            dropped.append(_line(row, band, reverse("accounts:health", args=[row["slug"]]), was))
    compared = last_week if before else None
    bands = [
        BandCount(BANDS[code], counts[code], counts[code] - then[code] if compared else None)
        for code in BANDS
    ]
    to_review, expired = _plan_work(rows, today.year)
    return PortfolioSummary(len(rows), bands, compared, dropped, to_review, expired)


def _line(row: dict, band: Band, url: str, was: str | None = None) -> AccountLine:
    period = f"{row['plan_start']}–{row['plan_end']}" if row["plan_id"] else ""
    return AccountLine(
        name=row["name"],
        slug=row["slug"],
        url=url,
        score=row["health"],
        band=band,
        was=BANDS[was] if was else None,
        plan_period=period,
        plan_status=str(PLAN_STATUSES.get(row["plan_status"], "")),
    )


def _plan_work(rows: list[dict], year: int) -> tuple[list[AccountLine], list[AccountLine]]:
    """Current plans not reviewed since their last change; plans whose period is over.

    "The plan" is the one the workspace shows (KeyAccountPlan.current_first,
    as portfolio_queryset's plan_id). An expired plan counts as none, so it is
    not for review: the leads must start the next one.
    """
    running = [r for r in rows if r["plan_id"] and r["plan_end"] >= year]
    plans = {
        p["pk"]: p
        for p in KeyAccountPlan.objects.filter(pk__in=[r["plan_id"] for r in running])
        .annotate(last_review=Max("reviews__reviewed_at"))
        .values("pk", "updated_at", "last_review")
    }
    to_review = []
    for row in running:
        plan = plans.get(row["plan_id"])
        if plan and (plan["last_review"] is None or plan["last_review"] < plan["updated_at"]):
            url = reverse("accounts:plan_detail", args=[row["slug"], row["plan_id"]])
            to_review.append(_line(row, band_of(row["health"]), url))
    expired = [
        _line(r, band_of(r["health"]), reverse("accounts:health", args=[r["slug"]]))
        for r in rows
        if r["plan_id"] and r["plan_end"] < year
    ]
    return to_review, expired
