"""axe-core, the accessibility engine used by browser audits, on every page kind.

Runs Deque's axe-core (installed from npm by `make test` when npm is there,
and always in CI) inside headless Chromium on the demo, in English and in
German, as a lead (who sees every control) and as a manager. Any violation of
serious or critical impact fails, with the rule and the offending elements.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures import login

AXE = Path(
    os.environ.get(
        "AXE_JS",
        Path(__file__).resolve().parent.parent / ".ci/axe/node_modules/axe-core/axe.min.js",
    )
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/accounts/",
    "/accounts/nordstern/",
    "/accounts/nordstern/plan/",
    "/accounts/nordstern/team/",
    "/accounts/nordstern/team/composition/",
    "/accounts/nordstern/team/add/",
    "/accounts/nordstern/contacts/",
    "/accounts/nordstern/contacts/tree/",
    "/accounts/nordstern/contacts/new/",
    "/accounts/nordstern/history/",
    "/accounts/nordstern/raci/",
    "/accounts/nordstern/raci/table/",
    "/accounts/nordstern/raci/print/",
    "/accounts/nordstern/raci/status/",
    "/me/roles/",
    "/raci/templates/",
    "/people/kam/",
    "/people/kam/edit/",
    "/me/password/",
    "/me/api-tokens/",
    "/accounts/nordstern/touchpoints/",
    "/accounts/nordstern/touchpoints/relationships/",
    "/accounts/nordstern/touchpoints/rhythm/",
    "/accounts/nordstern/touchpoints/print/",
    "/accounts/nordstern/whitespace/",
    "/accounts/nordstern/whitespace/units/new/",
    "/accounts/nordstern/opportunities/",
    "/accounts/nordstern/opportunities/new/",
    "/accounts/nordstern/documents/",
    "/accounts/nordstern/documents/new/",
    "/accounts/nordstern/contacts/import/",
    "/accounts/nordstern/team/import/",
    "/accounts/nordstern/activities/",
    "/accounts/nordstern/activities/new/",
    "/me/touchpoints/",
    "/accounts/nordstern/plan/print/",
    "/accounts/nordstern/coaching/",
    "/accounts/nordstern/coaching/new/",
    "/accounts/nordstern/coaching/thanks/new/",
    "/directory/",
    "/search/?q=mueller",
    "/search/?q=rahmen",
]


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
            pytest.fail(f"KAMTEAM_REQUIRE_BROWSER is set but axe-core is missing at {AXE}")
        pytest.skip("axe-core not installed (npm install --prefix .ci/axe axe-core@4)")
    return AXE.read_text()


def _violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["en", "de"])
def test_pages_have_no_serious_accessibility_violations(
    browser, demo: str, axe_source: str, language: str
) -> None:
    page = browser.new_page()
    login(page, demo, "kam")
    if language == "de":
        page.get_by_role("button", name="Deutsch").click()
    problems: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(demo + path)
        if found := _violations(page, axe_source):
            problems[path] = found
    page.goto(demo + "/accounts/nordstern/plan/")
    page.locator("a[href$='/edit/']", has_text="plan").first.click()
    page.wait_for_url("**/plans/*/edit/")
    if found := _violations(page, axe_source):
        problems["plan edit"] = found
    # A comment thread (its id differs from run to run): from the plan's own thread.
    page.goto(demo + "/accounts/nordstern/plan/")
    page.locator("#comments .card-header a").click()
    page.wait_for_url("**/comments/plan/*/")
    if found := _violations(page, axe_source):
        problems["comment thread"] = found
    page.close()
    assert not problems, problems


def _plan_review_path() -> str:
    from django.urls import reverse

    from accounts.models import KeyAccountPlan

    plan = KeyAccountPlan.objects.get(account__slug="nordstern", start_year=2026)
    return reverse("accounts:plan_review", args=["nordstern", plan.pk])


def test_manager_and_login_pages(browser, demo: str, axe_source: str) -> None:
    page = browser.new_page()
    page.goto(demo + "/login/")
    problems = {"login": _violations(page, axe_source)}
    login(page, demo, "manager")
    for path in (
        "/accounts/",
        "/accounts/new/",
        "/accounts/nordstern/archive/",
        "/accounts/nordstern/raci/",
        "/raci/templates/new/",
        "/portfolio/",
        "/portfolio/?classification=A&health=risk",
        "/portfolio/matrix/",
        "/accounts/nordstern/health/",  # the 12-week line (issue 18)
        _plan_review_path(),
    ):
        page.goto(demo + path)
        problems[path] = _violations(page, axe_source)
    page.close()
    assert not any(problems.values()), problems


PHONE_PAGES = [
    "/accounts/nordstern/",
    "/accounts/nordstern/plan/",
    "/accounts/nordstern/raci/",
    "/accounts/nordstern/touchpoints/",
    "/accounts/nordstern/history/",
    "/me/touchpoints/",
]


def test_phone_layouts_have_no_serious_accessibility_violations(
    browser, demo: str, axe_source: str
) -> None:
    """At a phone's width the pages differ (the section button, stacked rows, the
    grid scrolled to its quarter): axe on those, the section list opened too."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    login(page, demo, "kam")
    problems: dict[str, list[str]] = {}
    for path in PHONE_PAGES:
        page.goto(demo + path)
        if found := _violations(page, axe_source):
            problems[path] = found
    # A contact's form (its checkbox rows); the contact's id varies.
    page.goto(demo + "/accounts/nordstern/contacts/")
    contact = page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
        ".find(h => /\\/contacts\\/\\d+\\/$/.test(h))"
    )
    page.goto(f"{demo}{contact}edit/")
    assert page.locator(".form-check").count() >= 5
    if found := _violations(page, axe_source):
        problems["contact form"] = found
    page.goto(demo + "/accounts/nordstern/")
    page.locator(".workspace-sections > summary").click()
    if found := _violations(page, axe_source):
        problems["sections opened"] = found
    context.close()
    assert not problems, problems
