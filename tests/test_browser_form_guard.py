"""Chromium sends a form twice from one page; it is saved once (core.form_guard).

Issue 13, point 11: "Mark plan reviewed, Back, submit again: a second
identical review." The pages are no-store, so Back loads the form afresh;
kamteam.js keeps the page's token in its history entry, so the second submit
carries the first one's token. Fixtures: tests/fixtures.py.
"""

from __future__ import annotations

import pytest

from accounts.models import KeyAccountPlan
from portfolio.models import PlanReview
from tests.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENT_TWICE = "This form was already sent; nothing was saved twice."
COMMENT = "Strong plan; add the Suzhou service potential."


def _reviews() -> int:
    plan = KeyAccountPlan.objects.filter(account__slug="nordstern").order_by("-start_year").first()
    return PlanReview.objects.filter(plan=plan, comment=COMMENT).count()


def _open_review_form(page, base: str) -> None:
    page.goto(f"{base}/accounts/nordstern/plan/")
    page.get_by_role("link", name="Mark plan reviewed").click()
    page.get_by_label("Comment").wait_for()


def test_plan_reviewed_back_and_sent_again_is_one_review(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "manager")
    _open_review_form(page, demo)
    review_url = page.url
    page.get_by_label("Comment").fill(COMMENT)
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_text("marked as reviewed").wait_for()
    plan_url = page.url

    page.go_back()
    page.wait_for_url(review_url)
    page.get_by_label("Comment").fill(COMMENT)
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_text(SENT_TWICE).wait_for()
    # Where the first submission led: the plan, with the one review.
    assert page.url == plan_url
    assert _reviews() == 1

    # A review opened anew (a link, not Back) is a new review.
    _open_review_form(page, demo)
    page.get_by_label("Comment").fill(COMMENT)
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_text("marked as reviewed").wait_for()
    assert _reviews() == 2
    page.close()


def test_a_page_waiting_for_its_answer_does_not_send_the_form_again(browser, demo: str) -> None:
    """A second click while the first submission is under way sends nothing.

    It could reach another server process than the first, which would not
    know the first is being processed (core.form_guard).
    """
    page = browser.new_page()
    login(page, demo, "manager")
    _open_review_form(page, demo)
    page.get_by_label("Comment").fill(COMMENT)
    second_cancelled = page.evaluate(
        """() => {
            const form = document.querySelector("[name=comment]").form;
            form.requestSubmit();
            const again = new SubmitEvent("submit", {bubbles: true, cancelable: true});
            form.dispatchEvent(again);
            return again.defaultPrevented;
        }"""
    )
    assert second_cancelled
    page.get_by_text("marked as reviewed").wait_for()
    assert _reviews() == 1
    page.close()
