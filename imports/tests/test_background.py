"""Large imports in the background: queued on confirm, imported by the task worker with
its progress in the page, or refused with the reason on the preview.

The tests here run the task with the test settings' immediate backend (in the
test's own process) or set the batch's state by hand; the last one starts a
real `manage.py db_worker` and watches the page's bar move.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerContact
from core.tests.test_tasks import _start, _stop, _until, worker_database  # noqa: F401
from imports import progress, services, tasks
from imports.models import ImportBatch
from tests.factories import ContactFactory
from tests.fixtures import World
from tests.queries import page_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


def _contacts(count: int, boss: str = "") -> str:
    rows = [f"C-{i};Person;Number {i};{boss}" for i in range(count)]
    return "CRM id;First name;Last name;Reports to\n" + "\n".join(rows) + "\n"


def _upload(client, w: World, text: str) -> ImportBatch:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("imports:contacts", args=[w.account.slug]),
        {"file": SimpleUploadedFile("big.csv", text.encode())},
    )
    assert response.status_code == 302, response.content[:400]
    return ImportBatch.objects.get(uploaded_by=w.lead, imported_at__isnull=True)


def _urls(w: World, batch: ImportBatch) -> tuple[str, str]:
    return (
        reverse("imports:preview", args=[w.account.slug, batch.pk]),
        reverse("imports:contacts_progress", args=[w.account.slug, batch.pk]),
    )


@pytest.fixture
def small_background(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_BACKGROUND_ROWS = 3


def test_a_large_file_goes_to_the_worker_and_the_page_moves_on_when_done(
    world: World, small_background: None, django_capture_on_commit_callbacks
) -> None:
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(5))
    preview_url, progress_url = _urls(world, batch)
    page = client.get(preview_url).content.decode()
    assert "imported in the background" in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(preview_url)
    assert response.url == progress_url and len(callbacks) == 1
    # The immediate backend ran the task on commit, as the worker would.
    batch.refresh_from_db()
    assert batch.imported_at is not None and batch.created == 5 and batch.rows == []
    assert CustomerContact.objects.filter(crm_id__startswith="C-").count() == 5
    record = CustomerContact.history.filter(crm_id="C-3").get()
    assert record.history_user == world.lead
    # The poll learns it is done and sends the page on to the contacts, with the counts.
    polled = client.get(progress_url, **HTMX)
    contacts_url = reverse("accounts:contacts", args=[world.account.slug])
    assert polled.status_code == 204 and polled["HX-Redirect"] == contacts_url
    assert client.get(progress_url, **HTMX)["HX-Redirect"] == contacts_url  # a second poll
    landing = client.get(contacts_url).content.decode()
    assert landing.count("Imported big.csv: 5 new, 0 updated, 0 unchanged.") == 1
    # Without htmx the page itself redirects.
    assert client.get(progress_url).url == contacts_url


def test_a_small_file_is_still_imported_within_the_request(world: World) -> None:
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(3))
    preview_url, _progress = _urls(world, batch)
    assert "in the background" not in client.get(preview_url).content.decode()
    response = client.post(preview_url)
    assert response.url == reverse("accounts:contacts", args=[world.account.slug])
    batch.refresh_from_db()
    assert batch.imported_at is not None and batch.queued_at is None


def test_the_page_shows_how_far_the_worker_is(world: World, small_background: None) -> None:
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(10))
    preview_url, progress_url = _urls(world, batch)
    assert services.mark_queued(batch)
    assert not services.mark_queued(batch)  # a second click queues nothing more
    # The preview now leads to the progress; before the worker begins it says so.
    assert client.get(preview_url).url == progress_url
    waiting = client.get(progress_url).content.decode()
    assert "Waiting for the task worker to begin" in waiting
    assert 'aria-valuenow="0"' in waiting and "10 rows" in waiting
    with progress.tracking(progress.key_of(batch.pk), 10):
        progress.advance(progress.CHECK, 5)  # within INTERVAL of the first store: kept back
        assert 'aria-valuenow="0"' in client.get(progress_url, **HTMX).content.decode()
        progress._current.get().store(progress.CHECK, 5, now=True)  # type: ignore[union-attr]
        bar = client.get(progress_url, **HTMX).content.decode()
        assert "Checking row 5 of 10 against the account" in bar
        assert 'aria-valuenow="25"' in bar and "<html" not in bar
        progress._current.get().store(progress.WRITE, 8, now=True)  # type: ignore[union-attr]
        bar = client.get(progress_url, **HTMX).content.decode()
        assert "Writing row 8 of 10" in bar and 'aria-valuenow="90"' in bar
    # Tracking ends with the import: the entry is gone.
    assert progress.state(progress.key_of(batch.pk)) is None
    # The upload page links to the running import, and takes no other file meanwhile.
    upload_url = reverse("imports:contacts", args=[world.account.slug])
    assert progress_url in client.get(upload_url).content.decode()
    refused = client.post(upload_url, {"file": SimpleUploadedFile("next.csv", b"Last name\nX\n")})
    assert refused.status_code == 400
    assert "big.csv is still being imported" in refused.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).queued_at is not None


def test_an_account_changed_meanwhile_is_refused_and_the_preview_says_why(
    world: World, small_background: None
) -> None:
    boss = ContactFactory(account=world.account, crm_id="B-1", last_name="Boss")
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(4, boss="B-1"))
    preview_url, progress_url = _urls(world, batch)
    assert services.mark_queued(batch)
    boss.delete()  # the reports-to of every row now names nobody
    assert tasks.run_import.call(batch_id=batch.pk, actor_id=world.lead.pk) == "refused"
    batch.refresh_from_db()
    assert batch.imported_at is None and batch.queued_at is None
    assert batch.refusal == ImportBatch.Refusal.PROBLEMS
    assert not CustomerContact.objects.filter(crm_id__startswith="C-").exists()
    polled = client.get(progress_url, **HTMX)
    assert polled["HX-Redirect"] == preview_url
    page = client.get(preview_url).content.decode()
    assert "The import in the background wrote nothing: the file no longer imports cleanly" in page
    assert "B-1" in page  # the problem itself, at its row


def test_an_uploader_who_lost_the_lead_meanwhile_imports_nothing(
    world: World, small_background: None
) -> None:
    batch = _upload(world.client_for("lead"), world, _contacts(4))
    assert services.mark_queued(batch)
    type(world.lead_membership).objects.filter(pk=world.lead_membership.pk).update(
        archived_at=timezone.now()
    )
    assert tasks.run_import.call(batch_id=batch.pk, actor_id=world.lead.pk) == "refused"
    batch.refresh_from_db()
    assert batch.refusal == ImportBatch.Refusal.ACCESS and batch.queued_at is None
    assert not CustomerContact.objects.filter(crm_id__startswith="C-").exists()


def test_a_task_that_fails_writes_nothing_and_stops_the_wait(
    world: World, small_background: None, monkeypatch
) -> None:
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(4))
    preview_url, progress_url = _urls(world, batch)
    assert services.mark_queued(batch)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("imports.writing._update", broken)
    monkeypatch.setattr("imports.writing._create", broken)
    with pytest.raises(RuntimeError):
        tasks.run_import.call(batch_id=batch.pk, actor_id=world.lead.pk)
    batch.refresh_from_db()
    assert batch.refusal == ImportBatch.Refusal.FAILED and batch.queued_at is None
    assert client.get(progress_url).url == preview_url
    assert "the import stopped with an error" in client.get(preview_url).content.decode()
    # The preview offers the import again.
    monkeypatch.undo()
    client.post(preview_url)


def test_a_wait_longer_than_stale_ends_as_failed(world: World, small_background: None) -> None:
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(4))
    preview_url, progress_url = _urls(world, batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        queued_at=timezone.now() - tasks.STALE - datetime.timedelta(seconds=1)
    )
    assert client.get(progress_url).url == preview_url
    batch.refresh_from_db()
    assert batch.refusal == ImportBatch.Refusal.FAILED and batch.queued_at is None
    # The worker, reaching it late, leaves it alone.
    assert services.run_queued(batch.pk, world.lead.pk) == "gone"


def test_the_progress_page_is_its_uploaders_only(world: World, small_background: None) -> None:
    batch = _upload(world.client_for("lead"), world, _contacts(4))
    services.mark_queued(batch)
    _preview, progress_url = _urls(world, batch)
    assert world.client_for("outsider").get(progress_url).status_code == 404
    assert world.client_for("member").get(progress_url).status_code == 403
    assert world.client_for("lead").post(progress_url).status_code == 405
    other = reverse("imports:team_progress", args=[world.account.slug, batch.pk])
    assert world.client_for("lead").get(other).status_code == 404  # another kind's URL


def test_the_progress_page_costs_the_same_queries_for_small_and_large_files(
    world: World, small_background: None
) -> None:
    client = world.client_for("lead")
    counts = []
    for rows in (5, 500):
        batch = _upload(client, world, _contacts(rows))
        services.mark_queued(batch)
        _preview, progress_url = _urls(world, batch)
        counts.append(page_queries(client, progress_url))
        ImportBatch.objects.filter(pk=batch.pk).delete()
    assert counts[0] == counts[1] <= 9


def test_the_worker_imports_a_large_file_while_the_bar_moves(
    worker_database: str,  # noqa: F811 (first: on SQLite the world goes into its file)
    world: World,
    settings,
    tmp_path: Path,
) -> None:
    """3,000 contacts through a real `db_worker`: the page polls its bar and sees it move
    (progress kept in files the worker and this process share), then moves on."""
    settings.IMPORT_BACKGROUND_ROWS = 100
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client = world.client_for("lead")
    batch = _upload(client, world, _contacts(3000))
    preview_url, progress_url = _urls(world, batch)
    log = tmp_path / "db_worker.log"
    worker = _start(
        ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        {
            "KAMTEAM_TASKS": "database",
            "DATABASE_URL": worker_database,
            "PROGRESS_DIR": settings.CACHES["progress"]["LOCATION"],
        },
        log,
    )
    seen: set[int] = set()
    try:
        assert client.post(preview_url).url == progress_url

        def done() -> bool:
            polled = client.get(progress_url, **HTMX)
            if polled.status_code == 204:
                return True
            text = polled.content.decode()
            seen.add(int(text.split('aria-valuenow="')[1].split('"')[0]))
            return False

        _until(done, timeout=150)
    finally:
        _stop(worker)
    assert CustomerContact.objects.filter(crm_id__startswith="C-").count() == 3000, log.read_text()
    assert any(0 < percent < 100 for percent in seen), (seen, log.read_text())
    batch.refresh_from_db()
    assert batch.created == 3000 and batch.imported_at is not None
    assert (
        os.listdir(settings.CACHES["progress"]["LOCATION"]) == []
        or progress.state(progress.key_of(batch.pk)) is None
    )
