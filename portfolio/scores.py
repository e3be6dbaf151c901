"""Stored health scores: every active account's band without computing every score.

The manager's home counts the portfolio per health band. The score takes
about twenty subqueries per account (portfolio_queryset): 160 ms at 500
accounts and ten times that at 5,000, paid on the first view after any
change anywhere. `fresh_scores` keeps each account's score in HealthScore
with what it was computed from:

- the account's change counter ("account:<pk>" of core.fragments, moved by
  every declared write to the account's data once it commits);
- the weights in force (staff may change them);
- the day (a touchpoint becomes overdue as days pass).

It computes again, in one query and with the very SQL the portfolio page
sorts by, only the accounts where one of these moved, so a change to one
account costs one account's score and the stored and the live score never
disagree.

A change during the computation is safe in the way the fragment cache is:
the counters are read before the data, so a score computed from newer data
is stored under an older counter and computed again on the next read. A
counter update lost right after a commit (the database gone at that moment)
is bounded by MAX_AGE.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from accounts.models import KeyAccount, KeyAccountPlan
from accounts.revenue import revenue_columns
from activities.selectors import stale_counts_by_cutoff
from core.collation import by_name
from core.models import CacheGeneration
from core.prepared import prepared
from opportunities.models import year_bounds
from opportunities.selectors import coverage_parts, set_coverage
from portfolio.models import HEALTH_PARTS, HealthScore, HealthScoreSweep, PlanReview
from portfolio.selectors import attach_people, band_of, portfolio_queryset
from portfolio.weights import weight_columns

MAX_AGE = datetime.timedelta(hours=1)
# Accounts scored per query when many are stale at once (the first view after
# an upgrade, a new day, new weights): bounded memory and statement size.
BATCH = 500
# A sweep that wrote this many rows (the first after an upgrade, each new day,
# new weights) has the table analysed at once: the planner read the empty or old
# table's statistics until autovacuum came by (if it is on), and joined the
# portfolio's page of 25 accounts to all 5,000 stored rows (1.9 ms, not 0.4).
ANALYZE_ROWS = 500

_WEIGHTS = tuple(f"w_{part}" for part in HEALTH_PARTS)
_PARTS = ("plan_points", "raci_points", "tp_points", "team_points")
# The portfolio row's signals a page reads from the stored row (page_rows).
SIGNALS = (
    *("core_size", "extended_size", "raci_total", "raci_complete"),
    *("tp_quarter", "tp_quarter_done", "tp_overdue", "met_in_person", "meeting_planned"),
    *("reviewed_at", "plan_updated", "trend_score", "trend_week", "stale_key_players"),
)
# Copied from the scored row as they are (plan_status: "" without a plan).
_COMPUTED = tuple(name for name in SIGNALS if name != "stale_key_players")
_COPIED = (*_WEIGHTS, *_PARTS, "plan_id", "plan_start", "plan_end", *_COMPUTED)
_PLAN_CHANGES = ("plan_updated_at", "plan_reviewed_at")


def _generation() -> Coalesce:
    """The account's change counter, 0 before its first counted change."""
    scope = Concat(Value("account:"), Cast(OuterRef("pk"), CharField()))
    counter = CacheGeneration.objects.filter(scope=scope).values("value")[:1]
    return Coalesce(Subquery(counter), Value(0))


def stale_accounts(today: datetime.date) -> QuerySet[KeyAccount]:
    """Active accounts without a stored score computed from what is in force now.

    Each with `generation`, its change counter as read now: the score about
    to be computed is stored under it.
    """
    current = HealthScore.objects.filter(
        account=OuterRef("pk"),
        day=today,
        generation=OuterRef("generation"),
        computed_at__gte=timezone.now() - MAX_AGE,
        **{name: OuterRef(name) for name in _WEIGHTS},
    )
    return (
        KeyAccount.objects.active()
        .annotate(generation=_generation(), **weight_columns())
        .filter(~Exists(current))
    )


