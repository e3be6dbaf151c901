"""Settings for what an operator sees: logs, slow requests, metrics, error mails, Sentry.

kamteam/settings.py takes them with `globals().update(observability_settings())`
(README, "Observability"). Read through the typed helpers of kamteam/env.py;
a bad value stops the start with ImproperlyConfigured. Imported while the
settings load: it touches no model and no setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from kamteam.env import env_admins, env_choice, env_int, env_str

# The backends django-prometheus subclasses to count queries for /metrics.
PROMETHEUS_ENGINES = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}


def prometheus_engine(engine: str) -> str:
    """django-prometheus' subclass of `engine`: it counts queries and sends none of its own."""
    return PROMETHEUS_ENGINES.get(engine, engine)


def observability_settings(*, log_level: str) -> dict[str, Any]:
    """The settings below, read from the environment; starts Sentry if SENTRY_DSN is set."""
    found: dict[str, Any] = {
        # One JSON object per log line for a log collector, or plain text.
        "LOG_FORMAT": env_choice("LOG_FORMAT", "text", ("text", "json")),
        # A request slower than this is logged as a warning (0: never).
        "SLOW_REQUEST_MS": _slow_request_ms(),
        # /metrics answers only a scraper sending this token; unset, it is a 404.
        "METRICS_TOKEN": _metrics_token(),
        # Several gunicorn workers add up their metrics through files there;
        # prometheus_client reads the variable itself, so it is only checked here.
        "PROMETHEUS_MULTIPROC_DIR": _multiproc_dir(),
        # Who gets a mail about each server error ("Ada <ada@example.com>,
        # ops@example.com"), queued for the task worker (core.error_mail); the
        # mail comes from SERVER_EMAIL.
        "ADMINS": env_admins("ADMINS"),
        "EMAIL_SUBJECT_PREFIX": "[kamteam] ",
        "SENTRY_DSN": env_str("SENTRY_DSN").strip(),
    }
    found["LOGGING"] = logging_config(log_format=found["LOG_FORMAT"], log_level=log_level)
    if found["SENTRY_DSN"]:
        sentry_start(
            dsn=found["SENTRY_DSN"],
            environment=env_str("SENTRY_ENVIRONMENT").strip() or "production",
            release=env_str("SENTRY_RELEASE").strip(),
        )
    return found


def _slow_request_ms() -> int:
    value = env_int("SLOW_REQUEST_MS", 1000)
    if value < 0:
        raise ImproperlyConfigured(f"SLOW_REQUEST_MS must be 0 (off) or more; got {value}")
    return value


def _metrics_token() -> str:
    token = env_str("METRICS_TOKEN").strip()
    if token and len(token) < 20:
        raise ImproperlyConfigured(
            "METRICS_TOKEN must be 20 characters or more, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
        )
    return token


def _multiproc_dir() -> str:
    folder = env_str("PROMETHEUS_MULTIPROC_DIR").strip()
    if folder and not Path(folder).is_dir():
        raise ImproperlyConfigured(
            "PROMETHEUS_MULTIPROC_DIR must be an existing folder the app servers may "
            f"write to; got {folder!r}"
        )
    return folder


def logging_config(*, log_format: str, log_level: str) -> dict[str, Any]:
    """Every line with its request id (core.observability); server errors mailed to ADMINS."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "core.observability.RequestIdFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
            "json": {"()": "core.observability.JsonFormatter"},
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            },
            # Each server error, queued for the task worker to mail to ADMINS.
            "mail_admins": {
                "class": "core.error_mail.ErrorMailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
            "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        },
        "root": {"handlers": ["console"], "level": log_level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # Django's own mail_admins on "django" would talk to the relay while
            # the error page waits: replaced by ours, on server errors only.
            # Naming "django" resets its children, so runserver's lines are set
            # up again as Django's defaults have them.
            "django": {"handlers": []},
            "django.request": {"handlers": ["mail_admins"]},
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        },
    }


def sentry_start(*, dsn: str, environment: str, release: str) -> None:
    """Start sentry-sdk with its Django integration; stop the start if it is not installed.

    An optional extra (`pip install ".[sentry]"`): most installations run on
    an intranet without a Sentry, and the SDK is a large package that patches
    Django, logging and the HTTP libraries.
    """
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set, but sentry-sdk is not installed: "
            'pip install ".[sentry]" (or unset SENTRY_DSN).'
        ) from error
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        # No traces_sample_rate: errors only, not a trace of every request.
        **sentry_privacy(sentry_sdk.VERSION),
    )


# What sentry-sdk 3 collects unless told not to (its `data_collection`): the
# user, cookies, request headers (X-Forwarded-For is the client's address),
# bodies, query strings (search words can be names) and SQL parameters.
NO_PERSONAL_DATA = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
}


def sentry_privacy(version: str) -> dict[str, Any]:
    """No user, IP address, cookie or request body leaves for Sentry; the
    request id tag (core.observability) leads to the log lines instead.

    sentry-sdk 2 has one switch for it; 3 removed that switch (an unknown
    option stops the start) and collects all of it by default, so each
    category is turned off by name.
    """
    major = int(version.split(".", 1)[0])
    if major >= 3:
        return {"data_collection": NO_PERSONAL_DATA}
    return {"send_default_pii": False}
