"""Work that runs by the calendar: a registry of jobs and the check which are due.

An app registers its jobs in ``AppConfig.ready()``::

    from core import schedule

    schedule.register("touchpoints.reminders", send_reminders, schedule.daily("06:00"))
    schedule.register("notifications.digest", send_digests, schedule.weekly("monday", "06:00"))

The task (a django_tasks ``@task``) is enqueued with one keyword argument,
``scheduled_for``: the occurrence it runs for as ISO 8601 text, so a job
can tell which day or week it covers.

``manage.py run_scheduled``, run by cron or a systemd timer every few
minutes (README, "Production: background work"), enqueues every job whose
latest occurrence (in settings.TIME_ZONE) has passed and has not run yet.
A ScheduledRun row per job and occurrence, unique in the database, makes
that once per period however often, and on however many servers at the
same moment, the command runs. An occurrence missed while nothing ran
(a server down over the weekend) is made up once, by the next run; older
ones are not.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from core.models import ScheduledRun

logger = logging.getLogger(__name__)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Cadence:
    """When a job runs: every day at `at`, or once a week on `weekday` (0 = Monday) at `at`."""

    at: datetime.time
    weekday: int | None = None

    def latest(self, now: datetime.datetime) -> datetime.datetime:
        """The last occurrence at or before `now` (aware, in settings.TIME_ZONE)."""
        zone = ZoneInfo(settings.TIME_ZONE)
        day = now.astimezone(zone).date()
        step = datetime.timedelta(days=1 if self.weekday is None else 7)
        if self.weekday is not None:
            day -= datetime.timedelta(days=(day.weekday() - self.weekday) % 7)
        occurrence = datetime.datetime.combine(day, self.at, tzinfo=zone)
        if occurrence > now:  # not reached yet today (this week): the one before
            occurrence = datetime.datetime.combine(day - step, self.at, tzinfo=zone)
        return occurrence

    def __str__(self) -> str:
        at = self.at.strftime("%H:%M")
        if self.weekday is None:
            return f"daily at {at}"
        return f"weekly on {WEEKDAYS[self.weekday].capitalize()} at {at}"


def _time(at: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(at)
    except ValueError as error:
        raise ImproperlyConfigured(f"schedule: a time of day such as 06:00, got {at!r}") from error


def daily(at: str) -> Cadence:
    """Every day at `at` ("06:00"), local time."""
    return Cadence(_time(at))


def weekly(weekday: str, at: str) -> Cadence:
    """Every week on `weekday` ("monday") at `at` ("06:00"), local time."""
    if weekday.lower() not in WEEKDAYS:
        raise ImproperlyConfigured(f"schedule: a weekday such as monday, got {weekday!r}")
    return Cadence(_time(at), WEEKDAYS.index(weekday.lower()))


@dataclass(frozen=True)
class Job:
    name: str
    task: Task[..., Any]
    cadence: Cadence

    def period(self, now: datetime.datetime) -> str:
        """The key of the period due at `now`: its occurrence, "2026-03-02T06:00+01:00"."""
        return self.cadence.latest(now).isoformat(timespec="minutes")


_jobs: dict[str, Job] = {}


def register(name: str, task: Task[..., Any], cadence: Cadence) -> None:
    """Add a job; call it from AppConfig.ready(). Names are "<app>.<job>" and unique."""
    if not isinstance(task, Task):
        raise ImproperlyConfigured(f"schedule: {name!r} needs a django_tasks @task, got {task!r}")
    if not name or len(name) > ScheduledRun._meta.get_field("job").max_length:
        raise ImproperlyConfigured(f"schedule: job names have 1 to 100 characters: {name!r}")
    if name in _jobs:
        raise ImproperlyConfigured(f"schedule: a job named {name!r} is registered already")
    _jobs[name] = Job(name, task, cadence)


def jobs() -> Mapping[str, Job]:
    """Every registered job by name (read-only)."""
    return MappingProxyType(_jobs)


@dataclass
class Outcome:
    """What one run_due() did: the (job, period) pairs enqueued, and those that failed."""

    started: list[tuple[Job, str]]
    failed: list[tuple[Job, str, Exception]]


def run_due(*, now: datetime.datetime | None = None) -> Outcome:
    """Enqueue every job due at `now` that has not run for its period.

    A job whose task cannot be enqueued (the queue is down) is logged and
    left due for the next run; the other jobs go on.
    """
    now = now or timezone.now()
    outcome = Outcome([], [])
    for job in _jobs.values():
        period = job.period(now)
        try:
            # The record and the task together: a queue that fails leaves the period open.
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        ScheduledRun.objects.create(job=job.name, period=period)
                except IntegrityError:
                    continue  # this period has run already, here or on another server
                job.task.enqueue(scheduled_for=period)
        except Exception as error:
            logger.exception("Scheduled job %s for %s could not be enqueued", job.name, period)
            outcome.failed.append((job, period, error))
            continue
        outcome.started.append((job, period))
    return outcome
