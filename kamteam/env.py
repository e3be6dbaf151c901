"""The typed readers of the environment behind kamteam/settings.py.

Each fails at start-up with ImproperlyConfigured on a bad value instead of
letting a typo turn into surprising behaviour at run time.
"""

from __future__ import annotations

import os
from email.utils import getaddresses, parseaddr
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured, ValidationError

from core.validators import validate_plain_email

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from exc


def env_int_between(name: str, default: int, low: int, high: int) -> int:
    """A whole number from `low` to `high` (a setting outside them is a mistake, said at start)."""
    value = env_int(name, default)
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be {low:,} to {high:,}; got {value}")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_port(name: str, default: int) -> int:
    port = env_int(name, default)
    if not 1 <= port <= 65535:
        raise ImproperlyConfigured(f"{name} must be a port number (1-65535); got {port}")
    return port


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    """An absolute URL with one of `schemes` and a host (a typo fails here, not at first use)."""
    raw = os.environ.get(name, default).strip() or default
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not (parts.hostname or parts.scheme == "unix"):
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)} "
            f"and naming a host; got {raw!r}"
        )
    return raw


def env_email(name: str, default: str) -> str:
    """A sender address, bare or with a name ("kamteam <kamteam@example.com>")."""
    raw = os.environ.get(name, default).strip() or default
    _name, address = parseaddr(raw)
    local, _at, domain = address.rpartition("@")
    if not (local and domain) or any(c in raw for c in "\r\n"):
        raise ImproperlyConfigured(
            f"{name} must be an e-mail address such as kamteam@example.com or "
            f"'kamteam <kamteam@example.com>'; got {raw!r}"
        )
    return raw


def env_admins(name: str) -> list[tuple[str, str]]:
    """People to mail about server errors: "Ada <ada@example.com>, ops@example.com".

    Returned as Django 5.2's ADMINS wants them: (name, address) pairs; a bare
    address is its own name.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    if any(c in raw for c in "\r\n"):
        raise ImproperlyConfigured(f"{name} must be one line; got {raw!r}")
    people = []
    for display, address in getaddresses([raw]):
        try:
            # What core.mail will accept when it sends to them: a typo fails here.
            validate_plain_email(address or "-")
        except ValidationError as error:
            raise ImproperlyConfigured(
                f"{name} must list e-mail addresses separated by commas, such as "
                f"'Ada Admin <ada@example.com>, ops@example.com'; got {raw!r}"
            ) from error
        people.append((display or address, address))
    return people
