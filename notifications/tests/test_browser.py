"""In a real browser: a lead's change reaches a colleague's bell, who reads and follows it.

At a phone's width (390 px) and a laptop's (1366 px), in English and German:
axe-core finds nothing serious on the list and the settings, the page never
scrolls sideways, "Mark read" works in place (htmx) and updates the bell,
and following a notification marks it read.
"""

from __future__ import annotations

import pytest

from accounts.models import TeamRole
from notifications.models import Notification
from raci.models import RaciAssignment, RaciTask
from tests import test_accessibility
from tests.fixtures import login
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_cells(count: int) -> list[str]:
    """Ids of letter buttons Innendienst's role does not hold yet on Nordstern."""
    role = TeamRole.objects.get(code="inside-sales")
    held = set(
        RaciAssignment.objects.filter(task__account__slug="nordstern", role=role).values_list(
            "task_id", "letter"
        )
    )
    cells = [
        f"letter-{task.pk}-{role.pk}-{letter}"
        for task in RaciTask.objects.filter(account__slug="nordstern")
        for letter in "SCI"
        if (task.pk, letter) not in held
    ]
    return cells[:count]


def _assert_fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _bell(page) -> str:
    return page.locator("#notification-bell .visually-hidden").text_content().strip()


@pytest.mark.parametrize("width", [390, 1366])
def test_a_letter_given_is_seen_read_and_followed(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
    width: int,
) -> None:
    # The lead gives Innendienst's role two letters in the matrix.
    lead = browser.new_context(viewport={"width": 1366, "height": 900})
    page = lead.new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/raci/")
    for cell in _free_cells(2):
        page.locator(f"#{cell}").click()
        page.wait_for_selector(f"#{cell}[aria-pressed=true]")
    lead.close()
    assert Notification.objects.filter(recipient__username="innendienst").count() == 2

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    login(page, demo, "innendienst")
    assert _bell(page) == "2 unread notifications"
    page.locator("#notification-bell").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("text=unread").count() >= 2
    _assert_fits(page, width)
    assert test_accessibility._violations(page, axe_source) == []

    # Marked read in place: the item loses its mark and the bell counts one less.
    page.get_by_role("button", name="Mark read").first.click()
    page.wait_for_function(
        "() => document.querySelector('#notification-bell .visually-hidden')"
        ".textContent.trim() === '1 unread notification'"
    )
    assert page.get_by_role("button", name="Mark read").count() == 1

    # Following the other, still unread, goes to the matrix and marks it read.
    page.locator("main li:has(button:has-text('Mark read')) a[href$='/open/']").click()
    page.wait_for_url("**/accounts/nordstern/raci/")
    assert _bell(page) == "Notifications, none unread"
    assert not Notification.objects.filter(
        recipient__username="innendienst", read_at__isnull=True
    ).exists()

    # The same pages in German (on a phone the switch is in the folded menu).
    # Wait for the menu to have opened: a click while it is still sliding open
    # can miss the button on a loaded machine.
    if width < 1200:
        page.locator(".navbar-toggler").click()
        page.locator("#main-nav.collapse.show").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name="Deutsch").click()
    page.wait_for_selector("html[lang=de]")
    for path in ("/notifications/", "/notifications/settings/"):
        page.goto(demo + path)
        assert page.locator("html").get_attribute("lang") == "de"
        _assert_fits(page, width)
        assert test_accessibility._violations(page, axe_source) == [], path
    context.close()
