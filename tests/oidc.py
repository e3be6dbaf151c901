"""A real OpenID provider for the single sign-on tests: oidc-provider on Node, on a free port.

`oidc_provider` (once per test session) starts tests/oidc_provider/server.mjs
(installed by `make oidc`) with one client whose redirect URI is the live
server's /oidc/callback/, and the test accounts of ACCOUNTS; its built-in
development login takes any password. `oidc_settings` points kamteam at it
for one test. Skipped without node or the npm package, unless
KAMTEAM_REQUIRE_BROWSER is set (as in CI): then it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.smtp import free_port

HERE = Path(__file__).resolve().parent / "oidc_provider"
SERVER = HERE / "server.mjs"
INSTALLED = HERE / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "kamteam-tests"
CLIENT_SECRET = "a-test-client-secret-that-is-long-enough-for-hs256"
MANAGERS = "kamteam-managers"  # the provider's group that maps to our Managers

# The provider's people: the login name picks one (any password).
ACCOUNTS: dict[str, dict[str, Any]] = {
    "ada": {
        "email": "Ada.Lovelace@example.com",
        "email_verified": True,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "name": "Ada Lovelace",
        "preferred_username": "ada",
        "locale": "de-DE",
        "groups": [MANAGERS, "engineering"],
    },
    "grace": {
        "email": "grace@example.com",
        "email_verified": True,
        "given_name": "Grace",
        "family_name": "Hopper",
        "preferred_username": "grace",
        "locale": "en-US",
        "groups": ["engineering"],
    },
    # Claims an address the provider never confirmed.
    "mallory": {
        "email": "lena@example.com",
        "email_verified": False,
        "preferred_username": "mallory",
    },
}


@dataclass(frozen=True)
class OidcProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def _require_or_skip(reason: str) -> None:
    if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
        pytest.fail(f"KAMTEAM_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60  # node starts slowly on a busy CI machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID provider stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the OpenID provider did not start in 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any) -> Iterator[OidcProvider]:
    """The running provider; its one client may come back to the live server only."""
    node = shutil.which("node")
    if node is None:
        _require_or_skip("node is not installed (apt-get install npm)")
    if not INSTALLED.exists():
        _require_or_skip("oidc-provider is not installed (make oidc)")
    port = free_port()
    provider = OidcProvider(issuer=f"http://127.0.0.1:{port}")
    config = {
        "port": port,
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{live_server.url}/oidc/callback/"],
            "post_logout_redirect_uris": [f"{live_server.url}/login/"],
        },
        "accounts": ACCOUNTS,
    }
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        process = subprocess.Popen(
            [node, str(SERVER)],
            env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(process, provider.discovery_url, Path(log.name))
            yield provider
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def oidc_settings(settings: Any, oidc_provider: OidcProvider) -> OidcProvider:
    """kamteam configured for the test provider, as the OIDC_* variables would (settings.py)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Test IdP"
    settings.OIDC_DISCOVERY_URL = oidc_provider.discovery_url
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_MANAGERS_GROUP = MANAGERS
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sso.backends.KamteamOIDCBackend",
    ]
    return oidc_provider
