"""A large import in a real browser: confirmed, it waits for the task worker with a
progress bar that moves as the worker reports, then lands on the contacts.

The task waits in the database (its backend, not the tests' immediate one); the
test plays the worker's part in its own process (the live server's too): it
reports a step of progress, then runs the task. The page only polls, as it
does against a real worker (imports/tests/test_background.py has one).
Playwright drives Debian's Chromium as in tests/test_browser_today.py.
"""

from __future__ import annotations

import pytest

from accounts.models import CustomerContact
from imports import progress
from imports.models import ImportBatch
from imports.tasks import run_import
from tests import test_accessibility
from tests.fixtures import login
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _csv(rows: int) -> dict[str, object]:
    lines = ["CRM id;First name;Last name;Reports to"]
    lines += [f"BG-{n};Person;Hintergrund {n};{'' if n == 0 else 'BG-0'}" for n in range(rows)]
    return {"name": "gross.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}


def test_a_large_import_shows_its_progress_and_lands_on_the_contacts(
    browser,
    demo: str,
    settings,
    axe_source: str,  # noqa: F811
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 50
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, demo, "kam")
    page.context.add_cookies([{"name": "django_language", "value": "de", "url": demo}])
    page.goto(f"{demo}/accounts/nordstern/contacts/import/")
    page.get_by_label("Datei").set_input_files(_csv(400))
    page.get_by_role("button", name="Hochladen und Vorschau zeigen").click()
    page.get_by_text("Eine so große Datei wird im Hintergrund importiert").wait_for()
    page.get_by_role("button", name="400 Ansprechpartner importieren").click()

    # Queued: nobody has begun it yet.
    page.get_by_text("Warten, bis der Hintergrunddienst beginnt").wait_for()
    batch = ImportBatch.objects.get(file_name="gross.csv")
    assert batch.queued_at is not None and batch.task_id
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert test_accessibility._violations(page, axe_source) == []

    # The worker reports (as the import's own loop would) and the bar follows.
    with progress.tracking(progress.key_of(batch.pk), 400):
        progress._current.get().store(progress.WRITE, 200, now=True)  # type: ignore[union-attr]
        page.get_by_text("Zeile 200 von 400 wird geschrieben").wait_for()
        bar = page.get_by_role("progressbar")
        assert bar.get_attribute("aria-valuenow") == "75"
    assert test_accessibility._violations(page, axe_source) == []

    # The worker imports it; the next poll takes the page to the contacts.
    assert run_import.call(batch_id=batch.pk, actor_id=batch.uploaded_by_id) == "imported"
    page.get_by_text("400 neu, 0 aktualisiert, 0 unverändert").wait_for()
    assert page.url.endswith("/accounts/nordstern/contacts/")
    assert CustomerContact.objects.filter(crm_id__startswith="BG-").count() == 400
    # The list shows them a page at a time.
    page.get_by_role("navigation", name="Seiten").wait_for()
