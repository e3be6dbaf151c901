"""Key accounts from a spreadsheet in a real browser: the manager downloads the German
template, fills in three accounts with one mistake, sees it by row and column,
uploads the corrected file and finds the accounts in the list, led by their
first leads. axe finds nothing on the preview at 1366 px or on a phone.
Playwright drives Debian's Chromium as in tests/test_browser_today.py.
"""

from __future__ import annotations

import pytest

from accounts.models import KeyAccount
from imports.tests.test_browser_import import DESKTOP, PHONE, _with_rows
from tests import test_accessibility
from tests.fixtures import login
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _filled(template: bytes, lead_of_row_3: str) -> dict[str, object]:
    rows = [
        {
            "Name": name,
            "Land des Hauptsitzes": country,
            "Erster Lead (E-Mail oder Benutzername)": lead_of_row_3 if n == 1 else "kam",
            "Branche": "Chemie",
            "Klassifizierung": "A",
        }
        for n, (name, country) in enumerate(
            [
                ("Alpha Werke AG", "Deutschland"),
                ("Beta Logistik GmbH", "Österreich"),
                ("Gamma SA", "FR"),
            ]
        )
    ]
    return _with_rows(template, rows, "accounts.xlsx")


def test_a_manager_imports_three_key_accounts(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
) -> None:
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, demo, "manager")
    page.goto(f"{demo}/accounts/")
    page.get_by_role("link", name="Import from a spreadsheet").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Template with German columns").click()
    with open(download.value.path(), "rb") as saved:
        template = saved.read()

    page.get_by_label("File").set_input_files(_filled(template, "niemand@example.com"))
    page.get_by_role("button", name="Upload and preview").click()
    problem = page.locator("tbody tr", has_text="Nobody has the e-mail or user name")
    problem.wait_for()
    assert problem.locator("td").nth(0).inner_text() == "3"
    assert problem.locator("td").nth(1).inner_text() == "First lead (e-mail or user name)"
    assert page.get_by_role("button", name="Import 3 key accounts").count() == 0
    assert test_accessibility._violations(page, axe_source) == []

    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, demo, "manager")
    phone.goto(f"{demo}/accounts/new/spreadsheet/")
    phone.get_by_label("File").set_input_files(_filled(template, "kam"))
    phone.get_by_role("button", name="Upload and preview").click()
    phone.get_by_role("button", name="Import 3 key accounts").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert test_accessibility._violations(phone, axe_source) == []
    phone.get_by_role("button", name="Import 3 key accounts").click()
    phone.get_by_text("3 new, 0 updated, 0 unchanged").wait_for()
    alpha = KeyAccount.objects.get(name="Alpha Werke AG")
    assert alpha.hq_country.code == "DE" and alpha.industry == "Chemie"
    assert alpha.team_members.get().user.username == "kam"
    phone.get_by_role("link", name="Alpha Werke AG").first.wait_for()
