"""`manage.py send_digests`: this week's digest to everyone who has something in it.

The scheduler runs it on Monday mornings (`manage.py run_scheduled`); run
by hand it does the same. Running it again in the same week sends nothing
twice; a person whose digest failed is tried again by the next run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workspace.digest import send_digests


class Command(BaseCommand):
    help = "Queue this week's digest mail for everyone with overdue, due or new items."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_digests()
        self.stdout.write(
            f"Weekly digests queued: {run.sent}; nothing to tell: {run.empty}; "
            f"failed: {len(run.failed)}"
        )
        if run.failed:
            raise CommandError(
                "No digest for " + ", ".join(run.failed) + " (logged; the next run tries again)"
            )
