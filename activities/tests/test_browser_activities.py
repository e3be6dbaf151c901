"""Activities in a real browser on a phone: innendienst logs a call with Mr Müller from his
contact page; it heads the timeline, his last contact moves and the overdue mark goes; she
finds the annual review she joins in My touchpoints.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import pytest

from tests.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _row(page, name: str):  # type: ignore[no-untyped-def]
    """The contact list's row of `name` (others name them as their boss)."""
    return page.locator("tbody tr", has=page.locator("td:first-child a", has_text=name))


def test_inside_sales_logs_a_call_and_the_key_player_is_fresh_again(browser, demo: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, demo, "innendienst")
    page.goto(f"{demo}/accounts/nordstern/contacts/?sort=last_contact")
    muller = _row(page, "Max Müller")
    muller.get_by_text("overdue").wait_for()  # the demo's Nordstern wants 60 days
    muller.locator("td").first.get_by_role("link", name="Max Müller").click()
    page.get_by_role("link", name="Log an activity").click()
    assert page.get_by_label("Max Müller").is_checked()  # came from his page
    page.get_by_label("Subject").fill("Call about the packaging line")
    page.get_by_label("Note").fill("He wants a retrofit offer by January.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Log").click()
    page.get_by_text("Activity logged.").wait_for()
    first = page.locator("li.timeline-entry").first
    assert "Call about the packaging line" in first.inner_text()
    assert "Ines Dietrich" in first.inner_text()  # she came along: ticked for her

    page.goto(f"{demo}/accounts/nordstern/contacts/?sort=last_contact")
    assert _row(page, "Max Müller").get_by_text("overdue").count() == 0

    page.goto(f"{demo}/me/touchpoints/")
    page.get_by_text("You join Katrin Albers").wait_for()
