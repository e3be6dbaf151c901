"""Large imports, run by the task worker while their page shows the progress.

A confirmed file of more than IMPORT_BACKGROUND_ROWS rows would keep the
request (and the person) waiting for seconds; the worker imports it instead,
in the same single transaction, and reports its progress (imports.progress).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from imports import services
from imports.models import ImportBatch
from users.models import User

# A queued import the worker has not finished within this long has stopped: the
# worker was down or killed, and the import's transaction rolled back. (10,000
# contacts take seconds; the progress cache forgets after an hour.)
STALE = datetime.timedelta(minutes=30)


@task()
def run_import(batch_id: int, actor_id: int) -> str:
    """Import the queued batch as `actor_id`: imported, refused or gone."""
    try:
        return services.run_queued(batch_id, actor_id)
    except Exception:
        # Nothing was written (the import's transaction rolled back); the page
        # stops waiting and says so, and the worker records the error.
        services.refuse(batch_id, ImportBatch.Refusal.FAILED)
        raise


def queue_import(batch: ImportBatch, actor: User) -> bool:
    """Hand a confirmed batch to the worker, once the caller's transaction commits (the
    worker must find it marked). False when it is queued or imported already."""
    if not services.mark_queued(batch):
        return False

    def enqueue() -> None:
        queued = run_import.enqueue(batch_id=batch.pk, actor_id=actor.pk)
        # (The immediate backend of the tests has imported it by now: no row matches.)
        ImportBatch.objects.filter(pk=batch.pk, imported_at__isnull=True).update(
            task_id=str(queued.id)[:64]
        )

    transaction.on_commit(enqueue)
    return True


def stopped(batch: ImportBatch) -> bool:
    """Whether a queued batch's task has ended without importing it (failed, or not
    done within STALE); if so the batch is marked refused, and its preview says so."""
    failed = False
    if batch.task_id:
        try:
            failed = run_import.get_result(batch.task_id).status == TaskResultStatus.FAILED
        except (TaskResultDoesNotExist, NotImplementedError):
            failed = False  # the backend keeps no results (or not this one)
    assert batch.queued_at is not None
    if failed or timezone.now() - batch.queued_at > STALE:
        services.refuse(batch.pk, ImportBatch.Refusal.FAILED)
        return True
    return False
