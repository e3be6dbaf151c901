"""The portfolio: every active key account with its health signals, in SQL.

Each signal is a correlated subquery on the account row, so one query
answers for a page of 25 or a portfolio of 1,000 accounts, and filtering
and sorting by health happen in the database, not in Python loops.

The health score (0-100) is the sum of four parts, each worth the points
staff gave it (portfolio.models.HealthWeights; 25 each by default), shown
and explained on the portfolio page:

- plan: all its points if a plan covering this year is agreed and has
  content (a strategy or an objective), 12/25 of them if it is a draft or
  agreed on nothing, 0 without one (a plan whose period is over counts as none);
- responsibilities: its points x the share of RACI tasks with exactly one A
  and at least one R (0 without tasks);
- execution: its points x the share of this year's touchpoints (not
  cancelled) and plan actions (due this year) that are not overdue (0
  without either this year);
- team: its points if the core team has an in-person meeting planned or held
  this year.

The weights are read by the score's own query (a scalar subquery, evaluated
once per query), so every page, export and snapshot uses the weights in
force without a query or a cache of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from accounts.models import AccountTeamMember, KeyAccount, KeyAccountPlan, PlanObjective
from accounts.revenue import attainment, revenue_columns
from accounts.selectors import kams_of
from actions.models import PlanAction
from activities.selectors import stale_counts
from core.i18n import Labels
from core.prepared import prepared
from opportunities.selectors import with_coverage
from portfolio.models import DEFAULT_WEIGHT, HealthSnapshot, PlanReview
from portfolio.trend import TREND_WEEKS, trend_of
from portfolio.weights import weight_columns
from raci.models import RaciTask
from touchpoints.models import TeamMeeting, Touchpoint, quarter_of

PLAN_STATUSES = dict(KeyAccountPlan.Status.choices)
POINTS = DEFAULT_WEIGHT  # each of the four parts, unless staff weigh them otherwise
DRAFT_PLAN_POINTS = 12  # of POINTS: a draft plan earns this share of the plan's weight
# An agreed plan with neither strategy nor objectives was agreed on nothing:
# it scores as a draft.
EMPTY_PLAN_POINTS = DRAFT_PLAN_POINTS
HEALTHY_FROM = 75
WATCH_FROM = 50


@dataclass(frozen=True)
class Band:
    code: str
    label: Any
    css: str


EXPIRED_LABEL = pgettext_lazy("plan", "expired")

BANDS = {
    "healthy": Band("healthy", pgettext_lazy("health", "healthy"), "text-bg-success"),
    "watch": Band("watch", pgettext_lazy("health", "needs attention"), "text-bg-warning"),
    "risk": Band("risk", pgettext_lazy("health", "at risk"), "text-bg-danger"),
}


def band_of(score: int) -> Band:
    if score >= HEALTHY_FROM:
        return BANDS["healthy"]
    if score >= WATCH_FROM:
        return BANDS["watch"]
    return BANDS["risk"]


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """Rows of `queryset` (already tied to the account by OuterRef), as a number."""
    counted = queryset.order_by().values("account").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _share(part: str, whole: str, weight: str) -> Case:
    """weight x part / whole in whole points (integer division), 0 when whole is 0."""
    return Case(
        When(**{f"{whole}__gt": 0}, then=F(part) * F(weight) / F(whole)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _plan_updated() -> Subquery:
    plans = KeyAccountPlan.objects.filter(account=OuterRef("pk"))
    return Subquery(
        plans.order_by("-updated_at").values("updated_at")[:1], output_field=DateTimeField()
    )


_LAST_CHANGE = Greatest("updated_at", Coalesce("plan_updated", "updated_at"))


def last_change_columns() -> dict[str, Any]:
    """When the account or its latest-edited plan last changed (the "Changed" column)."""
    return {"plan_updated": _plan_updated(), "last_change": _LAST_CHANGE}


def _plan_columns(account: OuterRef, year: int) -> dict[str, Any]:
    """The plan the workspace shows, the plan covering `year` and its content, the review."""
    # The plan the workspace shows, by the one rule (KeyAccountPlan.current_first).
    current = KeyAccountPlan.objects.filter(account=account).current_first(year)
    covering = current.filter(covers=1)
    covering_objectives = PlanObjective.objects.filter(
        plan__account=account, plan__start_year__lte=year, plan__end_year__gte=year
    )
    reviews = PlanReview.objects.filter(plan__account=account).order_by("-reviewed_at")
    return {
        "plan_id": Subquery(current.values("pk")[:1]),
        "plan_start": Subquery(current.values("start_year")[:1]),
        "plan_end": Subquery(current.values("end_year")[:1]),
        "plan_status": Subquery(current.values("status")[:1], output_field=CharField()),
        "covering_status": Subquery(covering.values("status")[:1], output_field=CharField()),
        # Forms strip text fields, so an empty strategy is "".
        "covering_has_content": ExpressionWrapper(
            Q(Exists(covering.exclude(strategy=""))) | Q(Exists(covering_objectives)),
            output_field=BooleanField(),
        ),
        "plan_updated": _plan_updated(),
        "reviewed_at": Subquery(reviews.values("reviewed_at")[:1], output_field=DateTimeField()),
    }


def _team_columns(account: OuterRef) -> dict[str, Any]:
    """The active core and extended team's sizes; the RACI tasks, and those complete."""
    members = AccountTeamMember.objects.active().filter(account=account)
    tasks = RaciTask.objects.filter(account=account)
    return {
        "core_size": _count(members.filter(team=AccountTeamMember.Team.CORE)),
        "extended_size": _count(members.filter(team=AccountTeamMember.Team.EXTENDED)),
        "raci_total": _count(tasks),
        "raci_complete": _count(tasks.complete()),
    }


