"""Single sign-on pages without a provider: the login page's button, failures, the password login.

The round trip through a real provider: test_browser_sign_in.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory


def _configure_without_provider(settings: Any) -> None:
    """Configured, pointing at a port where nothing answers: enough for the pages."""
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Contoso ID"
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = "kamteam"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sso.backends.KamteamOIDCBackend",
    ]


@pytest.mark.django_db
def test_without_configuration_no_button_and_no_sso_pages(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert "Sign in with" not in page and "/oidc/" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_configured_the_login_page_offers_the_provider(client: Client, settings: Any) -> None:
    _configure_without_provider(settings)
    page = client.get("/login/?next=/portfolio/").content.decode()
    assert "Sign in with Contoso ID" in page
    assert 'href="/oidc/authenticate/?next=/portfolio/"' in page


@pytest.mark.django_db
def test_an_unreachable_provider_gives_a_message_not_an_error(
    client: Client, settings: Any
) -> None:
    _configure_without_provider(settings)
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "Signing in with Contoso ID failed" in response.content.decode()


@pytest.mark.django_db
def test_a_forged_callback_goes_back_to_the_login_page(client: Client, settings: Any) -> None:
    _configure_without_provider(settings)
    response = client.get("/oidc/callback/?code=stolen&state=made-up", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_password_login_and_its_lockout_work_beside_sso(client: Client, settings: Any) -> None:
    """Axes' backend stays first; the OIDC backend neither answers nor calls the provider."""
    _configure_without_provider(settings)
    UserFactory(username="lena")
    response = client.post("/login/", {"username": "lena", "password": "secret-pass-123"})
    assert response.status_code == 302 and client.session["_auth_user_id"]
    client.post("/logout/")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "lena", "password": "wrong"})
    locked = client.post("/login/", {"username": "lena", "password": "secret-pass-123"})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
