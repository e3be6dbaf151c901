"""A real browser walks the demo: Playwright driving Debian's Chromium.

Skipped when /usr/bin/chromium is missing, unless KAMTEAM_REQUIRE_BROWSER is
set (as CI does), so a missing browser can never pass silently there.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# transaction=True: the live server's thread must see the demo data. Such
# tests flush the database afterwards, and pytest-django runs them after all
# others, so only these tests need the seeded catalogues restored.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
            pytest.fail(f"KAMTEAM_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the
    # whole module; the ORM calls the tests make (demo data, database set-up
    # and flush) are still plain synchronous code.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(browser, live_server) -> str:
    for migration in (
        "accounts.migrations.0002_seed_catalogues",
        "profiles.migrations.0004_seed_motives",
    ):
        importlib.import_module(migration).seed(django_apps, None)
    call_command("demo", password="demo-pass-42", stdout=StringIO())
    return live_server.url


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-pass-42")
    page.get_by_role("button", name="Log in").click()


def test_kam_edits_the_plan_and_sees_the_change(browser, demo: str) -> None:
    page = browser.new_page()
    _login(page, demo, "kam")
    page.get_by_role("heading", name="My accounts").wait_for()
    page.get_by_role("link", name="Nordstern Industrie AG").click()
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
    _login(page, demo, "outsider")
    page.get_by_text("You are not on any key account team yet.").wait_for()
    response = page.goto(f"{demo}/accounts/nordstern/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "Nordstern" not in page.content()
    page.close()


def test_language_switch_turns_the_page_german(browser, demo: str) -> None:
    page = browser.new_page()
    _login(page, demo, "innendienst")
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_role("heading", name="Meine Accounts").wait_for()
    assert page.locator("html").get_attribute("lang") == "de"
    page.close()


def test_member_fills_in_own_motive_profile_and_sees_the_chart(browser, demo: str) -> None:
    page = browser.new_page()
    _login(page, demo, "innendienst")
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
    assert "-1.6" in chart.get_by_role("row", name="Vengeance").inner_text()
    assert page.locator(".motive-chart .band-high .bar").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-profile.png"), full_page=True)
    page.close()
