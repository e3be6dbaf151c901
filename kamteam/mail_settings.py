"""The e-mail settings (core/mail.py): Django's SMTP settings and kamteam's address.

Read from the environment through kamteam/env.py and checked together, so a
relay configured by half stops the start instead of losing mails later.
kamteam/settings.py takes them in with globals().update.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from kamteam.env import env_bool, env_email, env_int, env_port, env_str, env_url


def mail_settings(*, DEBUG: bool, ALLOWED_HOSTS: list[str]) -> dict[str, Any]:
    """EMAIL_*, DEFAULT_FROM_EMAIL, SERVER_EMAIL, KAMTEAM_BASE_URL and SITE_URL."""
    return _smtp(DEBUG) | _addresses(DEBUG, ALLOWED_HOSTS)


def _settings_of(found: dict[str, Any]) -> dict[str, Any]:
    """The settings among a function's local names: upper case, not private."""
    return {k: v for k, v in found.items() if k.isupper() and not k.startswith("_")}


def _smtp(DEBUG: bool) -> dict[str, Any]:
    """How mails reach the relay."""
    # E-mail (core/mail.py), sent by the task worker, never inside a request.
    # Development (DEBUG and no EMAIL_HOST): mails are printed to the console.
    # Otherwise Django's SMTP backend talks to EMAIL_HOST: the company's relay,
    # by default one on this machine (no authentication needed on most intranets).
    _EMAIL_HOST = env_str("EMAIL_HOST").strip()
    if any(c.isspace() or c in "/@" for c in _EMAIL_HOST):
        raise ImproperlyConfigured(
            "EMAIL_HOST must be a host name or address such as smtp.example.com; "
            f"got {_EMAIL_HOST!r}"
        )
    EMAIL_BACKEND = env_str(
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG and not _EMAIL_HOST
        else "django.core.mail.backends.smtp.EmailBackend",
    )
    EMAIL_HOST = _EMAIL_HOST or "localhost"
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the first byte, usually port 465
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS (STARTTLS, usually port 587) and EMAIL_USE_SSL (implicit TLS, "
            "usually port 465) exclude each other: turn one of them off."
        )
    EMAIL_PORT = env_port("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    if bool(EMAIL_HOST_USER) != bool(EMAIL_HOST_PASSWORD):
        # Django logs in only with both; one alone would send unauthenticated, silently.
        raise ImproperlyConfigured("EMAIL_HOST_USER and EMAIL_HOST_PASSWORD go together: set both.")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
    if EMAIL_TIMEOUT < 1:
        raise ImproperlyConfigured(f"EMAIL_TIMEOUT must be 1 second or more; got {EMAIL_TIMEOUT}")
    found = _settings_of(locals())
    return {k: v for k, v in found.items() if k != "DEBUG"}


def _addresses(DEBUG: bool, ALLOWED_HOSTS: list[str]) -> dict[str, Any]:
    """Who mails come from, and where their links lead."""
    DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "kamteam <kamteam@localhost>")
    # The sender of error reports to ADMINS; the same as the others unless set.
    SERVER_EMAIL = env_email("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
    # The address people reach kamteam at: every link in a mail starts with it (a
    # worker has no request to take the host from). SITE_URL is its former name.
    KAMTEAM_BASE_URL = env_url(
        "KAMTEAM_BASE_URL",
        env_str(
            "SITE_URL",
            "http://127.0.0.1:8000"
            if DEBUG or not ALLOWED_HOSTS
            else f"https://{ALLOWED_HOSTS[0]}",
        ),
        ("https", "http"),
    ).rstrip("/")
    if urlsplit(KAMTEAM_BASE_URL)[2:] != ("", "", ""):
        raise ImproperlyConfigured(
            "KAMTEAM_BASE_URL must be the address alone, such as https://kamteam.example.com, "
            f"without a path, query or fragment; got {KAMTEAM_BASE_URL!r}"
        )
    SITE_URL = KAMTEAM_BASE_URL
    found = _settings_of(locals())
    return {k: v for k, v in found.items() if k not in ("DEBUG", "ALLOWED_HOSTS")}
