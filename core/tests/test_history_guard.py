"""core.history_guard: a save that changes nothing leaves no "changed" record."""

from __future__ import annotations

import pytest
from django import forms

from core.concurrency import VersionConflict
from core.forms import VersionedForm
from raci.models import RaciTask
from tests.factories import KeyAccountFactory


def _task(**fields: object) -> RaciTask:
    return RaciTask.objects.create(account=KeyAccountFactory(), name="Offers", order=1, **fields)


def _records(task: RaciTask) -> list[str]:
    return list(task.history.order_by("history_id").values_list("history_type", flat=True))


def test_saving_unchanged_values_records_nothing(db: None) -> None:
    task = _task(description="Line one\nLine two")
    task.save()
    RaciTask.objects.update_or_create(pk=task.pk, defaults={"name": "Offers"})  # a seed run again
    assert _records(task) == ["+"]


def test_a_real_change_is_still_recorded(db: None) -> None:
    task = _task()
    task.name = "National offers"
    task.save()
    task.save()  # and saving it once more adds nothing
    assert _records(task) == ["+", "~"]
    assert task.history.first().name == "National offers"


def test_bookkeeping_and_line_breaks_are_no_change(db: None) -> None:
    task = _task(description="Line one\nLine two")
    task.version += 1  # moved on by core.concurrency
    task.description = "Line one\r\nLine two"  # as a browser sends it
    task.save()
    assert _records(task) == ["+"]


def test_an_instance_built_afresh_for_an_existing_row_is_compared_too(db: None) -> None:
    task = _task()
    again = RaciTask(pk=task.pk, account=task.account, name="Offers", order=1)  # _state.adding
    again.save()
    assert _records(task) == ["+"]


def test_the_skip_does_not_stick_to_the_instance(db: None) -> None:
    task = _task()
    task.save()  # unchanged: skipped
    task.name = "Price list"
    task.save()  # changed: recorded, although the same instance was skipped before
    assert _records(task) == ["+", "~"]
    assert not hasattr(task, "skip_history_when_saving")


def test_save_without_historical_record_is_left_alone(db: None) -> None:
    task = _task()
    task.name = "Quiet"
    task.save_without_historical_record()
    assert _records(task) == ["+"]
    task.name = "Loud"
    task.save()
    assert _records(task) == ["+", "~"]


class _TaskForm(VersionedForm):
    class Meta:
        model = RaciTask
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea}


def test_an_untouched_versioned_form_writes_nothing(db: None) -> None:
    task = _task(description="Call the buyer\nthen the plant")
    data = {"name": "Offers", "description": "Call the buyer\r\nthen the plant", "version": "1"}
    form = _TaskForm(data, instance=task)
    assert form.is_valid() and not form.has_changed()
    assert form.cleaned_data["description"] == "Call the buyer\nthen the plant"
    form.save_checked()
    task.refresh_from_db()
    assert task.version == 1 and _records(task) == ["+"]


def test_a_changed_versioned_form_saves_with_plain_line_breaks(db: None) -> None:
    task = _task(description="Call the buyer")
    data = {"name": "Offers", "description": "Call the buyer\r\nthen the plant", "version": "1"}
    form = _TaskForm(data, instance=task)
    assert form.is_valid() and form.changed_data == ["description"]
    form.save_checked()
    task.refresh_from_db()
    assert task.description == "Call the buyer\nthen the plant" and task.version == 2
    assert _records(task) == ["+", "~"]


def test_a_stale_untouched_form_is_still_a_conflict(db: None) -> None:
    task = _task()
    task.name = "Renamed elsewhere"
    task.version = 2
    task.save()
    form = _TaskForm(
        {"name": "Renamed elsewhere", "description": "", "version": "1"}, instance=task
    )
    assert form.is_valid() and form.has_changed()  # the version it was loaded at differs
    with pytest.raises(VersionConflict):
        form.save_checked()


def _history_reads(queries: list[dict]) -> int:
    return sum('FROM "raci_historicalracitask"' in q["sql"] for q in queries)


def test_a_row_read_and_changed_is_recorded_without_reading_its_history(db: None) -> None:
    """What the row was read with tells that the save changes it: no history query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = RaciTask.objects.get(pk=_task().pk)
    task.name = "National offers"
    with CaptureQueriesContext(connection) as ctx:
        task.save()
    assert _history_reads(ctx.captured_queries) == 0
    with CaptureQueriesContext(connection) as ctx:
        task.save()  # the same values again: now the history decides, and skips it
    assert _history_reads(ctx.captured_queries) == 1
    task.name = "Offers"
    task.save()  # back to what was first read: a change against the last save
    assert _records(task) == ["+", "~", "~"]
    assert task.history.first().name == "Offers"


def test_a_row_read_and_saved_unchanged_still_asks_the_history(db: None) -> None:
    task = RaciTask.objects.get(pk=_task().pk)
    task.description = ""  # as read
    task.save()
    assert _records(task) == ["+"]


def test_a_refreshed_row_forgets_what_it_was_read_with(db: None) -> None:
    """After refresh_from_db the first read says nothing about the row: the history decides."""
    task = RaciTask.objects.get(pk=_task().pk)
    elsewhere = RaciTask.objects.get(pk=task.pk)
    elsewhere.name = "Renamed elsewhere"
    elsewhere.save()  # recorded
    task.refresh_from_db()
    task.save()  # unchanged since the refresh: no second "changed" entry
    assert _records(task) == ["+", "~"]
