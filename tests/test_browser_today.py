"""The home page on the road (issue 14): a 390 px phone, one hand, in a real browser.

Playwright drives Debian's Chromium as in tests/test_browser.py (skipped
without it, unless KAMTEAM_REQUIRE_BROWSER is set). The page must not scroll
sideways, every link and button must be a 44 x 44 px target, and "Mark done"
and "Mark read" must answer in place.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest

from tests.fixtures import ARTIFACTS, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
TODAY = datetime.date(2026, 12, 2)  # the demo's December
# Every visible link, button and disclosure in the page's main part smaller than 44 x 44 px.
SMALL_TARGETS_JS = """() => [...document.querySelectorAll(
    'main a[href], main button, main summary, main textarea')]
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && r.height > 0 && (r.width < 44 || r.height < 44))
  .map(([el, r]) => `${el.tagName} ${Math.round(r.width)}x${Math.round(r.height)} `
    + (el.innerText || '').trim().slice(0, 40))"""


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _phone(browser, base: str, username: str, language: str = "en"):
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return context, page


def _fits_one_hand(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{label}: {width} px wide"
    small = page.evaluate(SMALL_TARGETS_JS)
    assert not small, f"{label}: targets under 44 px: {small}"


@pytest.mark.parametrize(
    ("username", "language"),
    [("nkam", "en"), ("kam", "de"), ("manager", "en"), ("innendienst", "de"), ("outsider", "en")],
)
def test_home_fits_a_phone(browser, demo: str, username: str, language: str) -> None:
    context, page = _phone(browser, demo, username, language)
    _fits_one_hand(page, f"{username} ({language})")
    if username == "nkam":  # the demo's overdue call, "Mark done" opened
        page.locator("li.today-touchpoint summary").first.click()
        _fits_one_hand(page, "nkam with the form open")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-home-{username}-{language}.png"), full_page=True)
    context.close()


def test_mark_done_in_place_on_a_phone(browser, demo: str) -> None:
    context, page = _phone(browser, demo, "nkam")
    page.evaluate("window.stillThisPage = true")  # gone if the page were loaded anew
    overdue = page.locator("#today-overdue")
    item = overdue.locator("li", has_text="Call about the framework renewal timeline")
    item.locator("summary").click()
    item.get_by_label("Outcome").fill("Renewal talks start in March.")
    item.get_by_role("button", name="Mark done Call about the framework renewal timeline").click()
    overdue.get_by_text("“Call about the framework renewal timeline” is done.").wait_for()
    assert overdue.get_by_text("Renewal talks start in March.").is_visible()
    assert page.evaluate("window.stillThisPage === true")
    page.reload()
    assert page.get_by_text("Call about the framework renewal timeline").count() == 0
    context.close()


def test_mark_a_review_read_in_place_on_a_phone(browser, demo: str) -> None:
    from accounts.models import KeyAccountPlan
    from portfolio.models import PlanReview
    from users.models import User

    PlanReview.objects.create(
        plan=KeyAccountPlan.objects.get(account__slug="nordstern"),
        reviewed_by=User.objects.get(username="manager"),
        comment="Strong plan; add the Suzhou service potential.",
    )
    context, page = _phone(browser, demo, "kam")
    new = page.locator("#today-new")
    assert new.get_by_text("Strong plan; add the Suzhou service potential.").is_visible()
    new.get_by_role("button", name="Mark read").click()
    new.get_by_text("The review of the plan 2026–2028 is marked read.").wait_for()
    page.reload()
    assert page.get_by_text("Strong plan; add the Suzhou service potential.").count() == 0
    context.close()
