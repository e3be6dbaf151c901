"""A real browser walks the demo: Playwright driving Debian's Chromium.

Skipped when /usr/bin/chromium is missing, unless KAMTEAM_REQUIRE_BROWSER is
set (as CI does), so a missing browser can never pass silently there. The
fixtures live in tests/fixtures.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.fixtures import ARTIFACTS, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

# transaction=True: the live server's thread must see the demo data. Such
# tests flush the database afterwards, and pytest-django runs them after all
# others, so only these tests need the seeded catalogues restored.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_person(page: Page, field: str, person: str) -> None:
    """Pick `person` in a people picker (users/pickers.py) by typing and clicking, as people do."""
    box = page.get_by_role("combobox", name=field)
    box.fill(person.split()[0][:3])
    page.get_by_role("option", name=person).click()


def test_kam_edits_the_plan_and_sees_the_change(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "kam")
    page.get_by_role("heading", name="My accounts").wait_for()
    # Exact: the home page's items name their account in their links too.
    page.get_by_role("link", name="Nordstern Industrie AG", exact=True).click()
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name="Edit plan").click()
    page.get_by_label("Strategy").fill("Become the solution partner for packaging lines.")
    page.get_by_role("button", name="Save plan").click()
    page.get_by_text("Plan saved.").wait_for()
    assert page.get_by_text("Become the solution partner for packaging lines.").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-plan.png"), full_page=True)
    page.close()


def test_outsider_gets_no_access(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "outsider")
    page.get_by_text("You are not on any key account team yet.").wait_for()
    response = page.goto(f"{demo}/accounts/nordstern/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "Nordstern" not in page.content()
    page.close()


def test_language_switch_turns_the_page_german(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "innendienst")
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_role("heading", name="Meine Accounts").wait_for()
    assert page.locator("html").get_attribute("lang") == "de"
    page.close()


def test_member_fills_in_own_motive_profile_and_sees_the_chart(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "innendienst")
    page.get_by_role("button", name="Ines Dietrich").click()
    page.get_by_role("link", name="My profile").click()
    page.get_by_role("link", name="Edit my profile").click()
    page.get_by_label("Primary colour").select_option("green")
    page.get_by_label("Curiosity").fill("1.4")
    page.get_by_label("Vengeance").fill("-1.6")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Profile saved.").wait_for()
    chart = page.get_by_role("table", name="Life motives")
    row = chart.get_by_role("row", name="Curiosity")
    assert "+1.4" in row.inner_text() and "high" in row.inner_text()
    assert "\u22121.6" in chart.get_by_role("row", name="Vengeance").inner_text()
    assert page.locator(".motive-chart .band-high .bar").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-profile.png"), full_page=True)
    page.close()


FRAMEWORK = "Globaler Rahmenvertrag (global framework contract)"


def test_kam_builds_and_agrees_the_matrix_and_nkam_sees_their_roles(browser, demo: str) -> None:

    from io import BytesIO
    from pathlib import Path

    from openpyxl import load_workbook

    from raci.models import RaciMatrix, RaciTask

    RaciTask.objects.filter(account__slug="nordstern").delete()
    RaciMatrix.objects.filter(account__slug="nordstern").delete()
    page = browser.new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/raci/")
    page.get_by_text("No tasks in this matrix yet.").wait_for()
    page.get_by_label("Start from a company template").select_option(
        label="Global key account (handbook)"
    )
    page.get_by_role("button", name="Apply template").click()
    page.get_by_text("Added from the template").wait_for()
    page.get_by_text("Complete: every task has exactly one A").wait_for()

    # A second A is refused, in place (htmx), with the reason.
    page.get_by_role("button", name=f"A, GKAM, {FRAMEWORK}").click()
    page.get_by_role("alert").filter(has_text="already has its A").wait_for()
    assert (
        page.get_by_role("button", name=f"A, GKAM, {FRAMEWORK}").get_attribute("aria-pressed")
        == "false"
    )

    # A letter taken away and given back: htmx swaps the task's row and the
    # checks, and the keyboard focus stays on the letter that was pressed.
    letter_a = page.get_by_role("button", name=f"A, Management, {FRAMEWORK}")
    comment_link = page.locator("tr").filter(has=letter_a).locator("a.comment-link")
    link_before = comment_link.get_attribute("href")
    letter_a.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Not complete yet").wait_for()
    page.get_by_text("needs exactly one A").first.wait_for()
    assert letter_a.get_attribute("aria-pressed") == "false"
    assert letter_a.evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    page.get_by_text("Complete: every task has exactly one A").wait_for()
    assert letter_a.get_attribute("aria-pressed") == "true"
    assert page.locator("#raci-checks[aria-live=polite]").count() == 1
    # The swapped row keeps its comment link, which the answer leaves out (hx-preserve).
    assert comment_link.get_attribute("href") == link_before

    page.get_by_role("link", name="Change status").click()
    page.get_by_label("Status").select_option("agreed")
    page.get_by_label("Agreed in the team session on").fill("2026-09-15")
    choose_person(page, "Participants", "Katrin Albers, GKAM")
    choose_person(page, "Participants", "Niklas Kramer, NKAM Germany")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Agreed in the team session on 15 Sep 2026").wait_for()

    # The Excel export shows what the screen shows.
    screen = {}
    for row in page.locator("table.raci-grid tbody tr").all():
        task = row.locator("th").inner_text().splitlines()[0]
        screen[task] = [
            "".join(
                b.inner_text().strip()[0] for b in cell.locator("button[aria-pressed=true]").all()
            )
            for cell in row.locator("td").all()
        ]
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    ws = load_workbook(BytesIO(Path(download.value.path()).read_bytes())).active
    excel = {
        r[0]: [v or "" for v in r[1:]]
        for r in ws.iter_rows(min_row=6, values_only=True)
        if r[0] and r[0] in screen
    }
    assert excel == screen and len(screen) == 3
    page.close()

    page = browser.new_page()
    login(page, demo, "nkam")
    page.get_by_role("link", name="My roles").first.click()
    framework = page.locator("li.list-group-item").filter(has_text=FRAMEWORK)
    assert "must be asked before a decision" in framework.inner_text()
    assert "must be told the result" in framework.inner_text()
    offers = page.locator("li.list-group-item").filter(has_text="Nationale Angebote")
    assert "You do this task." in offers.inner_text()
    assert "You decide and sign off" in offers.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-my-roles.png"), full_page=True)
    page.close()


def test_touchpoint_plan_my_touchpoints_calendar_and_coverage(browser, demo: str) -> None:
    from icalendar import Calendar

    page = browser.new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/touchpoints/?year=2026")
    mueller = page.get_by_role("row").filter(has_text="Max Müller")
    for title in (
        "Article from a management magazine",
        "Reference story prepared as a letter",
        "Meeting with our partner Max Meier",
        "Christmas gift",
    ):
        assert mueller.locator("li.tp > span.fw-semibold", has_text=title).count() == 1, title
    # Add a touchpoint in place (htmx): Max Müller, Q1.
    grid_url = page.url
    mueller.get_by_role("link", name="Add Max Müller, Q1").click()
    page.get_by_label("What exactly").wait_for()
    assert page.url == grid_url  # the form opened in the cell, not on a page of its own
    # Invalid input keeps the form in its cell, with the message at the field.
    page.get_by_role("button", name="Add touchpoint").click()
    mueller.locator(".invalid-feedback").first.wait_for()
    assert page.url == grid_url
    page.get_by_label("What exactly").fill("New year greetings")
    choose_person(page, "Owner", "Katrin Albers, GKAM")
    page.get_by_role("button", name="Add touchpoint").click()
    mueller.locator("li.tp > span.fw-semibold", has_text="New year greetings").wait_for()
    # Coverage on the overview names real gaps of the demo.
    page.goto(f"{demo}/accounts/nordstern/")
    coverage = page.locator("section", has=page.get_by_role("heading", name="Contact coverage"))
    text = coverage.inner_text()
    assert "Decision makers without a relationship owner" in text and "Max Müller" in text
    assert "Call about the framework renewal timeline" in text  # overdue since Q3
    page.close()

    page = browser.new_page()
    login(page, demo, "innendienst")
    page.get_by_role("link", name="My touchpoints").first.click()
    page.get_by_role("link", name="Mark done Send the 2027 price list early").click()
    page.get_by_label("Outcome").fill("Sent with a personal note.")
    page.get_by_role("button", name="Mark done").click()
    page.get_by_text("is done.").wait_for()
    assert page.locator("li.list-group-item", has_text="Send the 2027 price list").count() == 0
    page.get_by_role("button", name="Create my calendar address").click()
    feed_url = page.get_by_label("Your calendar address").input_value()
    # A calendar program fetches the address without any login.
    response = page.context.request.get(feed_url)
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert any(
        "Annual review" in str(e["summary"]) or "Video conference" in str(e["summary"])
        for e in events
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-my-touchpoints.png"), full_page=True)
    page.close()


def test_manager_reviews_the_portfolio_and_a_plan(browser, demo: str) -> None:
    """Issue 6's walk: portfolio and chart, unhealthy A accounts, a plan review, Excel."""
    page = browser.new_page(accept_downloads=True)
    login(page, demo, "manager")
    page.get_by_role("link", name="Portfolio", exact=True).click()
    page.get_by_role("heading", name="Key account portfolio").wait_for()
    page.get_by_role("link", name="Portfolio matrix").click()
    page.get_by_role("heading", name="Portfolio matrix").wait_for()
    assert page.locator("svg.portfolio-matrix a").count() == 12
    page.get_by_role("link", name="Portfolio", exact=True).first.click()

    page.get_by_label("Classification", exact=True).select_option("A")
    page.get_by_label("Health", exact=True).select_option("risk")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.portfolio-table tbody tr")
    rows.first.wait_for()
    names = rows.locator("td:first-child a").all_inner_texts()
    assert names == ["Brightline Pharma plc"]

    page.get_by_role("link", name="Brightline Pharma plc", exact=True).click()
    page.get_by_role("heading", name="Brightline Pharma plc").wait_for()
    # Brightline has no plan: review the one of an account that has.
    page.goto(f"{demo}/accounts/nordstern/plan/")
    page.get_by_role("link", name="Mark plan reviewed").click()
    page.get_by_label("Comment").fill("Strong plan; add the Suzhou service potential.")
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_text("marked as reviewed").wait_for()
    assert page.get_by_text("Strong plan; add the Suzhou service potential.").is_visible()

    page.goto(f"{demo}/portfolio/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-portfolio.png"), full_page=True)
    page.close()

    lead = browser.new_page()
    login(lead, demo, "kam")
    lead.goto(f"{demo}/accounts/nordstern/")
    assert lead.get_by_text("Strong plan; add the Suzhou service potential.").is_visible()
    lead.close()


def test_outsider_sees_the_directory_and_nothing_more(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "outsider")
    page.get_by_role("link", name="Directory", exact=True).click()
    page.get_by_role("heading", name="Key account directory").wait_for()
    assert page.get_by_role("cell", name="Nordstern Industrie AG").is_visible()
    assert page.get_by_role("link", name="Nordstern Industrie AG").count() == 0
    assert "Max Müller" not in page.content()
    assert page.get_by_role("link", name="Portfolio", exact=True).count() == 0
    response = page.goto(f"{demo}/portfolio/")
    assert response is not None and response.status == 403
    page.close()
