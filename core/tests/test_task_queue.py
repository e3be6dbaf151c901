"""The database queue's finished tasks are pruned weekly, and the tasks one
change queues can go as one (core.task_queue)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks_db.models import DBTaskResult

from core import schedule
from core.task_queue import (
    KEEP_FAILED_DAYS,
    KEEP_SUCCESSFUL_DAYS,
    enqueue_with_transaction,
    prune_finished_tasks,
    queued_as_one,
    run_together,
)

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


# Tasks a change queues together (queued_as_one) -----------------------------

CALLS: list[str] = []


@task()
def _record(word: str) -> str:
    if word == "boom":
        raise ValueError("this one fails")
    CALLS.append(word)
    return word


@pytest.fixture
def calls() -> Iterator[list[str]]:
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def test_tasks_queued_inside_go_as_one_row_run_in_their_order(database_queue, calls) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic(), queued_as_one():
        enqueue_with_transaction(_record, word="activity")
        enqueue_with_transaction(_record, word="notification")
        assert database_queue.waiting() == []  # nothing before the block ends
    assert database_queue.waiting() == ["core.task_queue.run_together"]
    assert database_queue.run() == 1
    assert calls == ["activity", "notification"]


def test_one_task_inside_is_queued_as_itself_and_none_queues_nothing(database_queue) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic(), queued_as_one():
        pass
    assert database_queue.waiting() == []
    with transaction.atomic(), queued_as_one():
        enqueue_with_transaction(_record, word="alone")
    assert database_queue.waiting() == [_record.module_path]


def test_a_block_that_raises_queues_nothing_and_a_nested_one_joins_the_outer(
    database_queue, calls
) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic(), queued_as_one():
        enqueue_with_transaction(_record, word="outer")
        with queued_as_one():
            enqueue_with_transaction(_record, word="inner")
        assert database_queue.waiting() == []  # the inner block queued nothing of its own
    assert database_queue.waiting() == ["core.task_queue.run_together"]
    database_queue.run()
    assert calls == ["outer", "inner"]


def test_what_a_failed_block_collected_is_never_run(calls) -> None:  # type: ignore[no-untyped-def]
    """The suite's immediate backend runs a task the moment it is queued, so a
    task queued by a failed block would show in `calls` whatever the rollback."""
    with pytest.raises(ValueError), transaction.atomic(), queued_as_one():
        enqueue_with_transaction(_record, word="lost")
        raise ValueError("the save was refused")
    assert calls == []
    # A nested block that fails loses its own tasks; the outer one's still run.
    with transaction.atomic(), queued_as_one():
        enqueue_with_transaction(_record, word="kept")
        with pytest.raises(ValueError), queued_as_one():
            enqueue_with_transaction(_record, word="refused")
            raise ValueError("a part of the change was refused")
    assert calls == ["kept"]


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_outside_a_transaction_it_refuses() -> None:
    with pytest.raises(RuntimeError, match="inside the change's transaction"), queued_as_one():
        pass


def test_one_failing_task_of_several_leaves_the_others_run_and_is_recorded(calls, caplog) -> None:  # type: ignore[no-untyped-def]
    together = [
        {"task": _record.module_path, "kwargs": {"word": "first"}},
        {"task": _record.module_path, "kwargs": {"word": "boom"}},
        {"task": _record.module_path, "kwargs": {"word": "last"}},
    ]
    with pytest.raises(ExceptionGroup, match="1 of 3 tasks queued together failed") as raised:
        run_together.call(calls=together)
    assert calls == ["first", "last"]
    assert "this one fails" in caplog.text
    # The recorded error holds the failure itself, not only its count.
    (error,) = raised.value.exceptions
    assert isinstance(error, ValueError) and "'boom'" in error.__notes__[0]


def test_a_queue_elsewhere_takes_the_one_task_after_the_commit(
    settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """RQ on Redis (the dummy backend stands for it) gets the one task once the
    transaction has committed, as it would each task alone."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic(), queued_as_one():
            enqueue_with_transaction(_record, word="a")
            enqueue_with_transaction(_record, word="b")
        assert backend.results == []
    assert len(callbacks) == 1
    (queued,) = backend.results
    assert queued.task.module_path == "core.task_queue.run_together"
    assert [c["kwargs"] for c in queued.kwargs["calls"]] == [{"word": "a"}, {"word": "b"}]
