"""Queue a task that must see the writes of the transaction it is queued in.

Work derived from a change (a done touchpoint's activity) runs in the task
worker, not in the request that made the change, and must never run on data
older than that change, nor be lost when the change commits.

- A queue in the same database (django_tasks_db's DatabaseBackend, the
  default) takes the task inside the transaction: the task row commits with
  the change or not at all, and no worker can read it before the commit.
- The immediate backend (the test suite's) runs the task right there, inside
  the transaction, as a listener would.
- A queue elsewhere (RQ on Redis) takes the task once the transaction has
  committed: queued before, a worker could run it on the data as it was. If
  that fails (Redis down), the change stays saved and the failure is logged;
  the task's owner repairs what it missed on its schedule.

Inside `queued_as_one`, the tasks a change queues go as one: one row for
the database's queue instead of an INSERT each (a touchpoint marked done
queues its activity and its owner's notification).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)

# Backends whose queue commits with the data: a task queued in a transaction
# is seen exactly when that transaction's writes are.
_TRANSACTIONAL = (DatabaseBackend, ImmediateBackend)


# The tasks queued inside the innermost open `queued_as_one` block, else None.
_together: ContextVar[list[tuple[Task[..., Any], dict[str, Any]]] | None] = ContextVar(
    "kamteam_tasks_together", default=None
)


def enqueue_with_transaction(task: Task[..., Any], **kwargs: Any) -> None:
    """Queue `task(**kwargs)` so that it runs on the current transaction's writes."""
    together = _together.get()
    if together is not None:
        together.append((task, kwargs))
        return
    if isinstance(task.get_backend(), _TRANSACTIONAL):
        task.enqueue(**kwargs)
        return

    def enqueue() -> None:
        try:
            task.enqueue(**kwargs)
        except Exception:
            logger.exception("Could not queue %s(%r) after its commit", task.name, kwargs)

    transaction.on_commit(enqueue)


@contextmanager
def queued_as_one() -> Iterator[None]:
    """The tasks queued inside the block (`enqueue_with_transaction`) are queued
    as one task when it ends, `run_together`, which runs them in their order.

    Open it inside the transaction of the change, so that the one task is
    queued in it (the database's queue) or after its commit (Redis), as each
    would have been. A block that raises queues nothing of what it collected,
    nested in another or not. What it cannot see: a savepoint inside it that
    rolls back while the block goes on keeps what it queued (none of its
    callers catches a failed savepoint).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queued_as_one() belongs inside the change's transaction")
    outer = _together.get()
    if outer is not None:  # the outer block queues them, unless this one fails
        mark = len(outer)
        try:
            yield
        except BaseException:
            del outer[mark:]
            raise
        return
    calls: list[tuple[Task[..., Any], dict[str, Any]]] = []
    token = _together.set(calls)
    try:
        yield
    finally:
        _together.reset(token)
    if len(calls) == 1:
        enqueue_with_transaction(calls[0][0], **calls[0][1])
    elif calls:
        enqueue_with_transaction(
            run_together, calls=[{"task": t.module_path, "kwargs": kw} for t, kw in calls]
        )


@task()
def run_together(calls: list[dict[str, Any]]) -> int:
    """Run the tasks one change queued as one (`queued_as_one`), each as its
    worker would: one that fails does not keep the others from running. The
    task fails when any did, with each failure in the error it records (an
    ExceptionGroup). Run again by hand, it runs every one of them again.
    Returns how many ran."""
    errors: list[Exception] = []
    for call in calls:
        try:
            import_string(call["task"]).call(**call["kwargs"])
        except Exception as error:
            logger.exception("%s(%r), queued with others, failed", call["task"], call["kwargs"])
            error.add_note(f"in {call['task']}({call['kwargs']!r})")
            errors.append(error)
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(calls)} tasks queued together failed", errors)
    return len(calls)


# Finished tasks of the database queue stay this many days for a look in the admin,
# failed ones longer (someone may still look into why).
KEEP_SUCCESSFUL_DAYS = 30
KEEP_FAILED_DAYS = 90


@task()
def prune_finished_tasks(scheduled_for: str = "") -> int:
    """The weekly job (core.apps): the database queue's finished tasks older than
    KEEP_SUCCESSFUL_DAYS (failed: KEEP_FAILED_DAYS). Returns how many went.
    RQ keeps its results in Redis for a limited time of its own."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return 0
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    old = Q(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lte=now - datetime.timedelta(days=KEEP_SUCCESSFUL_DAYS),
    ) | Q(
        status=TaskResultStatus.FAILED,
        finished_at__lte=now - datetime.timedelta(days=KEEP_FAILED_DAYS),
    )
    deleted, _by_model = DBTaskResult.objects.finished().filter(old).delete()
    return deleted
