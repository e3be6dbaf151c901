"""Password reset by e-mail, through a real SMTP server (tests/smtp.py) and the task path.

The mail leaves through core.mail.send_later, as every mail does: the task
runs when the request's transaction commits (at once in tests).
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.smtp import SmtpServer
from users.models import User
from users.password_reset import ADDRESS_LIMIT, IP_LIMIT

OLD = "secret-pass-123"
NEW = "Meadow-lantern-48"
LINK = re.compile(r"https?://[^/\s]+(/reset/[^/\s]+/[^/\s]+/)")
DONE_TEXT = "a link to choose a new password is on its way"


@pytest.fixture
def katrin(db: None) -> User:
    return UserFactory(username="katrin", email="katrin@example.com", language="de")


def _ask(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True) as callbacks:
        response = client.post(reverse("password_reset"), {"email": email})
    response.callbacks = callbacks
    return response


def _parts(message: EmailMessage) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def _link(message: EmailMessage) -> str:
    text, html = _parts(message)
    (path,) = set(LINK.findall(text))
    assert path in html
    return path


def _logs_in(password: str) -> bool:
    response = Client().post(reverse("login"), {"username": "katrin", "password": password})
    return response.status_code == 302


def _set_password(client: Client, path: str, password: str) -> Any:
    form = client.get(path)  # Django moves the token from the URL into the session
    assert form.status_code == 302
    return client.post(form["Location"], {"new_password1": password, "new_password2": password})


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("password_reset", {}),
        ("password_reset_done", {}),
        ("password_reset_complete", {}),
        ("password_reset_confirm", {"uidb64": "MQ", "token": "forged-token"}),
    ],
)
def test_the_reset_pages_open_without_login(db: None, name: str, kwargs: dict[str, str]) -> None:
    response = Client().get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200


def test_the_login_page_links_to_the_reset(db: None) -> None:
    assert reverse("password_reset") in Client().get(reverse("login")).content.decode()


def test_a_reset_by_mail_from_request_to_login(
    katrin: User, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    response = _ask(client, "Katrin@Example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "katrin@example.com"
    assert message["Content-Language"] == "de"  # her language, not the page's
    text, _html = _parts(message)
    assert "katrin" in text  # the user name, which people forget too
    response = _set_password(client, _link(message), NEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert _logs_in(NEW)
    assert not _logs_in(OLD)


def test_the_done_page_is_the_same_for_unknown_addresses(
    katrin: User, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    known = _ask(client, "katrin@example.com", django_capture_on_commit_callbacks)
    unknown = _ask(client, "nobody@example.com", django_capture_on_commit_callbacks)
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert DONE_TEXT in client.get(reverse("password_reset_done")).content.decode()
    assert not unknown.callbacks
    smtp_server.wait_for(1)
    assert [m["To"] for m in smtp_server.messages] == ["katrin@example.com"]


@pytest.mark.parametrize("who", ["directory or single sign-on", "deactivated"])
def test_no_mail_to_people_without_a_kamteam_password_or_deactivated(
    db: None, who: str, django_capture_on_commit_callbacks
) -> None:
    person = UserFactory(username="jonas", email="jonas@example.com")
    if who == "deactivated":
        person.is_active = False
    else:
        person.set_unusable_password()  # as sso and LDAP create people
    person.save()
    response = _ask(Client(), "jonas@example.com", django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("password_reset_done")
    assert not response.callbacks


def test_a_weak_new_password_is_refused_with_a_message(
    katrin: User, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    _ask(client, "katrin@example.com", django_capture_on_commit_callbacks)
    response = _set_password(client, _link(smtp_server.wait_for(1)[0]), "12345678")
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    assert _logs_in(OLD)


def test_a_link_works_once(
    katrin: User, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    _ask(client, "katrin@example.com", django_capture_on_commit_callbacks)
    path = _link(smtp_server.wait_for(1)[0])
    assert _set_password(client, path, NEW).status_code == 302
    again = Client().get(path)
    assert again.status_code == 200
    assert "This link does not work any more" in again.content.decode()
    assert reverse("password_reset") in again.content.decode()


def test_a_forged_link_changes_nothing(katrin: User) -> None:
    response = Client().get(reverse("password_reset_confirm", args=["MQ", "set-password"]))
    assert response.status_code == 200 and "does not work any more" in response.content.decode()
    assert _logs_in(OLD)


def test_the_new_password_lifts_a_login_lockout(
    katrin: User, smtp_server: SmtpServer, settings, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "katrin", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "katrin", "password": OLD}).status_code == 429
    _ask(client, "katrin@example.com", django_capture_on_commit_callbacks)
    _set_password(client, _link(smtp_server.wait_for(1)[0]), NEW)
    response = client.post(reverse("login"), {"username": "katrin", "password": NEW})
    assert response.status_code == 302


def test_at_most_a_few_mails_per_address_and_hour(
    katrin: User, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    for _ in range(ADDRESS_LIMIT):
        _ask(Client(), "katrin@example.com", django_capture_on_commit_callbacks)
    smtp_server.wait_for(ADDRESS_LIMIT)
    response = _ask(Client(), "katrin@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "Too many reset requests" in response.content.decode()
    assert not response.callbacks
    assert len(smtp_server.messages) == ADDRESS_LIMIT


def test_the_limit_counts_unknown_addresses_too_so_it_reveals_nothing(
    db: None, django_capture_on_commit_callbacks
) -> None:
    for _ in range(ADDRESS_LIMIT):
        _ask(Client(), "nobody@example.com", django_capture_on_commit_callbacks)
    response = _ask(Client(), "nobody@example.com", django_capture_on_commit_callbacks)
    assert "Too many reset requests" in response.content.decode()


def test_one_client_address_cannot_go_through_many_addresses(
    katrin: User, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    for number in range(IP_LIMIT):
        _ask(client, f"someone{number}@example.com", django_capture_on_commit_callbacks)
    response = _ask(client, "katrin@example.com", django_capture_on_commit_callbacks)
    assert "Too many reset requests" in response.content.decode()
    assert not response.callbacks


def test_an_address_kamteam_cannot_send_to_gets_a_field_message(
    db: None, django_capture_on_commit_callbacks
) -> None:
    # Django's e-mail check lets "a?b@..." through; the mail path would refuse it.
    User.objects.create_user("odd", email="odd?cc=x@example.com", password=OLD)
    response = _ask(Client(), "odd?cc=x@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Enter a plain email address" in response.content.decode()
    assert not response.callbacks
