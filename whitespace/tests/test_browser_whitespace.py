"""The whitespace map in a real browser: a lead edits Nordstern's map in place.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import pytest

from tests.fixtures import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_edits_a_cell_in_place_on_a_phone(browser, demo: str) -> None:
    from whitespace.models import WhitespaceCell

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/whitespace/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    total = page.locator("#ws-total").inner_text()
    # The unknown cell of Plant Wuhan (Automation in the demo) becomes an opportunity.
    page.get_by_role("link", name="Edit Plant Wuhan, Automation").click()
    status = page.get_by_label("Status")
    status.wait_for()
    # Focus moves to the form once htmx has settled the swap: wait for it (under
    # load the field is there a moment before the focus follows).
    page.wait_for_function("document.activeElement && document.activeElement.name === 'status'")
    status.select_option("opportunity")
    page.get_by_label("Yearly value").fill("75,000")
    page.get_by_label("Note").fill("Tender in spring")
    page.get_by_role("button", name="Save").click()
    page.locator("td.ws-cell form").wait_for(state="detached")  # swapped back in place
    cell = page.locator("td.ws-cell", has_text="Tender in spring")
    assert "opportunity" in cell.inner_text() and "€75,000" in cell.inner_text()
    assert page.locator("#ws-total").inner_text() != total  # the totals followed
    assert page.url.endswith("/whitespace/")  # in place: no page load
    saved = WhitespaceCell.objects.get(unit__name="Plant Wuhan", note="Tender in spring")
    assert (saved.status, saved.yearly_value) == ("opportunity", 75000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "whitespace-phone.png"), full_page=True)
