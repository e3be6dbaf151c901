"""Stored health scores (portfolio.scores): the live score, computed again only where needed."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from accounts.models import AccountTeamMember, BuyingCentreRole, KeyAccount, KeyAccountPlan
from activities.models import Activity
from activities.selectors import stale_counts
from portfolio.models import HealthScore, HealthSnapshot, HealthWeights, PlanReview
from portfolio.scores import MAX_AGE, fresh_scores, page_rows, refresh
from portfolio.selectors import band_of, portfolio_queryset
from raci.models import RaciAssignment, RaciTask
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    PlanFactory,
    TeamMemberFactory,
    role,
)
from tests.fixtures import World
from touchpoints.models import TeamMeeting, Touchpoint

TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _live() -> dict[int, int]:
    return dict(portfolio_queryset(today=TODAY).values_list("pk", "health"))


def _stored() -> dict[int, int]:
    return dict(fresh_scores(TODAY).values_list("account_id", "score"))


# Every column of a portfolio row that its template shows.
SHOWN = (
    *("health", "plan_points", "raci_points", "tp_points", "team_points"),
    *("plan_id", "plan_start", "plan_end", "core_size", "extended_size"),
    *("raci_total", "raci_complete", "tp_quarter", "tp_quarter_done", "tp_overdue"),
    *("met_in_person", "meeting_planned", "reviewed_at", "trend_score", "trend_week"),
    *("last_change", "revenue_actual", "revenue_target", "pipeline_coverage", "pipeline_gap"),
    *("w_plan", "w_responsibilities", "w_execution", "w_team"),
)


def _columns(accounts: list[KeyAccount]) -> dict[int, dict[str, object]]:
    return {a.pk: {name: getattr(a, name) for name in SHOWN} for a in accounts}


def _page_shows_the_live_row() -> None:
    """The page's rows (stored signals, scores.page_rows) equal portfolio_queryset's."""
    live = _columns(list(portfolio_queryset(today=TODAY)))
    assert _columns(page_rows(list(live), today=TODAY)) == live


def test_the_stored_score_follows_every_kind_of_change(world: World) -> None:
    """After each change the home page's source agrees with the portfolio's SQL."""
    assert _stored() == _live()
    before = _stored()[world.account.pk]
    # The plan agreed (plan part), a complete RACI task (responsibilities), an
    # overdue touchpoint (execution), an in-person meeting (team).
    world.plan.status = KeyAccountPlan.Status.AGREED
    world.plan.save()
    assert _stored() == _live() and _stored()[world.account.pk] > before
    task = RaciTask.objects.create(account=world.account, name="Frame contract")
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=task, role=role("inside-sales"), letter="R")
    assert _stored() == _live()
    Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=1,
        kind="content",
        title="Late",
        owner=world.lead_membership,
    )
    assert _stored() == _live()
    TeamMeeting.objects.create(
        account=world.account, year=2026, quarter=4, format="in_person", purpose="Kick-off"
    )
    assert _stored() == _live()
    band = HealthScore.objects.get(account=world.account).band
    assert band == band_of(_live()[world.account.pk]).code
    _page_shows_the_live_row()


def test_the_page_shows_the_live_signals_after_each_change(world: World) -> None:
    """Team sizes, tasks, this quarter's touchpoints, meetings, reviews, the trend's
    snapshot and the last change: stored, and equal to the live SQL after each."""
    _page_shows_the_live_row()
    TeamMemberFactory(account=world.account, team=AccountTeamMember.Team.EXTENDED)
    _page_shows_the_live_row()
    RaciTask.objects.create(account=world.account, name="Pricing")
    _page_shows_the_live_row()
    touchpoint = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=4,
        kind="content",
        title="This quarter",
        owner=world.lead_membership,
    )
    _page_shows_the_live_row()
    touchpoint.status = Touchpoint.Status.DONE
    touchpoint.save()
    _page_shows_the_live_row()
    TeamMeeting.objects.create(
        account=world.account, year=2026, quarter=4, format="in_person", purpose="Kick-off"
    )
    _page_shows_the_live_row()
    PlanReview.objects.create(plan=world.plan, reviewed_by=world.manager, comment="Ok")
    _page_shows_the_live_row()
    HealthSnapshot.objects.create(
        account=world.account, week=TODAY - datetime.timedelta(weeks=4), score=40, band="risk"
    )
    _page_shows_the_live_row()
    world.plan.strategy = "Grow the service business."
    world.plan.save()
    row = page_rows([world.account.pk], today=TODAY)[0]
    assert (row.trend_score, row.reviewed_at is not None, row.tp_quarter_done) == (40, True, 1)
    assert row.last_change == KeyAccountPlan.objects.get(pk=world.plan.pk).updated_at
    _page_shows_the_live_row()


def test_a_change_to_one_account_scores_that_account_only(world: World) -> None:
    other = KeyAccountFactory()
    PlanFactory(account=other)
    assert refresh(TODAY) == 2
    assert refresh(TODAY) == 0  # nothing moved
    untouched = HealthScore.objects.get(account=other).computed_at
    world.plan.strategy = "Changed."
    world.plan.save()
    assert refresh(TODAY) == 1
    assert HealthScore.objects.get(account=other).computed_at == untouched
    assert HealthScore.objects.get(account=world.account).computed_at > untouched


def test_a_new_day_new_weights_and_age_score_again(world: World) -> None:
    assert refresh(TODAY) == 1
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert refresh(tomorrow) == 1 and refresh(tomorrow) == 0
    HealthWeights.objects.create(
        pk=HealthWeights.SINGLETON_ID, plan=70, responsibilities=10, execution=10, team=10
    )
    assert refresh(tomorrow) == 1
    stored = HealthScore.objects.get(account=world.account)
    assert (stored.w_plan, stored.score) == (70, _live_on(tomorrow)[world.account.pk])
    later = timezone.now() + MAX_AGE + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert refresh(tomorrow) == 1


def _live_on(day: datetime.date) -> dict[int, int]:
    return dict(portfolio_queryset(today=day).values_list("pk", "health"))


def test_archived_accounts_are_not_in_the_summary_source(world: World) -> None:
    other = KeyAccountFactory()
    assert set(_stored()) == {world.account.pk, other.pk}
    other.status = KeyAccount.Status.ARCHIVED
    other.save()
    assert set(_stored()) == {world.account.pk}


def test_many_stale_accounts_are_scored_in_batches(world: World, django_assert_num_queries) -> None:
    assert refresh(TODAY) == 1
    for _ in range(5):
        KeyAccountFactory()
    # The last sweep, archived rows removed, the stale list, 3 batches of score,
    # key players not met lately and store, the sweep noted.
    with mock.patch("portfolio.scores.BATCH", 2), django_assert_num_queries(1 + 1 + 1 + 3 * 3 + 1):
        assert refresh(TODAY) == 5
    assert _stored() == _live()


def test_a_sweep_of_many_rows_brings_the_planners_statistics_up_to_date(world: World) -> None:
    """Without it the planner joined a page of accounts to every stored row of a
    table it still took for empty (autovacuum may be off, or a minute away)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        KeyAccountFactory()
    table = HealthScore._meta.db_table
    with mock.patch("portfolio.scores.ANALYZE_ROWS", 4), CaptureQueriesContext(connection) as ctx:
        assert refresh(TODAY) == 3  # fewer rows than that: no ANALYZE
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("ANALYZE")]
    tomorrow = TODAY + datetime.timedelta(days=1)
    with mock.patch("portfolio.scores.ANALYZE_ROWS", 3), CaptureQueriesContext(connection) as ctx:
        assert refresh(tomorrow) == 3
    assert [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("ANALYZE")] == [
        f"ANALYZE {table}"
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            assert cursor.fetchone()[0] == 3


def test_nothing_changed_costs_one_query(world: World, django_assert_num_queries) -> None:
    """No change at all since the last sweep the same day: no account's counter is read."""
    assert refresh(TODAY) == 1
    with django_assert_num_queries(1):
        assert refresh(TODAY) == 0
    world.contact.first_name = "Maximilian"  # any change anywhere: every counter is read
    world.contact.save()
    # The sweep, archived rows removed, the stale list, the account scored, its
    # key players not met lately, stored, the sweep noted.
    with django_assert_num_queries(7):
        assert refresh(TODAY) == 1
    later = timezone.now() + MAX_AGE + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert refresh(TODAY) == 1  # an hour on: every account's own age too


def _stale_shown(world: World, day: datetime.date = TODAY) -> tuple[int, int]:
    """(the page's stored count, the count activities.selectors makes live)."""
    row = page_rows([world.account.pk], today=day)[0]
    account = KeyAccount.objects.get(pk=world.account.pk)
    return row.stale_key_players, stale_counts([account], day).get(account.pk, 0)


def test_key_players_not_met_lately_are_stored_and_follow_each_change(world: World) -> None:
    """The count under the touchpoints column: stored with the score, equal to the
    live count after a key player is added, met, and as the days pass."""
    assert _stale_shown(world) == (0, 0)
    boss = ContactFactory(account=world.account, last_name="Boss")
    boss.buying_roles.set([BuyingCentreRole.objects.get(code="decider")])
    assert _stale_shown(world) == (1, 1)  # never met
    activity = Activity.objects.create(
        account=world.account, subject="Visit", happened_on=TODAY, logged_by=world.lead
    )
    activity.contacts.set([boss])
    assert _stale_shown(world) == (0, 0)  # met today
    later = TODAY + datetime.timedelta(days=world.account.freshness_days + 1)
    assert _stale_shown(world, later) == (1, 1)  # not lately any more
    world.account.freshness_days = 730
    world.account.save()
    assert _stale_shown(world, later) == (0, 0)  # a longer rhythm for this account
