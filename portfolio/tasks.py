"""The portfolio's scheduled work, run by the task worker (core.schedule)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from portfolio.services import snapshot_health


@task()
def weekly_health_snapshot(scheduled_for: str = "") -> int:
    """This week's health of every active account; leads of accounts that dropped a
    band are told (registered for Monday morning in PortfolioConfig.ready)."""
    return snapshot_health(today=timezone.localdate())
