"""Large imports, run by the task worker while their page shows the progress.

A confirmed file of more than IMPORT_BACKGROUND_ROWS rows would keep the
request (and the person) waiting for seconds; the worker imports it instead,
in the same single transaction, and reports its progress (imports.progress).
"""

from __future__ import annotations

from django_tasks import task

from imports import progress, services
from imports.models import ImportBatch
from imports.progress import STALE  # noqa: F401 (how long a queued import may take)
from users.models import User


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
    pending = ImportBatch.objects.filter(pk=batch.pk, imported_at__isnull=True)
    progress.enqueue_on_commit(run_import, pending, batch_id=batch.pk, actor_id=actor.pk)
    return True


def stopped(batch: ImportBatch) -> bool:
    """Whether a queued batch's task has ended without importing it (failed, or not
    done within STALE); if so the batch is marked refused, and its preview says so."""
    assert batch.queued_at is not None
    if progress.task_stopped(run_import, batch.task_id, batch.queued_at):
        services.refuse(batch.pk, ImportBatch.Refusal.FAILED)
        return True
    return False