def refresh(today: datetime.date) -> int:
    """Compute and store the scores of the stale accounts; how many there were.

    One query when nothing at all changed since the last sweep the same day
    (HealthScoreSweep); else every account's counter is read, the stale ones
    scored, and the sweep noted with the "all" counter read before it.
    """
    now = timezone.now()
    last = _last_sweep()
    if last is None:  # once per installation
        HealthScoreSweep.objects.get_or_create(
            pk=HealthScoreSweep.SINGLETON_ID,
            defaults={"all_generation": -1, "day": today, "swept_at": now},
        )
        last = _last_sweep()
    if (
        last["all_generation"] == last["all_now"]
        and last["day"] == today
        and last["swept_at"] >= now - MAX_AGE
    ):
        return 0
    _forget_archived()
    stale = dict(stale_accounts(today).order_by("pk").values_list("pk", "generation"))
    ids = list(stale)
    for start in range(0, len(ids), BATCH):
        _store(today, {pk: stale[pk] for pk in ids[start : start + BATCH]})
    if len(ids) >= ANALYZE_ROWS:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {HealthScore._meta.db_table}")  # the model's table name
    # The counter as read before the sweep: a change committed since has moved it on.
    HealthScoreSweep.objects.filter(pk=HealthScoreSweep.SINGLETON_ID).update(
        all_generation=last["all_now"], day=today, swept_at=now
    )
    return len(ids)


def _forget_archived() -> None:
    """Remove the rows of accounts archived since: the summary counts the rows as they are.

    One statement, as bulk_create writes them: a QuerySet.delete() would send
    each row's signals, and those move the archived account's counters (no
    page shows what is removed here).
    """
    scores, accounts = HealthScore._meta.db_table, KeyAccount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {scores} WHERE account_id IN "  # table names from the models
            f"(SELECT id FROM {accounts} WHERE status <> %s)",
            [KeyAccount.Status.ACTIVE],
        )


def _last_sweep() -> dict | None:
    """The last sweep with the "all" counter as it is now, in one query."""
    return _sweep_row.first()


@prepared
def _sweep_row() -> QuerySet[Any]:
    all_now = CacheGeneration.objects.filter(scope="all").values("value")[:1]
    return (
        HealthScoreSweep.objects.filter(pk=HealthScoreSweep.SINGLETON_ID)
        .annotate(all_now=Coalesce(Subquery(all_now), Value(0)))
        .values("all_generation", "day", "swept_at", "all_now")
        .order_by("pk")[:1]
    )


