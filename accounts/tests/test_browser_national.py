"""National plans in a real browser, on a phone: the roll-up as kam, China's plan as nkam-china.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import re

import pytest

from tests.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_gkam_sees_germany_and_china_rolled_up(browser, demo: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/plan/")
    rollup = page.locator("section", has=page.get_by_role("heading", name="National plans"))
    rollup.get_by_role("link", name="Germany").first.wait_for()
    assert rollup.get_by_role("link", name="China").count() >= 1
    # 2026: Germany 3,200,000 + China 1,100,000 against the global 4,600,000.
    row = rollup.get_by_role("row", name="2026")
    assert "4,300,000" in row.inner_text() and "below the global target" in row.inner_text()
    assert "local price list" in rollup.inner_text()  # China's exception and its reason
    assert _fits(page)


def test_nkam_china_keeps_the_exception_of_their_plan(browser, demo: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, demo, "nkam-china")
    page.goto(f"{demo}/accounts/nordstern/plan/")
    page.get_by_role("link", name="China").first.click()
    page.get_by_text("Exception to the framework contract.").wait_for()
    assert _fits(page)
    page.get_by_role("link", name="Edit national plan").click()
    page.get_by_label("Reason for the exception").fill("")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Say why offers in this country do not follow").wait_for()
    page.get_by_label("Reason for the exception").fill("Local price list for spare parts.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("National plan saved.").wait_for()
    assert "Local price list for spare parts." in page.content()
    # Germany's plan is his colleague's: he reads it, without an edit button.
    page.goto(page.url.replace("/national/cn/", "/national/de/"))
    page.get_by_role("heading", name="National plan Germany, 2026–2028").wait_for()
    assert page.get_by_role("link", name="Edit national plan").count() == 0


def test_nkam_china_adds_and_marks_done_an_action_of_the_national_plan(browser, demo: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, demo, "nkam-china")
    page.goto(f"{demo}/accounts/nordstern/plan/")
    page.get_by_role("link", name="China").first.click()
    actions = page.get_by_role("list", name="Actions for “Suzhou plant management backs")
    actions.get_by_text("Visit the Suzhou plant manager with the GKAM").first.wait_for()
    assert _fits(page)
    page.get_by_role("link", name=re.compile("Add action.*Suzhou plant management")).click()
    page.locator("#id_title").fill("Translate the support letter")
    owner = page.get_by_role("combobox", name="Owner")
    owner.press_sequentially("Wei", delay=50)
    page.get_by_role("listbox").get_by_role("option", name="Wei Li").first.click()
    page.get_by_label("Due date").fill("2027-01-15")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Action saved.").wait_for()
    assert "/national/cn/#nobjective-" in page.url
    actions.get_by_text("Translate the support letter").first.wait_for()
    actions.get_by_role("button", name=re.compile("Mark done.*Visit the Suzhou")).click()
    page.get_by_text("“Visit the Suzhou plant manager with the GKAM” is done.").wait_for()
    assert _fits(page)
