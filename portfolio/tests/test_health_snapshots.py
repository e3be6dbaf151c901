"""Weekly health snapshots and the manager's summary built on them (portfolio.summary)."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import KeyAccount
from portfolio.models import HealthBand, HealthSnapshot, PlanReview
from portfolio.scores import refresh
from portfolio.selectors import BANDS, band_of, portfolio_queryset
from portfolio.services import snapshot_health, week_of
from portfolio.summary import portfolio_summary
from tests.factories import KeyAccountFactory, PlanFactory
from tests.fixtures import World

TODAY = datetime.date(2026, 12, 2)  # a Wednesday
MONDAY = datetime.date(2026, 11, 30)
LAST_WEEK = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def test_a_week_is_known_by_its_monday() -> None:
    assert week_of(TODAY) == MONDAY
    assert week_of(MONDAY) == MONDAY
    assert week_of(datetime.date(2026, 12, 6)) == MONDAY  # Sunday


def test_the_stored_bands_are_the_portfolios() -> None:
    assert list(HealthBand.values) == list(BANDS)


def test_snapshot_writes_every_active_accounts_score_once_a_week(world: World) -> None:
    archived = KeyAccountFactory(status="archived")
    assert snapshot_health(today=TODAY) == 1
    snapshot = HealthSnapshot.objects.get()
    score = portfolio_queryset(today=TODAY).get(pk=world.account.pk).health
    assert (snapshot.account, snapshot.week, snapshot.score) == (world.account, MONDAY, score)
    assert snapshot.band == band_of(score).code
    assert not HealthSnapshot.objects.filter(account=archived).exists()


def test_running_it_again_in_the_same_week_replaces_the_weeks_snapshot(world: World) -> None:
    snapshot_health(today=TODAY)
    world.meeting.delete()  # no team meeting any more: 25 points less
    snapshot_health(today=MONDAY)
    snapshot = HealthSnapshot.objects.get()
    assert snapshot.score == portfolio_queryset(today=TODAY).get(pk=world.account.pk).health
    snapshot_health(today=MONDAY + datetime.timedelta(days=7))
    assert HealthSnapshot.objects.count() == 2


def test_one_snapshot_per_account_and_week_in_the_database(world: World) -> None:
    HealthSnapshot.objects.create(account=world.account, week=MONDAY, score=40, band="risk")
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthSnapshot.objects.create(account=world.account, week=MONDAY, score=41, band="risk")
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthSnapshot.objects.create(account=world.account, week=LAST_WEEK, score=101, band="x")


def test_the_command_takes_this_weeks_snapshot(world: World) -> None:
    out = StringIO()
    call_command("snapshot_health", stdout=out)
    call_command("snapshot_health", stdout=out)
    assert "week of 2026-11-30: 1 account(s)" in out.getvalue()
    assert HealthSnapshot.objects.filter(week=MONDAY).count() == 1


# The manager's summary --------------------------------------------------------


def test_without_last_weeks_snapshot_there_is_no_change(world: World) -> None:
    summary = portfolio_summary(today=TODAY)
    assert summary.total == 1 and summary.compared_with is None
    assert all(b.change is None for b in summary.bands)
    assert sum(b.count for b in summary.bands) == 1


def test_a_drop_into_a_worse_band_is_named(world: World) -> None:
    score = portfolio_queryset(today=TODAY).get(pk=world.account.pk).health
    now = band_of(score).code
    assert now != "healthy"  # the world's account: a draft plan, no RACI letters
    HealthSnapshot.objects.create(account=world.account, week=LAST_WEEK, score=90, band="healthy")
    gone = KeyAccountFactory(status="archived")  # counted last week, archived since
    HealthSnapshot.objects.create(account=gone, week=LAST_WEEK, score=20, band="risk")
    summary = portfolio_summary(today=TODAY)
    assert summary.compared_with == LAST_WEEK
    changes = {b.band.code: b.change for b in summary.bands}
    assert changes["healthy"] == -1
    assert changes[now] == (1 if now == "watch" else 0)
    [dropped] = summary.dropped
    assert (dropped.name, dropped.was.code, dropped.band.code) == ("Nordwind AG", "healthy", now)
    assert dropped.url == reverse("accounts:health", args=[world.account.slug])
    risk = next(b for b in summary.bands if b.band.code == "risk")
    assert risk.url == reverse("portfolio:portfolio") + "?health=risk"


def test_plans_never_reviewed_or_changed_since_are_to_review(world: World) -> None:
    assert [a.name for a in portfolio_summary(today=TODAY).to_review] == ["Nordwind AG"]
    PlanReview.objects.create(plan=world.plan, reviewed_by=world.manager, comment="Fine.")
    assert portfolio_summary(today=TODAY).to_review == []
    world.plan.strategy = "Changed after the review."
    world.plan.save()
    [line] = portfolio_summary(today=TODAY).to_review
    assert line.url == reverse("accounts:plan_detail", args=[world.account.slug, world.plan.pk])
    assert line.plan_period == "2026–2028"


def test_an_expired_plan_is_not_for_review_but_expired(world: World) -> None:
    world.plan.start_year, world.plan.end_year = 2023, 2025
    world.plan.save()
    summary = portfolio_summary(today=TODAY)
    assert summary.to_review == []
    assert [a.name for a in summary.expired] == ["Nordwind AG"]


def test_the_summary_costs_the_same_for_many_accounts(
    world: World, django_assert_num_queries
) -> None:
    refresh(TODAY)  # the installation's first sweep, once
    # The last sweep; nothing changed since: the summary's 6 (the bands now with
    # the sizes of two lists, last week's bands, each list's first names, and
    # the count of the dropped ones).
    with django_assert_num_queries(7):
        portfolio_summary(today=TODAY)
    for _ in range(10):
        PlanFactory(account=KeyAccountFactory())
    snapshot_health(today=TODAY - datetime.timedelta(days=7))
    # The sweep, rows of archived accounts removed, the stale list, the ten new
    # accounts scored, their key players not met lately and stored in one query
    # each, the sweep noted, the summary's 6.
    with django_assert_num_queries(13):
        portfolio_summary(today=TODAY)
    with django_assert_num_queries(7):
        summary = portfolio_summary(today=TODAY)
    assert summary.total == 11 == KeyAccount.objects.active().count()


def test_each_list_names_its_first_ten_and_counts_all(world: World) -> None:
    for i in range(12):
        account = KeyAccountFactory(name=f"Account {i:02d}")
        PlanFactory(account=account, start_year=2023, end_year=2025)
    for i in range(11):  # current plans nobody reviewed yet, besides the world's
        PlanFactory(account=KeyAccountFactory(name=f"Current {i:02d}"))
    summary = portfolio_summary(today=TODAY)
    assert summary.expired_count == 12 and len(summary.expired) == 10
    assert [a.name for a in summary.expired][:2] == ["Account 00", "Account 01"]
    assert summary.to_review_count == 12 and len(summary.to_review) == 10
    assert [a.name for a in summary.to_review][:2] == ["Current 00", "Current 01"]
    assert summary.total == 24 == sum(band.count for band in summary.bands)


# The demo -------------------------------------------------------------------


def test_the_demo_seeds_twelve_weeks_and_one_account_dropped_a_band(db: None) -> None:
    call_command("demo", stdout=StringIO())
    active = KeyAccount.objects.active().count()
    assert HealthSnapshot.objects.count() == 12 * active
    weeks = sorted(set(HealthSnapshot.objects.values_list("week", flat=True)))
    assert (
        len(weeks) == 12
        and weeks[-1] == MONDAY
        and weeks[0] == MONDAY - datetime.timedelta(weeks=11)
    )
    summary = portfolio_summary(today=TODAY)
    assert [a.slug for a in summary.dropped] == ["brightline-pharma"]
    before = list(HealthSnapshot.objects.order_by("pk").values("account", "week", "score"))
    call_command("demo", stdout=StringIO())  # again: the same rows
    assert list(HealthSnapshot.objects.order_by("pk").values("account", "week", "score")) == before
