"""Issue 18's walk in a real browser: the plan's gap and pipeline as kam, the portfolio's
pipeline coverage and health trend as the manager, both at 1366 px and on a phone.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import re

import pytest

from tests.fixtures import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]


@pytest.mark.parametrize("viewport", SIZES, ids=["desktop", "phone"])
def test_kam_sees_each_plan_years_gap_and_what_the_pipeline_covers(
    browser, demo: str, viewport: dict[str, int]
) -> None:
    page = browser.new_context(viewport=viewport).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/plan/")
    card = page.locator("section", has=page.get_by_role("heading", name="Gap and pipeline"))
    rows = card.locator("tbody tr")
    assert rows.count() >= 3  # one per plan year
    text = card.inner_text()
    assert re.search(r"The pipeline covers \d+\s?% of the gap\.", text), text
    # The card leads to the opportunities behind the numbers.
    card.get_by_role("link", name="Opportunities").click()
    page.wait_for_url("**/opportunities/")
    assert page.locator("tbody tr").count() >= 4  # the demo's four
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"opportunities-{viewport['width']}.png"), full_page=True)


@pytest.mark.parametrize("viewport", SIZES, ids=["desktop", "phone"])
def test_manager_sees_pipeline_coverage_and_the_health_trend(
    browser, demo: str, viewport: dict[str, int]
) -> None:
    page = browser.new_context(viewport=viewport).new_page()
    login(page, demo, "manager")
    page.goto(f"{demo}/portfolio/")
    row = page.locator("tbody tr", has=page.get_by_role("link", name="Nordstern", exact=False))
    row = row.first
    text = row.inner_text()
    assert re.search(r"\d+\s?%", text), text  # Nordstern's pipeline coverage
    assert "rising" in text, text  # the demo's 12 weeks climb
    # The filter keeps only accounts whose pipeline covers less than half the gap.
    page.goto(f"{demo}/portfolio/?coverage=low")
    assert page.locator("main").is_visible()
    # The account's health page draws the 12-week line.
    page.goto(f"{demo}/accounts/nordstern/health/")
    assert page.locator("svg.health-line, .health-line svg").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"health-{viewport['width']}.png"), full_page=True)
