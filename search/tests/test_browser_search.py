"""The top bar's type-ahead in a real browser: type, choose with the keyboard, open.

Playwright drives Debian's Chromium as in tests/test_browser.py (skipped
without it, unless KAMTEAM_REQUIRE_BROWSER is set); every page is watched for
Content-Security-Policy violations (tests/fixtures.py).
"""

from __future__ import annotations

import re

import pytest

from tests.fixtures import login
from tests.test_accessibility import _violations, axe_source  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_typing_mue_offers_max_mueller_and_enter_opens_him(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
    width: int,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 844})
    login(page, demo, "kam")
    page.get_by_role("button", name="Search").first.click()
    box = page.get_by_role("combobox")
    box.wait_for(state="visible")
    page.keyboard.type("mue", delay=40)
    option = page.get_by_role("option", name=re.compile("^Max Müller"))
    option.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator("#nav-search-status").inner_text().startswith("Results in")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not _violations(page, axe_source)
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/nordstern/contacts/\d+/$"))
    assert "Max Müller" in page.locator("main").inner_text()
    page.close()


def test_enter_without_a_choice_opens_the_results_page(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "nkam")
    page.keyboard.press("/")
    box = page.get_by_role("combobox")
    box.wait_for(state="visible")
    box.fill("rahmen")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=rahmen$"))
    assert page.locator("mark", has_text="Rahmen").count() >= 1
    page.close()
