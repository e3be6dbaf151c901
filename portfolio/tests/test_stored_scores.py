"""Stored health scores (portfolio.scores): the live score, computed again only where needed."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from accounts.models import KeyAccount, KeyAccountPlan
from portfolio.models import HealthScore, HealthWeights
from portfolio.scores import MAX_AGE, fresh_scores, refresh
from portfolio.selectors import band_of, portfolio_queryset
from raci.models import RaciAssignment, RaciTask
from tests.factories import KeyAccountFactory, PlanFactory, role
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
    # The last sweep, the stale list, 3 batches of score and store, the sweep noted.
    with mock.patch("portfolio.scores.BATCH", 2), django_assert_num_queries(1 + 1 + 3 * 2 + 1):
        assert refresh(TODAY) == 5
    assert _stored() == _live()


def test_nothing_changed_costs_one_query(world: World, django_assert_num_queries) -> None:
    """No change at all since the last sweep the same day: no account's counter is read."""
    assert refresh(TODAY) == 1
    with django_assert_num_queries(1):
        assert refresh(TODAY) == 0
    world.contact.first_name = "Maximilian"  # any change anywhere: every counter is read
    world.contact.save()
    # The sweep, the stale list, the account scored and stored, the sweep noted.
    with django_assert_num_queries(5):
        assert refresh(TODAY) == 1
    later = timezone.now() + MAX_AGE + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert refresh(TODAY) == 1  # an hour on: every account's own age too
