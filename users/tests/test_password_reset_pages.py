"""The password reset pages in a real browser: axe-core, the Nu HTML Checker, a 390 px phone.

The crawl of tests/test_html_validity.py starts from logged-in pages, which
do not link here; these pages, with their error states, are checked here
with the same tools (skipped without them, unless KAMTEAM_REQUIRE_BROWSER).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import UserFactory
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)
from tests.test_html_validity import _axe, _vnu, vnu  # noqa: F401 (vnu: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def test_the_reset_pages_are_accessible_valid_and_fit_a_phone(
    browser,
    live_server,
    axe_source: str,  # noqa: F811
    vnu: list[str],  # noqa: F811
) -> None:
    katrin = UserFactory(username="katrin", email="katrin@example.com")
    uid = urlsafe_base64_encode(force_bytes(katrin.pk))
    token = default_token_generator.make_token(katrin)
    base = live_server.url
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    context.add_init_script(script=axe_source)
    page = context.new_page()
    pages: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    # The HTML as the server sent it (what vnu must see), not the DOM after scripts.
    documents = []
    page.on("response", lambda r: r.request.resource_type == "document" and documents.append(r))

    def check(label: str) -> None:
        page.wait_for_load_state()
        assert documents[-1].status == 200, (label, documents[-1].status)
        pages[label] = documents[-1].text()
        found = _axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            found.append(f"{width} px wide on a {PHONE} px phone")
        if found:
            problems[label] = found

    try:
        page.goto(f"{base}/login/")
        page.get_by_role("link", name="Forgot your password?").click()
        check("request")
        page.locator("#id_email").fill("not an address")
        page.locator("main form button[type=submit]").click()
        check("request with an error")
        page.locator("#id_email").fill("katrin@example.com")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/password-reset/done/")
        check("done")
        page.goto(f"{base}/reset/{uid}/{token}/")
        check("new password")
        page.locator("#id_new_password1").fill("12345678")
        page.locator("#id_new_password2").fill("12345678")
        page.locator("main form button[type=submit]").click()
        check("new password refused")
        page.locator("#id_new_password1").fill("Meadow-lantern-48")
        page.locator("#id_new_password2").fill("Meadow-lantern-48")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/reset/done/")
        check("complete")
        page.goto(f"{base}/reset/{uid}/{token}/")
        check("used link")
    finally:
        context.close()
    errors, _warnings = _vnu(vnu, pages)
    for label, found in errors.items():
        problems.setdefault(label, []).extend(found)
    assert not problems, problems
