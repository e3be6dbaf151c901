"""`manage.py run_scheduled`: enqueue the scheduled jobs that are due (core.schedule).

Run it every few minutes from cron or a systemd timer (deploy/systemd/); it
is cheap when nothing is due and safe to run twice or on several servers.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core import schedule
from core.models import ScheduledRun


class Command(BaseCommand):
    help = "Enqueue every scheduled job that is due and has not run for its period yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="list the jobs and their periods, enqueue nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        outcome = schedule.run_due()
        for job, period in outcome.started:
            self.stdout.write(f"Enqueued {job.name} for {period}")
        if outcome.failed:
            names = ", ".join(f"{job.name} ({error!r})" for job, _period, error in outcome.failed)
            raise CommandError(f"Could not enqueue, left due for the next run: {names}")
        if not outcome.started and options["verbosity"] > 1:
            self.stdout.write("Nothing due.")

    def _list(self) -> None:
        now = timezone.now()
        jobs = schedule.jobs()
        if not jobs:
            self.stdout.write("No scheduled jobs are registered.")
        done = set(ScheduledRun.objects.values_list("job", "period"))
        for job in jobs.values():
            period = job.period(now)
            state = "done" if (job.name, period) in done else "due"
            self.stdout.write(f"{job.name}: {job.cadence}; period {period}: {state}")