def _store(today: datetime.date, generations: dict[int, int]) -> None:
    plan = KeyAccountPlan.objects.filter(pk=OuterRef("plan_id"))
    reviews = PlanReview.objects.filter(plan=OuterRef("plan_id")).order_by("-reviewed_at")
    rows = (
        portfolio_queryset(
            today=today, accounts=KeyAccount.objects.filter(pk__in=list(generations))
        )
        .annotate(
            plan_updated_at=Subquery(plan.values("updated_at")[:1]),
            plan_reviewed_at=Subquery(reviews.values("reviewed_at")[:1]),
        )
        .values(
            "pk",
            "name",
            "slug",
            "health",
            "plan_status",
            "freshness_days",
            *_COPIED,
            *_PLAN_CHANGES,
        )
    )
    rows = list(rows)
    stale = stale_counts_by_cutoff(
        {row["pk"]: today - datetime.timedelta(days=row["freshness_days"]) for row in rows}
    )
    now = timezone.now()
    HealthScore.objects.bulk_create(
        [
            HealthScore(
                account_id=row["pk"],
                score=row["health"],
                band=band_of(row["health"]).code,
                day=today,
                generation=generations[row["pk"]],
                computed_at=now,
                plan_status=row["plan_status"] or "",
                name=row["name"],
                slug=row["slug"],
                to_review=_to_review(row, today.year),
                stale_key_players=stale.get(row["pk"], 0),
                **{name: row[name] for name in (*_COPIED, *_PLAN_CHANGES)},
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["account"],
        update_fields=[f.name for f in HealthScore._meta.concrete_fields if not f.primary_key],
    )


def _to_review(row: dict, year: int) -> bool:  # type: ignore[type-arg]
    """A current plan not reviewed since its last change (portfolio.summary's list).

    "The plan" is the one the workspace shows (KeyAccountPlan.current_first, as
    portfolio_queryset's plan_id). An expired plan counts as none, so it is not
    for review: the leads must start the next one.
    """
    if row["plan_id"] is None or row["plan_end"] < year:
        return False
    reviewed = row["plan_reviewed_at"]
    return reviewed is None or (
        row["plan_updated_at"] is not None and reviewed < row["plan_updated_at"]
    )


def fresh_scores(today: datetime.date) -> QuerySet[HealthScore]:
    """The stored scores of every active account, each computed from what is in force.

    `refresh` has just removed the rows of accounts archived since: the rows
    are counted as they are, without a join (an account archived in the
    milliseconds between counts once more).
    """
    refresh(today)
    return HealthScore.objects.all()


def with_names(scores: QuerySet[HealthScore]) -> QuerySet[HealthScore]:
    """The scores in the order of their accounts' names (stored with them)."""
    return scores.order_by(*by_name("name"), "account_id")


def page_rows(
    ids: list[int],
    *,
    today: datetime.date | None = None,
    revenue_year: int | None = None,
    refreshed: bool = False,
) -> list[KeyAccount]:
    """The accounts `ids` with every portfolio column, in the order of `ids`.

    The score, its parts and the signals are the stored ones, brought up to
    date first: one join instead of the thirty-odd subqueries the database
    would run per account again, and that Django would build and compile on
    every first render (two thirds of its time). Read live: the revenue of
    the chosen year and the pipeline (its stages' probabilities are a
    catalogue, whose changes move no account's counter).
    """
    today = today or timezone.localdate()
    if not refreshed:  # `refresh` ran in this request already (a sort by health)
        refresh(today)
    # The pipeline's columns from four subqueries, worked out in Python
    # (coverage_parts): with_coverage's own SQL repeats them 17 times.
    same_year = (revenue_year or today.year) == today.year
    first, last = year_bounds(today.year)
    shown_year = revenue_year or today.year
    rows = _page_accounts(sorted(ids), shown_year, today.year, first, last, same_year)
    found = {a.pk: a for a in rows}
    unscored = [pk for pk, a in found.items() if not _has_stored(a)]
    for account in found.values():
        set_coverage(account, revenue_of_year=same_year)
        if account.pk not in unscored:
            _copy_stored(account)
    if unscored:  # activated after `refresh` read the accounts: computed live
        live = KeyAccount.objects.filter(pk__in=unscored)
        found.update(
            (a.pk, a)
            for a in portfolio_queryset(today=today, revenue_year=revenue_year, accounts=live)
        )
    page = [found[pk] for pk in ids if pk in found]  # one archived meanwhile is left out
    attach_people(page, today=today)
    return page


@prepared
def _page_accounts(
    ids: list[int],
    revenue_year: int,
    year: int,
    first: datetime.date,
    last: datetime.date,
    revenue_of_year: bool,
) -> QuerySet[KeyAccount]:
    """The page's accounts with their stored score and the revenue and pipeline columns."""
    parts = coverage_parts(year, revenue_of_year=revenue_of_year, closing=(first, last))
    return (
        KeyAccount.objects.filter(pk__in=ids)
        .select_related("stored_health")
        .annotate(**revenue_columns(revenue_year))
        .annotate(**parts)
    )


def _has_stored(account: KeyAccount) -> bool:
    try:
        account.stored_health  # noqa: B018 (the select_related row, or the exception)
    except HealthScore.DoesNotExist:
        return False
    return True


def _copy_stored(account: KeyAccount) -> None:
    """The stored row's columns on the account, as portfolio_queryset names them."""
    stored = account.stored_health
    account.health = stored.score
    for name in (*_COPIED, "plan_status", "stale_key_players"):
        setattr(account, name, getattr(stored, name))
    account.last_change = max(account.updated_at, stored.plan_updated or account.updated_at)
