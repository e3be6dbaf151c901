"""Logging in and out, password change, and login throttling (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "secret-pass-123"


@pytest.fixture
def user(db: None):
    return UserFactory(username="katrin")


def _login(client: Client, password: str) -> object:
    return client.post(reverse("login"), {"username": "katrin", "password": password})


def test_login_with_the_right_password_goes_home(user) -> None:
    response = _login(Client(), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_keeps_next_but_refuses_foreign_hosts(user) -> None:
    client = Client()
    response = client.post(
        reverse("login") + "?next=/accounts/",
        {"username": "katrin", "password": PASSWORD, "next": "/accounts/"},
    )
    assert response["Location"] == "/accounts/"
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": "katrin", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_a_message(user) -> None:
    response = _login(Client(), "wrong")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_failures_lock_out_until_the_cool_off_expires(user, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    # After the cool-off the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    with override_settings(AXES_COOLOFF_TIME=timedelta(minutes=15)):
        response = _login(client, PASSWORD)
    assert response.status_code == 302


def test_logout_takes_a_post_and_ends_the_session(user) -> None:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(user) -> None:
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-99",
            "new_password2": "a-new-long-pass-99",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-99")
