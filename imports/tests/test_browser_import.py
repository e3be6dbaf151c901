"""Importing contacts and team seats in a real browser, as the issue's "done when" walks it.

kam downloads the German template at Nordstern, fills in 300 contacts under
one head of purchasing (with one deliberate mistake), sees the mistake in the
preview by row and column, uploads the corrected file, confirms, finds the
org tree; the same file again changes nothing. The preview fits a phone.
Then twelve team seats go into a new account the same way.
Playwright drives Debian's Chromium as in tests/test_browser_today.py.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from accounts.models import CustomerContact
from tests import test_accessibility
from tests.fixtures import login
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _with_rows(template: bytes, rows: list[dict[str, str]], name: str) -> dict[str, object]:
    """The template with its example row replaced by `rows` (by column name)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return {"name": name, "mimeType": XLSX, "buffer": out.getvalue()}


def _filled(template: bytes, attitude_of_row_7: str) -> dict[str, object]:
    rows = [
        {
            "CRM-ID": f"IMP-{n}",
            "Vorname": f"Person{n}",
            "Nachname": "Einkauf" if n == 0 else f"Mitarbeiter{n}",
            "Berichtet an": "" if n == 0 else "IMP-0",
            "Haltung": attitude_of_row_7 if n == 5 else "neutral",
            "Buying-Center-Rollen": "Entscheider" if n == 0 else "",
        }
        for n in range(300)
    ]
    return _with_rows(template, rows, "kontakte.xlsx")


def test_a_lead_imports_300_contacts_with_their_org_tree(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
) -> None:
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/contacts/")
    page.get_by_role("link", name="Import", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Template with German columns").click()
    with open(download.value.path(), "rb") as saved:
        template = saved.read()

    page.get_by_label("File").set_input_files(_filled(template, "wütend"))
    page.get_by_role("button", name="Upload and preview").click()
    problem = page.locator("tbody tr", has_text="“wütend” is not an attitude")
    problem.wait_for()
    assert problem.locator("td").nth(0).inner_text() == "7"
    assert problem.locator("td").nth(1).inner_text() == "Attitude"
    assert page.get_by_role("button", name="Import 300 contacts").count() == 0
    assert test_accessibility._violations(page, axe_source) == []
    assert not CustomerContact.objects.filter(crm_id__startswith="IMP-").exists()

    fixed = _filled(template, "Unterstützer")
    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("File").set_input_files(fixed)
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import 300 contacts").click()
    page.get_by_text("300 new, 0 updated, 0 unchanged").wait_for()
    assert CustomerContact.objects.filter(crm_id__startswith="IMP-").count() == 300
    head = CustomerContact.objects.get(crm_id="IMP-0")
    assert head.direct_reports.count() == 299
    assert CustomerContact.objects.get(crm_id="IMP-5").attitude == 2

    page.get_by_role("link", name="Organisation tree").click()
    page.get_by_text("Person0 Einkauf").first.wait_for()

    # The same file again: nothing to do.
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, demo, "kam")
    phone.goto(f"{demo}/accounts/nordstern/contacts/import/")
    phone.get_by_label("File").set_input_files(fixed)
    phone.get_by_role("button", name="Upload and preview").click()
    phone.get_by_text("The file changes nothing").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert test_accessibility._violations(phone, axe_source) == []
    phone.goto(f"{demo}/accounts/nordstern/contacts/import/")
    phone.get_by_role("cell", name="kontakte.xlsx").wait_for()


def _team_filled(template: bytes, people: list[str], first_person: str) -> dict[str, object]:
    rows = [
        {
            "Person (e-mail or user name)": first_person if n == 0 else person,
            "Team role": "NKAM" if n < 3 else "Engineering",
            "Country": ["DE", "AT", "CH"][n] if n < 3 else "",
            "Team": "core" if n < 3 else "extended",
        }
        for n, person in enumerate(people)
    ]
    return _with_rows(template, rows, "team.xlsx")


def test_a_lead_imports_12_team_seats_into_a_new_account(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
) -> None:
    from accounts import services
    from accounts.models import AccountTeamMember, KeyAccount, TeamRole
    from users.models import User

    kam = User.objects.get(username="kam")
    account = services.account_create(  # as a manager creates one
        account=KeyAccount(name="Neukunde AG", slug="neukunde"),
        first_lead=kam,
        lead_role=TeamRole.objects.get(code="gkam"),
    )
    people = list(
        User.objects.filter(is_active=True)
        .exclude(username="kam")
        .exclude(email="")
        .order_by("username")
        .values_list("email", flat=True)[:12]
    )
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/neukunde/team/")
    page.get_by_role("link", name="Import", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Template with English columns").click()
    with open(download.value.path(), "rb") as saved:
        template = saved.read()

    page.get_by_label("File").set_input_files(_team_filled(template, people, "nobody@nowhere"))
    page.get_by_role("button", name="Upload and preview").click()
    problem = page.locator("tbody tr", has_text="Nobody has the e-mail or user name")
    problem.wait_for()
    assert problem.locator("td").nth(0).inner_text() == "2"
    assert test_accessibility._violations(page, axe_source) == []

    fixed = _team_filled(template, people, people[0])
    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("File").set_input_files(fixed)
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import 12 team seats").click()
    page.get_by_text("12 new, 0 updated, 0 unchanged").wait_for()
    seats = account.team_members.active()
    assert seats.count() == 13  # kam and the twelve
    assert set(seats.filter(role__code="nkam").values_list("country", flat=True)) == {
        "DE",
        "AT",
        "CH",
    }
    assert seats.filter(team=AccountTeamMember.Team.EXTENDED).count() == 9
    page.get_by_role("heading", name="Extended team").wait_for()

    # The same file again, on a phone: nothing to do.
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, demo, "kam")
    phone.goto(f"{demo}/accounts/neukunde/team/import/")
    phone.get_by_label("File").set_input_files(fixed)
    phone.get_by_role("button", name="Upload and preview").click()
    phone.get_by_text("The file changes nothing").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert test_accessibility._violations(phone, axe_source) == []
