"""An account that drops a health band tells its leads and the managers, once (issues 14, 18)."""

from __future__ import annotations

import datetime

from notifications.kinds import Kind
from notifications.models import Notification, NotificationPreference
from portfolio.models import HealthSnapshot
from portfolio.selectors import band_of, portfolio_queryset
from portfolio.services import snapshot_health, week_of
from tests.fixtures import World

TODAY = datetime.date(2026, 12, 2)


def _band_now(world: World) -> str:
    account = portfolio_queryset(today=TODAY).get(pk=world.account.pk)
    return band_of(account.health).code


def test_a_band_drop_tells_the_leads_and_the_managers_once(world: World) -> None:
    now = _band_now(world)
    assert now != "healthy"  # the fixture's account is not healthy
    HealthSnapshot.objects.create(
        account=world.account, week=week_of(TODAY) - datetime.timedelta(days=7), score=90,
        band="healthy",
    )  # fmt: skip
    snapshot_health(today=TODAY)
    snapshot_health(today=TODAY)  # again the same week: nobody is told twice
    notices = Notification.objects.filter(kind=Kind.HEALTH_BAND_DROPPED).order_by("pk")
    # The manager is on no team of this account; the member and staff hear nothing.
    assert [n.recipient for n in notices] == [world.lead, world.manager]
    for notice in notices:
        assert notice.account == world.account
        assert "dropped from healthy to" in notice.text()
        assert notice.url.endswith(f"/accounts/{world.account.slug}/health/")


def test_a_manager_who_turned_off_the_kind_hears_nothing(world: World) -> None:
    NotificationPreference.objects.create(
        user=world.manager, kind=Kind.HEALTH_BAND_DROPPED, channel="off"
    )
    HealthSnapshot.objects.create(
        account=world.account, week=week_of(TODAY) - datetime.timedelta(days=7), score=90,
        band="healthy",
    )  # fmt: skip
    snapshot_health(today=TODAY)
    notices = Notification.objects.filter(kind=Kind.HEALTH_BAND_DROPPED)
    assert [n.recipient for n in notices] == [world.lead]


def test_the_same_band_as_last_week_tells_nobody(world: World) -> None:
    HealthSnapshot.objects.create(
        account=world.account, week=week_of(TODAY) - datetime.timedelta(days=7), score=10,
        band=_band_now(world),
    )  # fmt: skip
    snapshot_health(today=TODAY)
    assert not Notification.objects.filter(kind=Kind.HEALTH_BAND_DROPPED).exists()
