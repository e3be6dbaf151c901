"""django-auth-ldap's AUTH_LDAP_* settings, built from kamteam's LDAP_* variables.

kamteam/settings.py reads the typed ones (group type, StartTLS, timeout) with
its helpers; the texts (addresses, names, filters) are read here. Together
they must fit: a half-done configuration stops the start with
ImproperlyConfigured, not the first login. The result is what
sso.ldap.KamteamLDAPBackend runs on. Imported while the settings load, so
it touches no model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

GROUP_TYPES = ("groupofnames", "posix", "activedirectory")
# The settings read as plain text from the environment.
TEXTS = (
    "LDAP_SERVER_URI",
    "LDAP_BIND_DN",
    "LDAP_BIND_PASSWORD",
    "LDAP_USER_SEARCH_BASE",
    "LDAP_USER_FILTER",
    "LDAP_MANAGERS_GROUP_DN",
    "LDAP_GROUP_SEARCH_BASE",
)
DEFAULT_USER_FILTER = "(uid=%(user)s)"
# The directory's attributes for the fields of our User.
USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
# The object class each group type is stored as: what the group search looks for.
_GROUP_FILTERS = {
    "groupofnames": "(objectClass=groupOfNames)",
    "posix": "(objectClass=posixGroup)",
    "activedirectory": "(objectClass=group)",
}


def _group_type(name: str) -> Any:
    from django_auth_ldap.config import (
        GroupOfNamesType,
        NestedActiveDirectoryGroupType,
        PosixGroupType,
    )

    # Active Directory: nested, so a manager in a group inside the managers'
    # group counts too, as Windows itself sees it.
    return {
        "groupofnames": GroupOfNamesType,
        "posix": PosixGroupType,
        "activedirectory": NestedActiveDirectoryGroupType,
    }[name]()


def _check_uris(server_uri: str) -> None:
    # python-ldap takes several servers separated by spaces; each must be one.
    for uri in server_uri.split():
        scheme, _sep, rest = uri.partition("://")
        if scheme not in {"ldap", "ldaps"} or not rest.strip("/"):
            raise ImproperlyConfigured(
                "LDAP_SERVER_URI must be one or more addresses such as "
                f"ldaps://dc1.example.com, separated by spaces; got {server_uri!r}"
            )


def _check_together(
    *,
    bind_dn: str,
    bind_password: str,
    user_search_base: str,
    user_filter: str,
    managers_group_dn: str,
    group_search_base: str,
) -> None:
    if not user_search_base:
        raise ImproperlyConfigured(
            "LDAP_USER_SEARCH_BASE must be set with LDAP_SERVER_URI: the part of the "
            "directory people are looked up in, such as ou=people,dc=example,dc=com."
        )
    if bool(bind_dn) != bool(bind_password):
        raise ImproperlyConfigured(
            "LDAP_BIND_DN and LDAP_BIND_PASSWORD go together: set both for a service "
            "account, or neither to search the directory anonymously."
        )
    if "%(user)s" not in user_filter or not (
        user_filter.startswith("(") and user_filter.endswith(")")
    ):
        raise ImproperlyConfigured(
            "LDAP_USER_FILTER must be an LDAP filter in parentheses containing %(user)s, "
            f"such as (uid=%(user)s) or (sAMAccountName=%(user)s); got {user_filter!r}"
        )
    if bool(managers_group_dn) != bool(group_search_base):
        raise ImproperlyConfigured(
            "LDAP_MANAGERS_GROUP_DN and LDAP_GROUP_SEARCH_BASE go together: set both "
            "to give the members of that directory group kamteam's Managers group."
        )


def _connection_options(timeout: int) -> dict[int, int]:
    import ldap

    if timeout < 1:
        raise ImproperlyConfigured(f"LDAP_TIMEOUT must be 1 second or more; got {timeout}")
    return {
        # A directory that does not answer fails the login after `timeout`
        # seconds (local passwords still work) instead of hanging the worker.
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
        # Active Directory answers searches from the domain's root with
        # referrals, which python-ldap would follow without credentials.
        ldap.OPT_REFERRALS: 0,
    }


def _check_off(**values: str) -> None:
    """LDAP is off: a value given for it anyway is a half-done configuration."""
    stray = [name for name, value in values.items() if value]
    if stray:
        raise ImproperlyConfigured(
            f"{', '.join(stray)} set, but LDAP_SERVER_URI is not: set it to turn "
            "sign-in with LDAP on, or unset them."
        )


def _from_values(
    *,
    server_uri: str,
    bind_dn: str = "",
    bind_password: str = "",
    user_search_base: str = "",
    user_filter: str = DEFAULT_USER_FILTER,
    managers_group_dn: str = "",
    group_search_base: str = "",
    group_type: str = "groupofnames",
    start_tls: bool = False,
    timeout: int = 5,
) -> dict[str, Any]:
    if not server_uri:
        _check_off(
            LDAP_BIND_DN=bind_dn,
            LDAP_BIND_PASSWORD=bind_password,
            LDAP_USER_SEARCH_BASE=user_search_base,
            LDAP_USER_FILTER="" if user_filter == DEFAULT_USER_FILTER else user_filter,
            LDAP_MANAGERS_GROUP_DN=managers_group_dn,
            LDAP_GROUP_SEARCH_BASE=group_search_base,
        )
        return {}
    _check_uris(server_uri)
    _check_together(
        bind_dn=bind_dn,
        bind_password=bind_password,
        user_search_base=user_search_base,
        user_filter=user_filter,
        managers_group_dn=managers_group_dn,
        group_search_base=group_search_base,
    )
    if group_type not in GROUP_TYPES:
        raise ImproperlyConfigured(f"LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}")

    import ldap
    from django_auth_ldap.config import LDAPSearch

    found: dict[str, Any] = {
        "AUTH_LDAP_SERVER_URI": server_uri,
        "AUTH_LDAP_BIND_DN": bind_dn,
        "AUTH_LDAP_BIND_PASSWORD": bind_password,
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(user_search_base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_USER_ATTR_MAP": USER_ATTR_MAP,
        # Names, e-mail and the managers' group follow the directory at every login.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": _connection_options(timeout),
        "KAMTEAM_LDAP_MANAGERS_GROUP_DN": managers_group_dn,
    }
    if group_search_base:
        found["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(
            group_search_base, ldap.SCOPE_SUBTREE, _GROUP_FILTERS[group_type]
        )
        found["AUTH_LDAP_GROUP_TYPE"] = _group_type(group_type)
    return found


def ldap_settings(
    *,
    environ: Mapping[str, str],
    group_type: str = "groupofnames",
    start_tls: bool = False,
    timeout: int = 5,
) -> dict[str, Any]:
    """The AUTH_LDAP_* settings; none when LDAP_SERVER_URI is empty (LDAP off).

    The LDAP_* texts (TEXTS) come from `environ`, read by kamteam/settings.py
    with its typed helpers (kamteam/env.py), as the typed values are.
    """
    found = environ
    texts = {name: found.get(name, "").strip() for name in TEXTS}
    # A password's spaces are its own.
    texts["LDAP_BIND_PASSWORD"] = found.get("LDAP_BIND_PASSWORD", "")
    return _from_values(
        server_uri=texts["LDAP_SERVER_URI"],
        bind_dn=texts["LDAP_BIND_DN"],
        bind_password=texts["LDAP_BIND_PASSWORD"],
        user_search_base=texts["LDAP_USER_SEARCH_BASE"],
        user_filter=texts["LDAP_USER_FILTER"] or DEFAULT_USER_FILTER,
        managers_group_dn=texts["LDAP_MANAGERS_GROUP_DN"],
        group_search_base=texts["LDAP_GROUP_SEARCH_BASE"],
        group_type=group_type,
        start_tls=start_tls,
        timeout=timeout,
    )
