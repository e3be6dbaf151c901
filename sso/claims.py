"""Reading the provider's claims (ID token and userinfo): plain functions, no database.

Providers differ in small ways (Entra ID, Okta, Keycloak, Google Workspace):
a claim may be missing, a boolean may come as the string "true", a single
group may come as a string instead of a list. Everything here copes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# What Django's username validator accepts; anything else becomes a dash.
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]+")
USERNAME_MAX = 150


def claim_text(claims: Mapping[str, Any], name: str, *, max_length: int = 150) -> str:
    """A string claim, stripped and cut to the field's length; "" when missing or not a string."""
    value = claims.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def email_verified(claims: Mapping[str, Any]) -> bool:
    """True only when the provider says so (`email_verified` true, or the string "true")."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def language_from_locale(locale: object, *, languages: set[str]) -> str:
    """The language of a `locale` claim ("de-AT", "de_DE", "en") if it is one of ours, else ""."""
    if not isinstance(locale, str):
        return ""
    code = re.split(r"[-_]", locale.strip().lower(), maxsplit=1)[0]
    return code if code in languages else ""


def groups_from_claims(claims: Mapping[str, Any], *, claim: str) -> set[str]:
    """The group values of `claim`: a list of strings, or one string (some providers)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {item for item in value if isinstance(item, str)}
    return set()


def username_candidates(claims: Mapping[str, Any]) -> tuple[str, str]:
    """The wished-for username (`preferred_username`, else the e-mail) and the base of variants."""
    wished = claim_text(claims, "preferred_username") or claim_text(claims, "email")
    cleaned = _NOT_IN_USERNAME.sub("-", wished).strip("-")[:USERNAME_MAX]
    base = cleaned.split("@", 1)[0] or "user"
    return cleaned, base[: USERNAME_MAX - 8]
