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


def _change_password(client: Client, old: str) -> object:
    return client.post(
        reverse("password_change"),
        {
            "old_password": old,
            "new_password1": "a-new-long-pass-99",
            "new_password2": "a-new-long-pass-99",
        },
    )


def test_wrong_current_passwords_lock_the_password_change(user, settings) -> None:
    client = Client()
    client.force_login(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _change_password(client, "wrong")
        assert response.status_code == 200
        assert "Too many wrong current passwords" not in response.content.decode()
    response = _change_password(client, "wrong")
    assert response.status_code == 429
    assert "Too many wrong current passwords" in response.content.decode()

    # The next attempt is refused even with the right current password.
    response = _change_password(client, PASSWORD)
    assert response.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"please try again in {minutes} minutes" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # Nothing typed into the form is kept with the failures.
    assert AccessAttempt.objects.filter(username="katrin").exists()
    for post_data in AccessAttempt.objects.values_list("post_data", flat=True):
        assert "wrong" not in post_data and "a-new-long-pass-99" not in post_data

    # After the cool-off the change works.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    assert _change_password(client, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-99")


def test_a_successful_password_change_resets_the_count(user, settings) -> None:
    client = Client()
    client.force_login(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _change_password(client, "wrong")
    attempt = AccessAttempt.objects.get(username="katrin")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    assert _change_password(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="katrin").exists()
