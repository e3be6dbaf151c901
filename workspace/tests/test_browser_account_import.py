"""A manager brings a key account in from its export, in a real browser.

The manager downloads Nordstern's JSON export from its overview, uploads a
copy that names a colleague nobody has here (the preview says so and offers
no import), then the file as it was, confirms, and lands on the new account
with its team and contacts. The German preview fits a phone. axe finds no
violations on either. Playwright drives Debian's Chromium as in
tests/test_browser_today.py.
"""

from __future__ import annotations

import json

import pytest

from accounts.models import KeyAccount
from tests import test_accessibility
from tests.fixtures import login
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _upload(page, name: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    upload = {"name": name, "mimeType": "application/json", "buffer": content}
    field = page.locator("details input[type=file], main form input[type=file]").first
    if page.locator("details").count():
        page.locator("details summary").click()
    field.set_input_files(upload)
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()


def test_a_manager_imports_a_key_account_from_its_export(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
) -> None:
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, demo, "manager")
    page.goto(f"{demo}/accounts/nordstern/")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON", exact=True).click()
    with open(download.value.path(), "rb") as saved:
        exported = saved.read()
    broken = json.loads(exported)
    broken["sections"]["team"][0]["user"] = "j.doe"

    page.goto(f"{demo}/accounts/")
    page.get_by_role("link", name="Import from an export").click()
    _upload(page, "nordstern-broken.json", json.dumps(broken).encode())
    page.get_by_role("heading", name="What stands in the way").wait_for()
    assert page.locator("li", has_text="j.doe").count() == 1
    assert page.get_by_role("button", name="Import Nordstern Industrie AG").count() == 0
    assert test_accessibility._violations(page, axe_source) == []

    _upload(page, "nordstern.json", exported)
    page.get_by_role("heading", name="What the import brings").wait_for()
    assert page.get_by_role("heading", name="What stands in the way").count() == 0
    assert page.locator("tr", has_text="Customer contacts").count() == 1
    assert test_accessibility._violations(page, axe_source) == []

    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, demo, "manager")
    phone.context.add_cookies([{"name": "django_language", "value": "de", "url": demo}])
    phone.goto(f"{demo}/accounts/new/import/")
    phone.get_by_role("heading", name="Was der Import bringt").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the preview is {width} px wide on a phone"
    assert test_accessibility._violations(phone, axe_source) == []

    page.get_by_role("button", name="Import Nordstern Industrie AG").click()
    page.get_by_text("Key account Nordstern Industrie AG imported").wait_for()
    imported = KeyAccount.objects.exclude(slug="nordstern").get(name="Nordstern Industrie AG")
    assert page.url == f"{demo}/accounts/{imported.slug}/"
    original = KeyAccount.objects.get(slug="nordstern")
    assert imported.contacts.count() == original.contacts.count() > 0
    assert imported.team_members.count() == original.team_members.count() > 0
