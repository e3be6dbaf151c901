"""A KAM's day in one walk (issue 14, "Done when"): home, mark done, the notification read.

As nkam, on a 390 px phone and at 1366 px, in English and German: the home
page shows the demo's overdue framework-renewal call; it is marked done with
its outcome in place; a colleague's change waits in the bell, whose list
marks it read in place. No page scrolls sideways.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest

from accounts.models import KeyAccount
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notify
from tests.fixtures import DEMO_PASSWORD
from users.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 12, 2)
CALL = "Call about the framework renewal timeline"


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize(
    ("width", "language"), [(390, "en"), (390, "de"), (1366, "en"), (1366, "de")]
)
def test_home_mark_done_and_a_notification_read(
    browser, demo: str, width: int, language: str
) -> None:
    nordstern = KeyAccount.objects.get(slug="nordstern")
    notify(
        kind=Kind.MATRIX_AGREED,
        recipients=[User.objects.get(username="nkam")],
        actor=User.objects.get(username="kam"),
        account=nordstern,
        url=f"/accounts/{nordstern.slug}/raci/",
        params={"account": nordstern.name, "date": "2026-12-01"},
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
    page = context.new_page()
    page.goto(f"{demo}/login/")
    page.locator("#id_username").fill("nkam")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{demo}/")
    assert page.locator("html").get_attribute("lang") == language
    _fits(page, width)

    # Home: the overdue call, marked done with its outcome, in place.
    item = page.locator("#today-overdue li", has_text=CALL)
    item.locator("summary").click()
    item.locator("textarea").fill("Renewal talks start in March.")
    item.locator("button[type=submit]").click()
    page.locator("#today-overdue").get_by_text("Renewal talks start in March.").wait_for()
    _fits(page, width)

    # The bell: one unread; the list marks it read in place.
    page.locator("#notification-bell").click()
    page.wait_for_url("**/notifications/")
    _fits(page, width)
    page.locator("main form[action$='/read/'] button[type=submit]").first.click()
    page.wait_for_function("() => !document.querySelector(\"main form[action$='/read/']\")")
    assert not Notification.objects.filter(
        recipient__username="nkam", read_at__isnull=True
    ).exists()
    page.goto(f"{demo}/")
    assert page.locator("#today-overdue li", has_text=CALL).count() == 0
    context.close()
