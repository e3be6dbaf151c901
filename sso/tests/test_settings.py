"""The OIDC_* variables: off without them, on with all three, a stop at start-up when half set."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "kamteam" / "settings.py"
BACKEND = "sso.backends.KamteamOIDCBackend"
COMPLETE = {
    "OIDC_ISSUER": "https://login.example.com/realms/company/",
    "OIDC_CLIENT_ID": "kamteam",
    "OIDC_CLIENT_SECRET": "secret",
}


def _settings(**env: str) -> dict[str, Any]:
    """kamteam/settings.py read afresh with this environment (production)."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "DEBUG"))}
    production = {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "kamteam.example.com"}
    with mock.patch.dict(os.environ, kept | production | env, clear=True):
        return runpy.run_path(str(SETTINGS_FILE))


def test_without_configuration_there_is_no_single_sign_on() -> None:
    found = _settings()
    assert found["OIDC_ENABLED"] is False
    assert BACKEND not in found["AUTHENTICATION_BACKENDS"]


def test_a_complete_configuration_turns_it_on_after_axes() -> None:
    found = _settings(**COMPLETE, OIDC_PROVIDER_NAME="Keycloak", OIDC_MANAGERS_GROUP="mgr")
    assert found["OIDC_ENABLED"] is True
    assert found["OIDC_DISCOVERY_URL"] == (
        "https://login.example.com/realms/company/.well-known/openid-configuration"
    )
    backends = found["AUTHENTICATION_BACKENDS"]
    assert backends[0] == "axes.backends.AxesStandaloneBackend" and BACKEND in backends
    assert (found["OIDC_PROVIDER_NAME"], found["OIDC_MANAGERS_GROUP"]) == ("Keycloak", "mgr")
    assert found["OIDC_RP_SCOPES"] == "openid email profile"
    assert (found["OIDC_RP_SIGN_ALGO"], found["OIDC_USE_PKCE"]) == ("RS256", True)
    assert found["OIDC_GROUPS_CLAIM"] == "groups"


def test_a_discovery_url_instead_of_the_issuer() -> None:
    url = "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration"
    env = {k: v for k, v in COMPLETE.items() if k != "OIDC_ISSUER"}
    found = _settings(**env, OIDC_DISCOVERY_URL=url, OIDC_SCOPES="openid,email profile")
    assert found["OIDC_DISCOVERY_URL"] == url
    assert found["OIDC_RP_SCOPES"] == "openid email profile"


@pytest.mark.parametrize("missing", sorted(COMPLETE))
def test_half_a_configuration_stops_the_start(missing: str) -> None:
    env = {k: v for k, v in COMPLETE.items() if k != missing}
    with pytest.raises(ImproperlyConfigured, match="missing"):
        _settings(**env)


@pytest.mark.parametrize(
    "env",
    [
        {"OIDC_ISSUER": "http://login.example.com"},  # not https
        {"OIDC_ISSUER": "login.example.com"},  # no scheme
        {"OIDC_DISCOVERY_URL": "https://login.example.com/.well-known/openid-configuration"},
        {"OIDC_SCOPES": "email profile"},  # no openid
        {"OIDC_SIGN_ALGO": "none"},
        {"OIDC_OP_LOGOUT": "perhaps"},
    ],
)
def test_bad_values_stop_the_start(env: dict[str, str]) -> None:
    with pytest.raises(ImproperlyConfigured):
        _settings(**(COMPLETE | env))


def test_http_is_allowed_on_this_machine_only() -> None:
    found = _settings(**(COMPLETE | {"OIDC_ISSUER": "http://127.0.0.1:5556"}))
    assert found["OIDC_DISCOVERY_URL"].startswith("http://127.0.0.1:5556/")
