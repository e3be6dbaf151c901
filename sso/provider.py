"""The provider's discovery document, fetched when first needed and kept for an hour.

Never at start-up: an unreachable provider must not stop kamteam, nor the
local password login. mozilla-django-oidc wants the endpoints as settings
(OIDC_OP_*); `oidc_setting` answers those from the document.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings

KEEP_SECONDS = 3600
_ENDPOINT_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched or lacks what sign-in needs."""


def provider_metadata() -> dict[str, Any]:
    url = settings.OIDC_DISCOVERY_URL
    with _lock:
        kept = _cache.get(url)
    if kept and time.monotonic() - kept[0] < KEEP_SECONDS:
        return kept[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    if not isinstance(document, dict) or not all(
        isinstance(document.get(key), str) for key in _REQUIRED
    ):
        raise ProviderUnavailable(f"{url}: not an OpenID Connect discovery document")
    with _lock:
        _cache[url] = (time.monotonic(), document)
    return document


def oidc_setting(name: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting; the endpoints come from discovery unless set explicitly."""
    if name in _ENDPOINT_SETTINGS and not hasattr(settings, name):
        return provider_metadata().get(_ENDPOINT_SETTINGS[name], *default)
    return import_from_settings(name, *default)
