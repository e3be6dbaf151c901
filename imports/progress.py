"""How far a background import has come, for the page that waits for it.

An import writes in one transaction, so nothing it writes to the database can
be seen before it commits, its progress included. The progress therefore goes
to the cache "progress" instead (kamteam/imports_settings.py): Redis when the
app servers share one, else files that the worker and the web server on one
machine both read. A lost entry costs only the bar: the page then says the
import is running until the batch is imported.

The kinds report as they go (`advance`) without knowing whether anyone
listens: only an import run through `tracking` stores anything.

Both kinds of queued import (a spreadsheet: imports.tasks; a key account's
export: workspace.tasks) are enqueued and watched the same way: `enqueue_on_commit`
and `task_stopped`; their pages answer a poll that is done with `move_on`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

CHECK, WRITE = "check", "write"
# One pass that checks and writes each record at once (a key account's export).
ALL = "all"
# At most so many stores a second: a row costs well under a millisecond.
INTERVAL = 0.25
# A queued import the worker has not finished within this long has stopped: the
# worker was down or killed, and the import's transaction rolled back. (10,000
# contacts take seconds; the progress cache forgets after an hour.)
STALE = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class State:
    phase: str  # CHECK: the rows are read against the account; WRITE: they are written
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Checking is the first half of the way, writing the second (or both at once)."""
        if not self.total:
            return 0
        if self.phase == ALL:
            return min(99, 100 * min(self.done, self.total) // self.total)
        half = 0 if self.phase == CHECK else 50
        return min(99, half + 50 * min(self.done, self.total) // self.total)


class _Reporter:
    def __init__(self, key: str, total: int) -> None:
        self.key, self.total, self.last = key, total, 0.0

    def store(self, phase: str, done: int, *, now: bool = False) -> None:
        moment = time.monotonic()
        if now or moment - self.last >= INTERVAL:
            self.last = moment
            caches["progress"].set(self.key, [phase, done, self.total])


_current: ContextVar[_Reporter | None] = ContextVar("import_progress", default=None)


def key_of(batch_id: int) -> str:
    return f"import:{batch_id}"


@contextmanager
def tracking(key: str, total: int) -> Iterator[None]:
    """Store the progress of the import run inside, under `key`; removed afterwards."""
    reporter = _Reporter(key, total)
    reporter.store(CHECK, 0, now=True)
    token = _current.set(reporter)
    try:
        yield
    finally:
        _current.reset(token)
        caches["progress"].delete(key)


def advance(phase: str, done: int) -> None:
    """`done` of the import's rows are through `phase` (nothing if nobody tracks it)."""
    reporter = _current.get()
    if reporter is not None:
        reporter.store(phase, done)


def state(key: str) -> State | None:
    """The stored progress, or None before the worker has begun (or without a cache)."""
    value = caches["progress"].get(key)
    try:
        phase, done, total = value  # type: ignore[misc]
        return State(str(phase), int(done), int(total))
    except (TypeError, ValueError):
        return None


def enqueue_on_commit(task: Any, queued: QuerySet, **arguments: Any) -> None:
    """Enqueue `task` once the caller's transaction commits (the worker must find its
    row marked queued) and note the task's id on that row, `queued`. (The immediate
    backend of the tests has imported it by then: `queued` must then match no row.)"""

    def enqueue() -> None:
        result = task.enqueue(**arguments)
        queued.update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def task_stopped(task: Any, task_id: str, queued_at: datetime.datetime) -> bool:
    """Whether a queued import's task has ended without importing it: failed (as the
    backend recorded it), or not done within STALE."""
    if task_id:
        try:
            if task.get_result(task_id).status == TaskResultStatus.FAILED:
                return True
        except (TaskResultDoesNotExist, NotImplementedError):
            pass  # the backend keeps no results (or not this one)
    return timezone.now() - queued_at > STALE


def move_on(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for htmx's poll one that it follows with the whole page (no content:
    the bar it would replace stays as it is until the page goes)."""
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url, status=204)
    return HttpResponseRedirect(url)
