"""mozilla-django-oidc's OIDC_* settings, built from kamteam's OIDC_* variables.

kamteam/settings.py reads every variable with its typed helpers
(kamteam/env.py) and hands the texts (addresses, client, names: TEXTS) over
in `environ`. They must fit together: half a configuration stops the
start with ImproperlyConfigured, not the first sign-in. Imported while the
settings load, so it touches no model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TEXTS = (
    "OIDC_ISSUER",
    "OIDC_DISCOVERY_URL",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_SCOPES",
    "OIDC_PROVIDER_NAME",
    "OIDC_MANAGERS_GROUP",
    "OIDC_GROUPS_CLAIM",
)
SIGN_ALGOS = ("rs256", "rs384", "rs512", "es256", "es384", "es512")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _discovery_url(*, issuer: str, discovery_url: str) -> str:
    if issuer and discovery_url:
        raise ImproperlyConfigured("Set OIDC_ISSUER or OIDC_DISCOVERY_URL, not both.")
    name, url = ("OIDC_ISSUER", issuer) if issuer else ("OIDC_DISCOVERY_URL", discovery_url)
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be a https:// URL; got {url!r}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        # Plain http only to a provider on this machine (the tests' provider).
        raise ImproperlyConfigured(f"{name} must be a https:// URL; got {url!r}")
    return f"{issuer.rstrip('/')}/.well-known/openid-configuration" if issuer else url


def oidc_settings(
    *, environ: Mapping[str, str], sign_algo: str, provider_logout: bool, timeout: int
) -> dict[str, Any]:
    """The settings; OIDC_ENABLED is False (and nothing else matters) without any of the three.

    `environ` holds the TEXTS (a missing one counts as empty).
    """
    env = environ.get
    issuer, discovery_url = env("OIDC_ISSUER", "").strip(), env("OIDC_DISCOVERY_URL", "").strip()
    client_id, client_secret = (
        env("OIDC_CLIENT_ID", "").strip(),
        env("OIDC_CLIENT_SECRET", "").strip(),
    )
    scopes = env("OIDC_SCOPES", "").strip() or "openid email profile"
    given = {
        "OIDC_ISSUER or OIDC_DISCOVERY_URL": bool(issuer or discovery_url),
        "OIDC_CLIENT_ID": bool(client_id),
        "OIDC_CLIENT_SECRET": bool(client_secret),
    }
    enabled = any(given.values())
    if enabled and not all(given.values()):
        missing = ", ".join(name for name, ok in given.items() if not ok)
        raise ImproperlyConfigured(
            "Single sign-on needs OIDC_ISSUER (or OIDC_DISCOVERY_URL), OIDC_CLIENT_ID and "
            f"OIDC_CLIENT_SECRET; missing: {missing}"
        )
    url = _discovery_url(issuer=issuer, discovery_url=discovery_url) if enabled else ""
    scope_list = scopes.replace(",", " ").split()
    if enabled and "openid" not in scope_list:
        raise ImproperlyConfigured(f"OIDC_SCOPES must include openid; got {scopes!r}")
    if timeout < 1:
        raise ImproperlyConfigured(f"OIDC_TIMEOUT must be 1 second or more; got {timeout}")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    return {
        "OIDC_ENABLED": enabled,
        "OIDC_DISCOVERY_URL": url,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": client_secret,
        "OIDC_PROVIDER_NAME": env("OIDC_PROVIDER_NAME", "").strip()
        or "SSO",  # the login button's label
        "OIDC_RP_SCOPES": " ".join(scope_list),
        "OIDC_RP_SIGN_ALGO": sign_algo.upper(),
        "OIDC_USE_PKCE": True,
        "OIDC_MANAGERS_GROUP": env("OIDC_MANAGERS_GROUP", "").strip(),
        "OIDC_GROUPS_CLAIM": env("OIDC_GROUPS_CLAIM", "").strip() or "groups",
        "OIDC_OP_LOGOUT": provider_logout,
        "OIDC_STORE_ID_TOKEN": provider_logout,  # the id_token_hint of that logout
        "OIDC_TIMEOUT": timeout,
        # Where the logout form's answer may send the browser on to (the
        # provider's logout): browsers hold a form's redirects to form-action.
        "OIDC_FORM_ACTION": [origin] if enabled and provider_logout else [],
    }