def _touchpoint_columns(account: OuterRef, today: date) -> dict[str, Any]:
    """This quarter's and year's touchpoints, the overdue, and the in-person team meetings."""
    year, quarter = today.year, quarter_of(today)
    touchpoints = Touchpoint.objects.filter(account=account, year=year).exclude(
        status=Touchpoint.Status.CANCELLED
    )
    overdue = Touchpoint.objects.filter(account=account).overdue(today)
    in_person = TeamMeeting.objects.filter(account=account).in_person(year)
    this_quarter = touchpoints.filter(quarter=quarter)
    return {
        "tp_quarter": _count(this_quarter),
        "tp_quarter_done": _count(this_quarter.filter(status=Touchpoint.Status.DONE)),
        "tp_year": _count(touchpoints),
        "tp_overdue": _count(overdue),
        "tp_year_overdue": _count(overdue.filter(year=year)),
        "met_in_person": Exists(in_person.filter(status=TeamMeeting.Status.HELD)),
        "meeting_planned": Exists(in_person.filter(status=TeamMeeting.Status.PLANNED)),
    }


def week_of(day: date) -> date:
    """The Monday of `day`'s week: the key of a health snapshot."""
    return day - timedelta(days=day.weekday())


def trend_columns(account: OuterRef, today: date) -> dict[str, Any]:
    """The snapshot the trend compares with: TREND_WEEKS back, or the oldest since then."""
    week = week_of(today)
    back = week - timedelta(weeks=TREND_WEEKS)
    earlier = HealthSnapshot.objects.filter(account=account, week__lt=week)
    at_back = earlier.filter(week__lte=back).order_by("-week")
    since = earlier.filter(week__gt=back).order_by("week")
    return {
        "trend_score": Coalesce(
            Subquery(at_back.values("score")[:1]), Subquery(since.values("score")[:1])
        ),
        "trend_week": Coalesce(
            Subquery(at_back.values("week")[:1]), Subquery(since.values("week")[:1])
        ),
    }


