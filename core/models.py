"""Building blocks of every app's models: versioned rows and the change counters."""

from __future__ import annotations

from django.db import models


class Versioned(models.Model):
    """A row that is saved with an optimistic version check.

    See core.concurrency.save_versioned: a save from a form that was
    loaded at an older version is refused instead of overwriting the newer
    data silently.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class CacheGeneration(models.Model):
    """A counter that moves on every committed change within its scope.

    Cached page fragments put the counters they depend on into their cache
    key (core.fragments), so a change makes the old fragments unreachable
    instead of having to find and delete them. Scopes: ``account:<pk>`` for
    what belongs to one account, ``shared`` for what many accounts show
    (people, profiles, catalogues), ``all`` for any change at all.
    """

    scope = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"


class ScheduledRun(models.Model):
    """A scheduled job (core.schedule) was started for one period: it starts once per period.

    `manage.py run_scheduled` inserts the row and enqueues the job in one
    transaction; the unique constraint makes a second call, or a call on
    another server at the same moment, find the period taken and skip it.
    """

    job = models.CharField(max_length=100)
    # The occurrence the run is for, ISO 8601 with its offset: "2026-03-02T06:00+01:00".
    period = models.CharField(max_length=40)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="core_scheduledrun_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} for {self.period}"
