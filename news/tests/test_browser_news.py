"""Customer news in a real browser on a phone: nkam finds the Wuhan news on his home,
reads it, marks it read; kam, its lead, sees who read it.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import re

import pytest

from tests.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_nkam_reads_the_news_from_home_and_the_lead_sees_it_read(browser, demo: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, demo, "nkam")
    new = page.locator("#today-new")
    new.get_by_text("New plant in Wuhan from 2027", exact=True).wait_for()
    new.get_by_role("link", name=re.compile("Read it.*Wuhan")).click()
    page.get_by_role("heading", name="New plant in Wuhan from 2027").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Mark read").click()
    page.get_by_text("Marked read.").wait_for()
    page.goto(f"{demo}/")
    assert page.locator("#today-new").get_by_text("New plant in Wuhan").count() == 0

    lead = browser.new_context(viewport=PHONE).new_page()
    login(lead, demo, "kam")
    lead.goto(f"{demo}/accounts/nordstern/news/")
    lead.get_by_role("link", name="New plant in Wuhan from 2027", exact=True).click()
    readers = lead.locator("section", has=lead.get_by_role("heading", name=re.compile("Read by")))
    readers.get_by_text("Niklas Kramer").wait_for()
