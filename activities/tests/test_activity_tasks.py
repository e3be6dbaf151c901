"""A done touchpoint's activity is written by the task worker (activities.tasks),
queued with the save (core.task_queue); a daily job repairs what a lost task missed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from activities.models import Activity
from activities.tasks import repair_activities, sync_touchpoint_activity
from core import schedule
from core.task_queue import enqueue_with_transaction
from tests.fixtures import DatabaseQueue, World
from touchpoints.models import Touchpoint, quarter_end

pytestmark = pytest.mark.django_db

TASK = "activities.tasks.sync_touchpoint_activity"


def _mark_done(world: World, outcome: str = "She liked it.") -> None:
    touchpoint = world.touchpoint
    touchpoint.refresh_from_db()
    url = reverse("touchpoints:done", args=[world.account.slug, touchpoint.pk])
    response = world.client_for("lead").post(
        url, {"outcome": outcome, "version": touchpoint.version}
    )
    assert response.status_code == 302


def test_marked_done_the_activity_waits_for_the_worker_which_names_who_did_it(
    world: World, database_queue: DatabaseQueue
) -> None:
    _mark_done(world)
    # Queued in the transaction of the save: committed with it, nothing written yet.
    assert database_queue.waiting() == [TASK]
    assert not Activity.objects.exists()
    assert database_queue.run() == 1
    activity = Activity.objects.get(touchpoint=world.touchpoint)
    assert (activity.note, list(activity.participants.all())) == ("She liked it.", [world.lead])
    # The worker has no request: the history names the lead, whose save it reflects.
    (entry,) = activity.history.all()
    assert (entry.history_type, entry.history_user) == ("+", world.lead)


def test_an_undated_activity_is_dated_by_the_save_not_by_the_worker(
    world: World, database_queue: DatabaseQueue
) -> None:
    """The task carries the day of the save: a worker that comes days later (or
    after a weekend down) still dates the activity when it was marked done."""
    from django_tasks_db.models import DBTaskResult

    world.touchpoint.date = None
    world.touchpoint.save()
    _mark_done(world)
    (queued,) = DBTaskResult.objects.ready()
    today = timezone.localdate()
    assert queued.args_kwargs["kwargs"] == {
        "touchpoint_id": world.touchpoint.pk,
        "done_on": today.isoformat(),
    }
    DBTaskResult.objects.all().delete()  # as if the worker came later, with that day
    earlier = today - datetime.timedelta(days=3)
    quarter_start = datetime.date(world.touchpoint.year, 3 * world.touchpoint.quarter - 2, 1)
    sync_touchpoint_activity.call(touchpoint_id=world.touchpoint.pk, done_on=earlier.isoformat())
    activity = Activity.objects.get(touchpoint=world.touchpoint)
    # Its quarter's end at the latest (an old quarter's touchpoint done today).
    expected = min(earlier, quarter_end(world.touchpoint.year, world.touchpoint.quarter))
    assert activity.happened_on == expected and quarter_start <= expected


def test_the_activitys_history_names_whoever_saved_the_touchpoint_last(
    world: World, database_queue: DatabaseQueue
) -> None:
    """The member marks their touchpoint done, the lead corrects the outcome before
    the worker comes: the activity holds the lead's words, and its entry names the
    lead, not the member whose save queued the first task."""
    touchpoint = world.touchpoint
    touchpoint.owner = world.membership
    touchpoint.save()
    url = reverse("touchpoints:done", args=[world.account.slug, touchpoint.pk])
    response = world.client_for("member").post(
        url, {"outcome": "First words.", "version": touchpoint.version}
    )
    assert response.status_code == 302
    touchpoint.refresh_from_db()
    edit = reverse("touchpoints:edit", args=[world.account.slug, touchpoint.pk])
    response = world.client_for("lead").post(
        edit,
        {
            "contact": world.contact.pk,
            "quarter": touchpoint.quarter,
            "year": touchpoint.year,
            "kind": touchpoint.kind,
            "title": touchpoint.title,
            "owner": world.membership.pk,
            "status": "done",
            "date": "",
            "outcome": "Corrected words.",
            "version": touchpoint.version,
        },
    )
    assert response.status_code == 302
    assert database_queue.waiting() == [TASK, TASK]
    database_queue.run()
    activity = Activity.objects.get(touchpoint=touchpoint)
    (entry,) = activity.history.all()
    assert (activity.note, entry.history_user) == ("Corrected words.", world.lead)


def test_tasks_run_late_end_with_the_touchpoint_as_it_is_then(
    world: World, database_queue: DatabaseQueue
) -> None:
    """Each task reads the touchpoint when it runs: two saves' tasks leave the
    second outcome, and a reopening before the worker came leaves no activity."""
    _mark_done(world, "First words.")
    touchpoint = Touchpoint.objects.get(pk=world.touchpoint.pk)
    touchpoint.outcome = "Second thoughts."
    touchpoint.save()
    assert database_queue.waiting() == [TASK, TASK]
    database_queue.run()
    assert Activity.objects.get(touchpoint=touchpoint).note == "Second thoughts."

    touchpoint.refresh_from_db()
    touchpoint.outcome = "Third."
    touchpoint.save()  # queued
    touchpoint.status = Touchpoint.Status.PLANNED
    touchpoint.save()  # reopened: the activity goes at once, nothing queued
    assert database_queue.waiting() == [TASK]
    assert not Activity.objects.exists()
    database_queue.run()
    assert not Activity.objects.exists()


def test_a_deleted_touchpoints_task_finds_it_gone(
    world: World, database_queue: DatabaseQueue
) -> None:
    _mark_done(world)
    world.touchpoint.delete()
    database_queue.run()
    assert not Activity.objects.exists()
    assert sync_touchpoint_activity.call(touchpoint_id=world.touchpoint.pk) == "gone"


def test_a_queue_elsewhere_takes_the_task_only_after_the_commit(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A queue outside the database (RQ on Redis) must not run the task on the
    data before the commit; the dummy backend stands for it (it keeps what it is given)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_with_transaction(sync_touchpoint_activity, touchpoint_id=world.touchpoint.pk)
        assert backend.results == []
    assert len(callbacks) == 1
    assert [r.kwargs for r in backend.results] == [{"touchpoint_id": world.touchpoint.pk}]


def test_a_queue_that_fails_after_the_commit_is_logged_and_the_save_stands(
    world: World, settings, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]

    def unreachable(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(backend, "enqueue", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        _mark_done(world)
    world.touchpoint.refresh_from_db()
    assert world.touchpoint.status == Touchpoint.Status.DONE
    assert f"Could not queue {sync_touchpoint_activity.name}" in caplog.text


def test_the_daily_repair_makes_missing_activities_and_removes_stale_ones(world: World) -> None:
    touchpoint = world.touchpoint
    # Written past the signals, as a lost task leaves it: done without an activity...
    Touchpoint.objects.filter(pk=touchpoint.pk).update(status=Touchpoint.Status.DONE)
    # ...and a reopened touchpoint of another contact that kept its activity.
    other = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=2,
        title="Visit",
        owner=world.lead_membership,
        status=Touchpoint.Status.DONE,
    )
    assert Activity.objects.filter(touchpoint=other).exists()
    Touchpoint.objects.filter(pk=other.pk).update(status=Touchpoint.Status.PLANNED)

    result = repair_activities.call()
    assert result == {"made": 1, "removed": 1, "failed": 0}
    assert list(Activity.objects.values_list("touchpoint_id", flat=True)) == [touchpoint.pk]
    assert repair_activities.call() == {"made": 0, "removed": 0, "failed": 0}
    assert str(schedule.jobs()["activities.repair"].cadence) == "daily at 05:30"
