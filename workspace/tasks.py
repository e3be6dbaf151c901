"""The workspace's work for the task worker: the scheduled digests (core.schedule) and
the import of a large key account export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from imports import progress
from imports.progress import STALE  # noqa: F401 (how long a queued import may take)
from users.models import User
from workspace.digest import send_digests
from workspace.models import AccountUpload, Refusal
from workspace.moving_in.account import import_account


@task()
def send_weekly_digests(scheduled_for: str = "") -> dict[str, Any]:
    """Everyone's weekly digest (registered for Monday morning in WorkspaceConfig.ready)."""
    run = send_digests()
    return {"sent": run.sent, "empty": run.empty, "failed": run.failed}


# A key account's export of more rows than IMPORT_BACKGROUND_ROWS is imported by the
# worker (workspace.account_import_views queues it), as the confirmation would: the
# same single transaction, the progress in imports.progress.


def progress_key(upload: AccountUpload) -> str:
    return f"account-import:{upload.pk}"


def row_count(data: dict[str, Any]) -> int:
    """The rows of an export, all sections together (read_export checked their shape)."""
    return sum(len(rows) for rows in data.get("sections", {}).values() if isinstance(rows, list))


def in_background(upload: AccountUpload) -> bool:
    """Whether the confirmation hands the upload to the task worker."""
    return row_count(upload.data) > settings.IMPORT_BACKGROUND_ROWS


@task()
def run_account_import(upload_id: int, actor_id: int) -> str:
    """Import the queued export as `actor_id`: imported, refused or gone."""
    try:
        return _run(upload_id, actor_id)
    except Exception:
        # Nothing was written (the import's transaction rolled back); the page stops
        # waiting and says so, and the worker records the error.
        _refuse(upload_id, Refusal.FAILED)
        raise


def _run(upload_id: int, actor_id: int) -> str:
    upload = AccountUpload.objects.filter(
        pk=upload_id, queued_at__isnull=False, imported_account__isnull=True
    ).first()
    if upload is None:  # discarded meanwhile
        return "gone"
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if actor is None or not actor.is_manager:
        _refuse(upload_id, Refusal.ACCESS)
        return "refused"
    with progress.tracking(progress_key(upload), row_count(upload.data)):
        result = import_account(upload.data, by=actor, commit=True)
    if result.account is None:
        _refuse(upload_id, Refusal.PROBLEMS)
        return "refused"
    # The export is personal data: once imported only the way to the account stays.
    AccountUpload.objects.filter(pk=upload_id).update(data={}, imported_account=result.account)
    return "imported"


def _refuse(upload_id: int, reason: str) -> None:
    AccountUpload.objects.filter(pk=upload_id, imported_account__isnull=True).update(
        queued_at=None, refusal=reason
    )


def queue_account_import(upload: AccountUpload, actor: User) -> bool:
    """Hand a confirmed upload to the worker once the caller's transaction commits.
    False when it is queued already (a double click)."""
    marked = AccountUpload.objects.filter(
        pk=upload.pk, queued_at__isnull=True, imported_account__isnull=True
    ).update(queued_at=timezone.now(), refusal="", task_id="")
    if not marked:
        return False
    pending = AccountUpload.objects.filter(pk=upload.pk, imported_account__isnull=True)
    progress.enqueue_on_commit(run_account_import, pending, upload_id=upload.pk, actor_id=actor.pk)
    return True


def account_import_stopped(upload: AccountUpload) -> bool:
    """Whether a queued upload's task ended without importing it (failed, or not done
    within STALE); if so it is marked refused, and its preview says so."""
    assert upload.queued_at is not None
    if progress.task_stopped(run_account_import, upload.task_id, upload.queued_at):
        _refuse(upload.pk, Refusal.FAILED)
        return True
    return False
