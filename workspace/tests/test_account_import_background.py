"""A large key account export is imported by the task worker while its page shows the
progress; refused or failed, its preview says why, and nothing is written.

The task runs with the test settings' immediate backend (in the test's own
process) or the upload's state is set by hand; imports/tests/test_background.py
watches a real worker move a bar.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import KeyAccount
from imports import progress
from tests.fixtures import World
from tests.queries import page_queries
from workspace import tasks
from workspace.models import AccountUpload, Refusal
from workspace.tests.test_account_import_views import CONFIRM, DISCARD, URL, _file

pytestmark = pytest.mark.django_db
PROGRESS = reverse("accounts:account_import_progress")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def small_background(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_BACKGROUND_ROWS = 3


def _uploaded(world: World) -> tuple[object, AccountUpload]:
    client = world.client_for("manager")
    assert client.post(URL, {"file": _file(world)}).status_code == 302
    return client, AccountUpload.objects.get()


def test_a_large_export_goes_to_the_worker_and_the_page_lands_on_the_account(
    world: World, small_background: None, django_capture_on_commit_callbacks
) -> None:
    client, upload = _uploaded(world)
    assert "imported in the background" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(CONFIRM)
    assert response["Location"] == PROGRESS and len(callbacks) == 1
    new = KeyAccount.objects.exclude(pk=world.account.pk).get()
    assert new.contacts.count() == world.account.contacts.count()
    upload.refresh_from_db()
    assert upload.imported_account == new and upload.data == {}  # the export is dropped
    polled = client.get(PROGRESS, **HTMX)
    assert polled.status_code == 204 and polled["HX-Redirect"] == new.get_absolute_url()
    # A poll right after it (before the browser has left) goes there too, unannounced.
    assert client.get(PROGRESS, **HTMX)["HX-Redirect"] == new.get_absolute_url()
    overview = client.get(new.get_absolute_url()).content.decode()
    assert overview.count("Key account Nordwind AG imported.") == 1
    # The import page starts afresh; the finished upload goes.
    assert "Export file (.json)" in client.get(URL).content.decode()
    assert not AccountUpload.objects.exists()


def test_the_page_shows_how_far_the_worker_is(world: World, small_background: None) -> None:
    client, upload = _uploaded(world)
    assert tasks.queue_account_import(upload, world.manager)
    assert not tasks.queue_account_import(upload, world.manager)  # a second click
    # The upload page, the confirmation and the discarding lead to the progress.
    assert client.get(URL)["Location"] == PROGRESS
    assert client.post(CONFIRM)["Location"] == PROGRESS
    assert client.post(DISCARD)["Location"] == PROGRESS
    assert AccountUpload.objects.filter(pk=upload.pk).exists()
    page = client.get(PROGRESS).content.decode()
    assert "Waiting for the task worker to begin" in page
    total = tasks.row_count(upload.data)
    with progress.tracking(tasks.progress_key(upload), total):
        progress._current.get().store(progress.ALL, total // 2, now=True)  # type: ignore[union-attr]
        bar = client.get(PROGRESS, **HTMX).content.decode()
    assert f"Importing record {total // 2:,} of {total:,}" in bar
    assert f'aria-valuenow="{100 * (total // 2) // total}"' in bar
    # Another export is not taken meanwhile.
    refused = client.post(URL, {"file": _file(world, name="other.json")})
    assert refused.status_code == 400
    assert "nordwind.json is still being imported" in refused.content.decode()


def test_an_export_that_no_longer_fits_is_refused_and_the_preview_says_why(
    world: World, small_background: None
) -> None:
    client, upload = _uploaded(world)
    assert tasks.queue_account_import(upload, world.manager)
    world.member.username = "renamed"  # a colleague the export names is no longer found
    world.member.save()
    assert tasks.run_account_import.call(upload_id=upload.pk, actor_id=world.manager.pk) == (
        "refused"
    )
    upload.refresh_from_db()
    assert upload.refusal == Refusal.PROBLEMS and upload.queued_at is None
    assert KeyAccount.objects.count() == 1
    assert client.get(PROGRESS, **HTMX)["HX-Redirect"] == URL
    page = client.get(URL).content.decode()
    assert "The import in the background wrote nothing: the export no longer imports" in page


def test_a_failed_or_stale_import_stops_the_wait(
    world: World, small_background: None, monkeypatch
) -> None:
    client, upload = _uploaded(world)
    assert tasks.queue_account_import(upload, world.manager)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "import_account", broken)
    with pytest.raises(RuntimeError):
        tasks.run_account_import.call(upload_id=upload.pk, actor_id=world.manager.pk)
    upload.refresh_from_db()
    assert upload.refusal == Refusal.FAILED and upload.queued_at is None
    assert "the import stopped with an error" in client.get(URL).content.decode()
    # Queued again, but never run: after STALE the page stops waiting.
    assert tasks.queue_account_import(upload, world.manager)
    AccountUpload.objects.filter(pk=upload.pk).update(
        queued_at=timezone.now() - tasks.STALE - datetime.timedelta(seconds=1)
    )
    assert client.get(PROGRESS)["Location"] == URL
    assert AccountUpload.objects.get().refusal == Refusal.FAILED


def test_a_manager_who_is_one_no_longer_imports_nothing(
    world: World, small_background: None
) -> None:
    _client, upload = _uploaded(world)
    assert tasks.queue_account_import(upload, world.manager)
    world.manager.groups.clear()
    assert (
        tasks.run_account_import.call(upload_id=upload.pk, actor_id=world.manager.pk) == "refused"
    )
    assert AccountUpload.objects.get().refusal == Refusal.ACCESS
    assert KeyAccount.objects.count() == 1


def test_the_progress_page_is_for_managers_and_their_own_upload(
    world: World, small_background: None
) -> None:
    for who in ("lead", "member", "outsider"):
        assert world.client_for(who).get(PROGRESS).status_code == 403
    client = world.client_for("manager")
    assert client.get(PROGRESS)["Location"] == URL  # nothing queued: the upload page
    assert client.post(PROGRESS).status_code == 405


def test_the_progress_page_costs_the_same_queries_for_a_small_and_a_large_export(
    world: World, small_background: None
) -> None:
    from tests.factories import ContactFactory

    client, upload = _uploaded(world)
    tasks.queue_account_import(upload, world.manager)
    small = page_queries(client, PROGRESS)
    AccountUpload.objects.all().delete()
    ContactFactory.create_batch(30, account=world.account)
    client, upload = _uploaded(world)
    tasks.queue_account_import(upload, world.manager)
    assert page_queries(client, PROGRESS) == small <= 8
