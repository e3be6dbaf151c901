"""E-mail and task settings from the environment: good values work, bad ones stop the start."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "kamteam" / "settings.py"
OURS = (
    "DEBUG",
    "EMAIL_",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "KAMTEAM_",
    "SITE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
)
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def _settings(**env: str) -> dict[str, Any]:
    """kamteam/settings.py read afresh with this environment (production unless DEBUG=1)."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    production = {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "kamteam.example.com"}
    with mock.patch.dict(os.environ, kept | production | env, clear=True):
        return runpy.run_path(str(SETTINGS_FILE))


def test_development_prints_mails_to_the_console() -> None:
    assert _settings(DEBUG="1")["EMAIL_BACKEND"] == CONSOLE


def test_development_with_a_mail_host_sends_through_it() -> None:
    found = _settings(DEBUG="1", EMAIL_HOST="smtp.example.com")
    assert found["EMAIL_BACKEND"] == SMTP and found["EMAIL_HOST"] == "smtp.example.com"


def test_production_sends_by_smtp_to_the_local_relay_by_default() -> None:
    found = _settings()
    assert found["EMAIL_BACKEND"] == SMTP
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("localhost", 25)
    assert found["EMAIL_TIMEOUT"] == 10
    assert found["DEFAULT_FROM_EMAIL"] == found["SERVER_EMAIL"] == "kamteam <kamteam@localhost>"


def test_a_full_relay_configuration() -> None:
    found = _settings(
        EMAIL_HOST="smtp.example.com",
        EMAIL_USE_TLS="1",
        EMAIL_HOST_USER="kamteam",
        EMAIL_HOST_PASSWORD="pw",
        EMAIL_TIMEOUT="20",
        DEFAULT_FROM_EMAIL="kamteam <kamteam@example.com>",
        SERVER_EMAIL="errors@example.com",
    )
    assert found["EMAIL_PORT"] == 587  # STARTTLS's port unless given
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (True, False)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("kamteam", "pw")
    assert found["EMAIL_TIMEOUT"] == 20
    assert found["DEFAULT_FROM_EMAIL"] == "kamteam <kamteam@example.com>"
    assert found["SERVER_EMAIL"] == "errors@example.com"
    assert _settings(EMAIL_USE_SSL="yes")["EMAIL_PORT"] == 465
    assert _settings(EMAIL_USE_SSL="yes", EMAIL_PORT="2465")["EMAIL_PORT"] == 2465


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "exclude each other"),
        ({"EMAIL_USE_TLS": "perhaps"}, "EMAIL_USE_TLS must be one of"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT must be a port number"),
        ({"EMAIL_HOST": "smtp://mail.example.com"}, "EMAIL_HOST must be a host name"),
        ({"EMAIL_HOST_USER": "kamteam"}, "go together"),
        ({"EMAIL_HOST_PASSWORD": "secret"}, "go together"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT must be 1 second or more"),
        ({"DEFAULT_FROM_EMAIL": "kamteam"}, "DEFAULT_FROM_EMAIL must be an e-mail address"),
        ({"SERVER_EMAIL": "root@"}, "SERVER_EMAIL must be an e-mail address"),
        ({"KAMTEAM_BASE_URL": "kamteam.example.com"}, "KAMTEAM_BASE_URL must be a URL"),
        ({"KAMTEAM_BASE_URL": "ftp://kamteam.example.com"}, "KAMTEAM_BASE_URL must be a URL"),
        ({"KAMTEAM_BASE_URL": "https://example.com/kamteam"}, "without a path"),
        ({"KAMTEAM_BASE_URL": "https://example.com/?a=1"}, "without a path"),
        ({"KAMTEAM_TASKS": "celery"}, "KAMTEAM_TASKS must be one of database, redis"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must be a URL"),
    ],
)
def test_a_bad_value_stops_the_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        _settings(**env)


def test_the_base_url_for_links_in_mails() -> None:
    assert _settings()["KAMTEAM_BASE_URL"] == "https://kamteam.example.com"
    assert _settings(DEBUG="1")["KAMTEAM_BASE_URL"] == "http://127.0.0.1:8000"
    found = _settings(KAMTEAM_BASE_URL="https://kam.example.com/")
    assert found["KAMTEAM_BASE_URL"] == found["SITE_URL"] == "https://kam.example.com"
    # SITE_URL, its former name, still works.
    assert _settings(SITE_URL="http://intranet:8080")["KAMTEAM_BASE_URL"] == "http://intranet:8080"


def test_tasks_wait_in_the_database_unless_redis_is_chosen() -> None:
    found = _settings()
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in found["INSTALLED_APPS"]
    assert "django_rq" not in found["INSTALLED_APPS"]
    found = _settings(KAMTEAM_TASKS="redis", REDIS_URL="redis://cache.example.com:6379/2")
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(found["INSTALLED_APPS"])
    assert found["RQ_QUEUES"]["default"]["URL"] == "redis://cache.example.com:6379/2"
    # REDIS_URL alone chooses RQ (several app servers share one queue).
    found = _settings(REDIS_URL="redis://cache.example.com:6379/2")
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    # Without REDIS_URL nothing points at a Redis that is not there.
    assert _settings()["REDIS_URL"] == ""
