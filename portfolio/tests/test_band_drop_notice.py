"""An account that drops a health band tells its leads, once (issue 14)."""

from __future__ import annotations

import datetime

from notifications.kinds import Kind
from notifications.models import Notification
from portfolio.models import HealthSnapshot
from portfolio.selectors import band_of, portfolio_queryset
from portfolio.services import snapshot_health, week_of
from tests.fixtures import World

TODAY = datetime.date(2026, 12, 2)


def _band_now(world: World) -> str:
    account = portfolio_queryset(today=TODAY).get(pk=world.account.pk)
    return band_of(account.health).code


def test_a_band_drop_tells_the_leads_once(world: World) -> None:
    now = _band_now(world)
    assert now != "healthy"  # the fixture's account is not healthy
    HealthSnapshot.objects.create(
        account=world.account, week=week_of(TODAY) - datetime.timedelta(days=7), score=90,
        band="healthy",
    )  # fmt: skip
    snapshot_health(today=TODAY)
    snapshot_health(today=TODAY)  # again the same week: nobody is told twice
    (notice,) = Notification.objects.filter(kind=Kind.HEALTH_BAND_DROPPED)
    assert notice.recipient == world.lead and notice.account == world.account
    assert "dropped from healthy to" in notice.text()
    assert notice.url.endswith(f"/accounts/{world.account.slug}/health/")


def test_the_same_band_as_last_week_tells_nobody(world: World) -> None:
    HealthSnapshot.objects.create(
        account=world.account, week=week_of(TODAY) - datetime.timedelta(days=7), score=10,
        band=_band_now(world),
    )  # fmt: skip
    snapshot_health(today=TODAY)
    assert not Notification.objects.filter(kind=Kind.HEALTH_BAND_DROPPED).exists()