def _plan_points() -> Case:
    agreed = KeyAccountPlan.Status.AGREED
    return Case(
        When(covering_status=agreed, covering_has_content=True, then=F("w_plan")),
        When(covering_status=agreed, then=F("w_plan") * EMPTY_PLAN_POINTS / POINTS),
        When(
            covering_status=KeyAccountPlan.Status.DRAFT,
            then=F("w_plan") * DRAFT_PLAN_POINTS / POINTS,
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def _action_columns(account: OuterRef, today: date) -> dict[str, Any]:
    """The plan actions due this year, and those of them overdue (the execution part)."""
    actions = PlanAction.objects.filter(account=account, due_date__year=today.year)
    return {
        "act_year": _count(actions),
        "act_year_overdue": _count(actions.overdue(today)),
    }


def portfolio_queryset(
    *,
    today: date | None = None,
    revenue_year: int | None = None,
    accounts: QuerySet[KeyAccount] | None = None,
) -> QuerySet[KeyAccount]:
    """Active accounts (or `accounts`) with every portfolio column and the health score.

    The revenue columns are those of `revenue_year` (default: this year).
    """
    today = today or timezone.localdate()
    signals = signals_queryset(today=today, revenue_year=revenue_year, accounts=accounts)
    return (
        signals.annotate(
            tp_kept=F("tp_year") - F("tp_year_overdue"),
            # Execution: this year's touchpoints and plan actions, kept or not overdue yet.
            exec_total=F("tp_year") + F("act_year"),
            exec_kept=F("tp_year") - F("tp_year_overdue") + F("act_year") - F("act_year_overdue"),
            plan_points=_plan_points(),
            raci_points=_share("raci_complete", "raci_total", "w_responsibilities"),
            team_points=Case(
                When(Q(met_in_person=True) | Q(meeting_planned=True), then=F("w_team")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(tp_points=_share("exec_kept", "exec_total", "w_execution"))
        .annotate(health=F("plan_points") + F("raci_points") + F("tp_points") + F("team_points"))
    )


def signals_queryset(
    *,
    today: date | None = None,
    revenue_year: int | None = None,
    accounts: QuerySet[KeyAccount] | None = None,
) -> QuerySet[KeyAccount]:
    """The portfolio's columns without the score computed from them.

    Each signal is one subquery. The score's parts refer to them again, and
    the database runs a subquery once per mention: where the score is stored
    (portfolio.scores), a page reads it from there instead.
    """
    today = today or timezone.localdate()
    account = OuterRef("pk")
    base = KeyAccount.objects.active() if accounts is None else accounts
    return with_coverage(base, year=today.year).annotate(  # the pipeline against this year's gap
        **weight_columns(),
        **_plan_columns(account, today.year),
        **_team_columns(account),
        **_touchpoint_columns(account, today),
        **_action_columns(account, today),
        **revenue_columns(revenue_year or today.year),
        **trend_columns(account, today),
        last_change=_LAST_CHANGE,
    )


def attach_people(accounts: list[KeyAccount], *, today: date | None = None) -> None:
    """Give each account its leads (`kams`), countries and stale key players (the
    freshness of activities.selectors): three queries for any number.

    Also what the row says without a query: the health band, the plan's status
    ("expired" once its period is over) and the revenue attained.
    """
    year = (today or timezone.localdate()).year
    ids = [a.pk for a in accounts]
    leads = kams_of(ids)
    countries: dict[int, set[str]] = {}
    for account_id, country in _team_countries(sorted(ids)):
        countries.setdefault(account_id, set()).add(country)
    # The stored scores carry the count (scores.page_rows): counted for the others.
    uncounted = [a for a in accounts if not hasattr(a, "stale_key_players")]
    stale = stale_counts(uncounted, today or timezone.localdate())
    for account in uncounted:
        account.stale_key_players = stale.get(account.pk, 0)
    once, classifications = Labels(), dict(KeyAccount.Classification.choices)
    for account in accounts:
        account.classification_label = once(classifications.get(account.classification, ""))
        account.kams = leads.get(account.pk, [])
        codes = {account.hq_country.code} | countries.get(account.pk, set())
        account.country_codes = sorted(codes)
        account.band = band_of(account.health)
        account.band_label = once(account.band.label)
        account.trend = trend_of(account.health, account.trend_score, account.trend_week)
        account.trend_label = once(account.trend.label)
        account.plan_expired = bool(account.plan_end and account.plan_end < year)
        account.plan_status_label = once(
            EXPIRED_LABEL if account.plan_expired else PLAN_STATUSES.get(account.plan_status, "")
        )
        account.attainment = attainment(account.revenue_actual, account.revenue_target)


@prepared
def _team_countries(ids: list[int]) -> QuerySet[Any]:
    return (
        AccountTeamMember.objects.active()
        .filter(account__in=ids)
        .exclude(country="")
        .values_list("account_id", "country")
        .distinct()
    )


def country_choices() -> list[str]:
    """Country codes that occur in the portfolio: headquarters and national roles (one query).

    A handful of countries among thousands of accounts and members: a skip scan
    (a recursive query asking each index for the next code after the last)
    costs one index probe per country, where DISTINCT read every row (8 ms at
    5,000 accounts, and growing). A member's country counts while an active
    account has a member there: a scalar subquery that stops at the first,
    which PostgreSQL does not turn into a join over every member as it does
    an EXISTS.
    """
    accounts = KeyAccount._meta.db_table
    members = AccountTeamMember._meta.db_table
    active = KeyAccount.Status.ACTIVE
    sql = f"""
        WITH RECURSIVE hq(code) AS (
            SELECT MIN(hq_country) FROM {accounts} WHERE status = %s
            UNION ALL
            SELECT (SELECT MIN(hq_country) FROM {accounts} WHERE status = %s AND hq_country > code)
            FROM hq WHERE code IS NOT NULL
        ), served(code) AS (
            SELECT MIN(country) FROM {members} WHERE archived_at IS NULL AND country <> ''
            UNION ALL
            SELECT (
                SELECT MIN(country) FROM {members}
                WHERE archived_at IS NULL AND country <> '' AND country > code
            )
            FROM served WHERE code IS NOT NULL
        )
        SELECT code FROM hq WHERE code IS NOT NULL
        UNION
        SELECT code FROM served WHERE code IS NOT NULL AND (
            SELECT 1 FROM {members} m INNER JOIN {accounts} a ON a.id = m.account_id
            WHERE m.country = served.code AND m.archived_at IS NULL AND m.country <> ''
            AND a.status = %s LIMIT 1
        ) IS NOT NULL
    """  # table names from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [active, active, active])
        return sorted(code for (code,) in cursor.fetchall())


def classification_totals(accounts: QuerySet[KeyAccount]) -> dict[str, int]:
    """{"A": 4, ...}, in one query; the sum counts the accounts (a page needs no COUNT)."""
    return dict(accounts.order_by().values_list("classification").annotate(n=Count("pk")))


def classification_rows(totals: dict[str, int]) -> list[tuple[str, str, int]]:
    choices = KeyAccount.Classification.choices
    return [(value, label, totals.get(value, 0)) for value, label in choices]
