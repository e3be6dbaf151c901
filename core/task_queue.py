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
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)

# Backends whose queue commits with the data: a task queued in a transaction
# is seen exactly when that transaction's writes are.
_TRANSACTIONAL = (DatabaseBackend, ImmediateBackend)


def enqueue_with_transaction(task: Task[..., Any], **kwargs: Any) -> None:
    """Queue `task(**kwargs)` so that it runs on the current transaction's writes."""
    if isinstance(task.get_backend(), _TRANSACTIONAL):
        task.enqueue(**kwargs)
        return

    def enqueue() -> None:
        try:
            task.enqueue(**kwargs)
        except Exception:
            logger.exception("Could not queue %s(%r) after its commit", task.name, kwargs)

    transaction.on_commit(enqueue)


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
