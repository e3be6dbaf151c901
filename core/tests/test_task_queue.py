"""The database queue's finished tasks are pruned weekly (core.task_queue)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import schedule
from core.task_queue import KEEP_FAILED_DAYS, KEEP_SUCCESSFUL_DAYS, prune_finished_tasks

pytestmark = pytest.mark.django_db


def _queued() -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.task_queue.prune_finished_tasks",
        backend_name="default",
        run_after=timezone.now(),
    )


def _finished(status: str, days_ago: int) -> DBTaskResult:
    result = _queued()
    finished = timezone.now() - datetime.timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=result.pk).update(status=status, finished_at=finished)
    return result


def test_old_finished_tasks_go_and_recent_failures_stay(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    successful, failed = TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED
    old = _finished(successful, KEEP_SUCCESSFUL_DAYS + 1)
    recent = _finished(successful, KEEP_SUCCESSFUL_DAYS - 1)
    failed_recently = _finished(failed, KEEP_SUCCESSFUL_DAYS + 1)  # kept longer
    failed_long_ago = _finished(failed, KEEP_FAILED_DAYS + 1)
    waiting = _queued()
    assert prune_finished_tasks.call() == 2
    kept = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, failed_recently.pk, waiting.pk}
    assert old.pk not in kept and failed_long_ago.pk not in kept
    assert str(schedule.jobs()["core.prune_tasks"].cadence) == "weekly on Sunday at 04:00"


def test_without_the_database_queue_nothing_is_pruned() -> None:
    _finished(TaskResultStatus.SUCCESSFUL, KEEP_FAILED_DAYS + 1)
    assert prune_finished_tasks.call() == 0  # the suite's immediate backend
    assert DBTaskResult.objects.count() == 1
