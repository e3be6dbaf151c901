"""Sign-in with LDAP / Active Directory against a real slapd (tests/ldap_server.py).

Through the real login page: the directory's people log in and are created
from it, its managers' group gives our Managers group, wrong passwords count
toward the axes lockout, people deactivated in kamteam stay out, and local
passwords keep working, also while the directory is down.
"""

from __future__ import annotations

import os
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import ldap
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django_auth_ldap.backend import populate_user

from sso.ldap import KamteamLDAPBackend
from tests.factories import UserFactory
from tests.ldap_server import (
    LENA_PASSWORD,
    MANAGERS_DN,
    PAUL_PASSWORD,
    PEOPLE,
    LdapServer,
    running_slapd,
)
from tests.smtp import free_port
from users.models import MANAGERS_GROUP, User

AXES = "axes.backends.AxesStandaloneBackend"
LDAP_BACKEND = "sso.ldap.KamteamLDAPBackend"
MODEL = "django.contrib.auth.backends.ModelBackend"
WRONG = "correct username and password"
LENA_DN = f"uid=lena.ldap,{PEOPLE}"
PAUL_DN = f"uid=paul.ldap,{PEOPLE}"
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "kamteam" / "settings.py"


@pytest.fixture
def directory(ldap_server: LdapServer, settings: Any, db: None) -> LdapServer:
    """kamteam pointed at the test directory, with the backends in production's order."""
    for name, value in ldap_server.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [AXES, LDAP_BACKEND, MODEL]
    return ldap_server


@pytest.fixture
def changes(directory: LdapServer) -> Iterator[Any]:
    """An admin connection to change the directory; the changes are undone afterwards."""
    connection = directory.connect()
    undo: list[tuple[str, list[tuple[int, str, list[bytes]]]]] = []

    def replace(dn: str, attribute: str, *values: str) -> None:
        found = connection.search_s(dn, ldap.SCOPE_BASE, attrlist=[attribute])[0][1]
        undo.append((dn, [(ldap.MOD_REPLACE, attribute, found[attribute])]))
        connection.modify_s(dn, [(ldap.MOD_REPLACE, attribute, [v.encode() for v in values])])

    try:
        yield replace
    finally:
        for dn, modlist in reversed(undo):
            connection.modify_s(dn, modlist)
        connection.unbind_s()


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_directory_user_logs_in_and_is_created_from_the_directory(directory) -> None:
    client = Client()
    response = _login(client, "lena.ldap", LENA_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    lena = User.objects.get(username="lena.ldap")
    assert (lena.first_name, lena.last_name, lena.email) == (
        "Lena",
        "Berger",
        "lena.ldap@kamteam.test",
    )
    # Only the directory knows her password: no local login, no reset by mail.
    assert not lena.has_usable_password()
    assert lena.is_manager
    assert client.get(reverse("home")).status_code == 200


def test_the_managers_group_follows_the_directory_at_every_login(directory, changes) -> None:
    _login(Client(), "paul.ldap", PAUL_PASSWORD)
    paul = User.objects.get(username="paul.ldap")
    assert not paul.is_manager
    changes(MANAGERS_DN, "member", PAUL_DN)  # Paul in, Lena out
    _login(Client(), "paul.ldap", PAUL_PASSWORD)
    _login(Client(), "lena.ldap", LENA_PASSWORD)
    assert User.objects.get(username="paul.ldap").is_manager
    assert not User.objects.get(username="lena.ldap").is_manager


def test_without_a_managers_group_dn_the_group_is_left_to_the_admin(directory, settings) -> None:
    settings.KAMTEAM_LDAP_MANAGERS_GROUP_DN = ""
    paul = UserFactory(username="paul.ldap", manager=True)
    assert _login(Client(), "paul.ldap", PAUL_PASSWORD).status_code == 302
    paul.refresh_from_db()
    assert paul.is_manager


def test_names_and_address_follow_the_directory(directory, changes) -> None:
    _login(Client(), "paul.ldap", PAUL_PASSWORD)
    changes(PAUL_DN, "sn", "Krämer-Lindqvist")
    changes(PAUL_DN, "mail", "paul.k@kamteam.test")
    _login(Client(), "paul.ldap", PAUL_PASSWORD)
    paul = User.objects.get(username="paul.ldap")
    assert (paul.last_name, paul.email) == ("Krämer-Lindqvist", "paul.k@kamteam.test")


def test_directory_values_that_do_not_fit_do_not_break_the_login(directory, changes) -> None:
    changes(PAUL_DN, "givenName", "P" * 300)
    changes(PAUL_DN, "mail", "paul <paul@kamteam.test>")
    assert _login(Client(), "paul.ldap", PAUL_PASSWORD).status_code == 302
    paul = User.objects.get(username="paul.ldap")
    assert paul.first_name == "P" * 150
    assert paul.email == ""  # kamteam could not send to it


def test_a_wrong_directory_password_fails_and_counts_toward_the_lockout(
    directory, settings
) -> None:
    client = Client()
    response = _login(client, "lena.ldap", "not-her-password")
    assert response.status_code == 200 and WRONG in response.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "lena.ldap", "not-her-password")
    response = _login(client, "lena.ldap", LENA_PASSWORD)
    assert response.status_code == 429
    assert not User.objects.filter(username="lena.ldap", last_login__isnull=False).exists()


