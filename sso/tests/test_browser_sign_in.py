"""Single sign-on end to end: a real browser, a real OpenID provider, the live server.

The provider is oidc-provider on Node (tests/oidc.py); its development login
takes any password. Playwright drives Debian's Chromium as in
tests/test_browser_today.py (skipped without it or without the provider,
unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import copy
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from sso.models import OidcIdentity
from tests.factories import UserFactory
from tests.oidc import OidcProvider
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)
from tests.test_html_validity import vnu  # noqa: F401 (a fixture)
from users.models import MANAGERS_GROUP, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_at_provider(browser: Any, base: str, login: str) -> tuple[Any, Any]:
    """From our login page through the provider's login and consent pages."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the consent page
    return context, page


def _log_out(page: Any) -> None:
    page.locator("nav .dropdown-toggle").last.click()
    page.locator("nav form[action='/logout/'] button").click()


def test_a_new_colleague_signs_in_as_a_manager_and_logs_out(
    browser: Any, live_server: Any, seeded: None, oidc_settings: OidcProvider
) -> None:
    context, page = _sign_in_at_provider(browser, live_server.url, "ada")
    page.wait_for_url(f"{live_server.url}/")
    user = User.objects.get(username="ada")
    assert (user.first_name, user.last_name, user.email, user.language) == (
        "Ada",
        "Lovelace",
        "Ada.Lovelace@example.com",
        "de",
    )
    assert user.groups.filter(name=MANAGERS_GROUP).exists()
    assert OidcIdentity.objects.get(user=user).issuer == oidc_settings.issuer
    assert page.locator("nav a[href='/portfolio/']").is_visible()

    _log_out(page)
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/portfolio/")
    assert page.url.startswith(f"{live_server.url}/login/")  # the local session is gone
    context.close()


def test_a_disabled_colleague_is_told_so_on_the_login_page(
    browser: Any, live_server: Any, seeded: None, oidc_settings: OidcProvider
) -> None:
    UserFactory(username="ghopper", email="grace@example.com", is_active=False)
    context, page = _sign_in_at_provider(browser, live_server.url, "grace")
    page.wait_for_url(f"{live_server.url}/login/")
    assert (
        page.get_by_role("alert").filter(has_text="Your kamteam account is disabled").is_visible()
    )
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/login/")
    assert User.objects.count() == 1
    context.close()


def test_an_unverified_address_does_not_open_a_colleagues_account(
    browser: Any, live_server: Any, seeded: None, oidc_settings: OidcProvider
) -> None:
    lena = UserFactory(username="lena", email="lena@example.com")
    context, page = _sign_in_at_provider(browser, live_server.url, "mallory")
    page.wait_for_url(f"{live_server.url}/login/")
    alert = page.get_by_role("alert").filter(has_text="did not confirm your e-mail address")
    assert alert.is_visible()
    assert list(User.objects.all()) == [lena] and not OidcIdentity.objects.exists()
    context.close()


def test_logout_can_end_the_provider_session_too(
    browser: Any, live_server: Any, seeded: None, oidc_settings: OidcProvider, settings: Any
) -> None:
    settings.OIDC_OP_LOGOUT = settings.OIDC_STORE_ID_TOKEN = True
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)  # as settings.py would with it
    policy["DIRECTIVES"]["form-action"].append(oidc_settings.issuer)
    settings.CONTENT_SECURITY_POLICY = policy
    context, page = _sign_in_at_provider(browser, live_server.url, "grace")
    page.wait_for_url(f"{live_server.url}/")
    _log_out(page)
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider asks
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/login/")
    # The provider's session is over too: signing in asks for the login again.
    page.goto(f"{live_server.url}/oidc/authenticate/")
    assert page.locator("input[name=login]").is_visible()
    context.close()


def test_the_login_page_with_button_and_message_is_accessible_and_valid(
    browser: Any,
    live_server: Any,
    seeded: None,
    settings: Any,
    axe_source: str,  # noqa: F811
    vnu: list[str],  # noqa: F811
) -> None:
    """Configured, but the provider is down: the login page shows the button and why."""
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Contoso ID"
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    page = browser.new_page()
    page.goto(f"{live_server.url}/oidc/authenticate/?next=/portfolio/")
    page.wait_for_url(f"{live_server.url}/login/")
    page.get_by_role("alert").filter(has_text="Signing in with Contoso ID failed").wait_for()
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"]] == []
    # The HTML as the server sent it, through the Nu HTML Checker.
    html = page.request.get(f"{live_server.url}/login/?next=/portfolio/").text()
    assert "Sign in with Contoso ID" in html
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "login.html").write_text(html, encoding="utf-8")
        done = subprocess.run(
            [*vnu, "--format", "json", "--exit-zero-always", tmp],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    errors = [m for m in json.loads(done.stderr)["messages"] if m["type"] != "info"]
    assert errors == []
    page.close()
