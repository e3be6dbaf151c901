"""Write this week's health snapshot of every active account.

Run it once a week (the scheduled jobs do; README, "Production: background
work"); running it again in the same week replaces that week's snapshots with
the scores of now. The managers' home page compares the health of now with
last week's snapshot.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from portfolio.services import snapshot_health, week_of


class Command(BaseCommand):
    help = "Write this week's health snapshot of every active key account (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        count = snapshot_health(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Health snapshot of the week of {week_of(today):%Y-%m-%d}: {count} account(s)."
            )
        )