@pytest.mark.parametrize("username", ["*", "lena*", "lena.ldap)(uid=*", "lena.ldap\\2a"])
def test_filter_characters_in_the_username_find_nobody(directory, username: str) -> None:
    response = _login(Client(), username, LENA_PASSWORD)
    assert response.status_code == 200 and WRONG in response.content.decode()
    assert not User.objects.exists()


def test_a_person_deactivated_in_kamteam_stays_out(directory) -> None:
    session = Client()
    assert _login(session, "lena.ldap", LENA_PASSWORD).status_code == 302
    User.objects.filter(username="lena.ldap").update(is_active=False)
    # The session they had ends...
    assert session.get(reverse("home")).status_code == 302
    # ...and the directory's password opens no new one, with no hint it was right.
    response = _login(Client(), "lena.ldap", LENA_PASSWORD)
    assert response.status_code == 200 and WRONG in response.content.decode()
    assert not User.objects.get(username="lena.ldap").is_active


def test_a_directory_user_gets_no_password_reset_mail(
    directory, django_capture_on_commit_callbacks
) -> None:
    # Their password is the directory's: a reset here could not change it.
    _login(Client(), "lena.ldap", LENA_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = Client().post(reverse("password_reset"), {"email": "lena.ldap@kamteam.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert not callbacks


def test_a_local_password_still_works_with_ldap_on(directory) -> None:
    UserFactory(username="katrin")
    assert _login(Client(), "katrin", "secret-pass-123").status_code == 302


def test_directory_down_local_logins_work_and_directory_people_get_the_usual_message(
    directory, settings
) -> None:
    assert _login(Client(), "lena.ldap", LENA_PASSWORD).status_code == 302
    UserFactory(username="katrin")
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}"  # nobody listens
    assert _login(Client(), "katrin", "secret-pass-123").status_code == 302
    response = _login(Client(), "lena.ldap", LENA_PASSWORD)
    assert response.status_code == 200 and WRONG in response.content.decode()


def test_a_directory_gone_before_the_group_lookup_refuses_the_login(
    settings, db: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Fail closed: no login rather than a Managers group the directory may
    # have taken away. This directory goes down right after the password check.
    with running_slapd(tmp_path) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = [AXES, LDAP_BACKEND, MODEL]

        def go_down(**kwargs: Any) -> None:
            server.stop()

        populate_user.connect(go_down, sender=KamteamLDAPBackend)
        try:
            response = _login(Client(), "lena.ldap", LENA_PASSWORD)
        finally:
            populate_user.disconnect(go_down, sender=KamteamLDAPBackend)
    assert response.status_code == 200 and WRONG in response.content.decode()
    assert not Group.objects.filter(name=MANAGERS_GROUP, user__username="lena.ldap").exists()
    assert "LDAP group lookup for lena.ldap failed" in caplog.text


# Settings: read from the environment, checked at start-up.


def _settings(**env: str) -> dict[str, Any]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("LDAP_", "DEBUG"))}
    production = {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "kamteam.example.com"}
    with mock.patch.dict(os.environ, kept | production | env, clear=True):
        return runpy.run_path(str(SETTINGS_FILE))


FULL = {
    "LDAP_SERVER_URI": "ldaps://dc1.example.com ldaps://dc2.example.com",
    "LDAP_BIND_DN": "cn=kamteam,ou=services,dc=example,dc=com",
    "LDAP_BIND_PASSWORD": "pw",
    "LDAP_USER_SEARCH_BASE": "ou=people,dc=example,dc=com",
}


def test_ldap_is_off_by_default() -> None:
    found = _settings()
    assert LDAP_BACKEND not in found["AUTHENTICATION_BACKENDS"]
    assert "AUTH_LDAP_SERVER_URI" not in found


def test_ldap_on_goes_right_after_axes_with_the_default_filter() -> None:
    found = _settings(**FULL)
    assert found["AUTHENTICATION_BACKENDS"][:2] == [AXES, LDAP_BACKEND]
    assert MODEL in found["AUTHENTICATION_BACKENDS"]
    assert found["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)"
    assert found["AUTH_LDAP_USER_ATTR_MAP"]["email"] == "mail"
    assert found["AUTH_LDAP_START_TLS"] is False


def test_active_directory_settings() -> None:
    found = _settings(
        **FULL,
        LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
        LDAP_MANAGERS_GROUP_DN="CN=KAM Managers,OU=Groups,DC=example,DC=com",
        LDAP_GROUP_SEARCH_BASE="OU=Groups,DC=example,DC=com",
        LDAP_GROUP_TYPE="activedirectory",
        LDAP_START_TLS="1",
    )
    assert found["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert type(found["AUTH_LDAP_GROUP_TYPE"]).__name__ == "NestedActiveDirectoryGroupType"
    assert found["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=group)"
    assert found["AUTH_LDAP_START_TLS"] is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LDAP_BIND_DN": "cn=x"}, "LDAP_SERVER_URI is not"),
        ({**FULL, "LDAP_USER_SEARCH_BASE": ""}, "LDAP_USER_SEARCH_BASE must be set"),
        ({**FULL, "LDAP_BIND_PASSWORD": ""}, "LDAP_BIND_DN and LDAP_BIND_PASSWORD go together"),
        ({**FULL, "LDAP_USER_FILTER": "uid=%(user)s"}, "LDAP_USER_FILTER must be"),
        ({**FULL, "LDAP_USER_FILTER": "(uid=lena)"}, "LDAP_USER_FILTER must be"),
        ({**FULL, "LDAP_MANAGERS_GROUP_DN": "cn=m"}, "LDAP_GROUP_SEARCH_BASE go together"),
        ({**FULL, "LDAP_GROUP_TYPE": "novell"}, "LDAP_GROUP_TYPE must be one of"),
        ({**FULL, "LDAP_SERVER_URI": "dc1.example.com"}, "LDAP_SERVER_URI must be"),
        ({**FULL, "LDAP_START_TLS": "maybe"}, "LDAP_START_TLS must be"),
        ({**FULL, "LDAP_TIMEOUT": "0"}, "LDAP_TIMEOUT must be"),
    ],
)
def test_a_half_done_configuration_stops_the_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        _settings(**env)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_directory_user_logs_in_with_chromium_on_a_phone(browser, directory, live_server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#id_username").fill("lena.ldap")
        page.locator("#id_password").fill(LENA_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
    finally:
        context.close()
    assert User.objects.get(username="lena.ldap").is_manager
