"""Writes of the portfolio: weekly health snapshots, and which lead read a plan review."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from accounts.access import AccountAccess
from accounts.models import KeyAccount, KeyAccountPlan
from core import fragments
from notifications.services import notify_health_band_dropped
from notifications.texts import in_every_language
from portfolio.models import HealthSnapshot, PlanReview, PlanReviewRead
from portfolio.selectors import BANDS, band_of, portfolio_queryset, week_of
from users.models import User


def snapshot_health(*, today: datetime.date) -> int:
    """Write this week's health snapshot of every active account; return how many.

    Idempotent: run again in the same week, it replaces the week's snapshots
    with the scores of now (one row per account and week). The score is the
    portfolio's (portfolio_queryset), so the trend and the page agree.
    """
    week = week_of(today)
    rows = list(portfolio_queryset(today=today).order_by("pk").values_list("pk", "health"))
    last_week = dict(
        HealthSnapshot.objects.filter(week=week - datetime.timedelta(days=7)).values_list(
            "account_id", "band"
        )
    )
    this_week = dict(HealthSnapshot.objects.filter(week=week).values_list("account_id", "band"))
    snapshots = [
        HealthSnapshot(account_id=pk, week=week, score=health, band=band_of(health).code)
        for pk, health in rows
    ]
    HealthSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["account", "week"],
        update_fields=["score", "band", "taken_at"],
    )
    # bulk_create sends no signals: the managers' home pages (cached across
    # accounts, core.fragments) must still see the new week.
    fragments.bump(fragments.ALL)
    dropped = [
        (s.account_id, last_week[s.account_id], s.band)
        for s in snapshots
        if s.account_id in last_week
        and _worse(s.band, than=last_week[s.account_id])
        # Told once a week: a second run that finds the same band tells nobody again.
        and not (s.account_id in this_week and not _worse(s.band, than=this_week[s.account_id]))
    ]
    _tell_leads(dropped)
    return len(snapshots)


def _worse(band: str, *, than: str) -> bool:
    order = list(BANDS)  # healthy, watch, risk
    return order.index(band) > order.index(than)


def _tell_leads(dropped: list[tuple[int, str, str]]) -> None:
    """Tell the leads of each account that dropped a band since last week."""
    accounts = KeyAccount.objects.in_bulk([pk for pk, _before, _now in dropped])
    for pk, before, now in dropped:
        account = accounts[pk]
        notify_health_band_dropped(
            account=account,
            previous=in_every_language(lambda b=before: BANDS[b].label),
            band=in_every_language(lambda b=now: BANDS[b].label),
            url=reverse("accounts:health", args=[account.slug]),
        )


def plan_reviews_read(*, user: User, reviews: QuerySet[PlanReview]) -> int:
    """Mark `reviews` read by `user`; return how many were unread.

    Past the model's signals (bulk_create): a read review leaves only the
    reader's home page, cached across accounts, so only "all" needs to move,
    not the counters of every account's pages.
    """
    unread = list(reviews.exclude(reads__user=user).values_list("pk", flat=True))
    if unread:
        PlanReviewRead.objects.bulk_create(
            [PlanReviewRead(review_id=pk, user=user) for pk in unread], ignore_conflicts=True
        )
        fragments.bump(fragments.ALL)
    return len(unread)


def reviews_read_on_open(
    sender: Any, *, plan: KeyAccountPlan, access: AccountAccess, **kwargs: Any
) -> None:
    """accounts.signals.plan_opened: a lead who opens the plan has seen its reviews.

    Only leads: the reviews are addressed to them (the home page lists them
    for leads only); a member or a reviewing manager reading along marks nothing.
    """
    if access.is_lead:
        plan_reviews_read(user=access.user, reviews=plan.reviews.all())
