"""Settings from the environment, the deploy check, and /healthz/."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.test import Client

from kamteam import settings as kam_settings

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kamteam.example.com",
        DJANGO_SETTINGS_MODULE="kamteam.settings",
    )
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key() -> None:
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_for() -> None:
    env = _production_env()
    env.pop("DEBUG", None)
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env=env,
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("helper", "name", "raw"),
    [(kam_settings.env_bool, "X_BOOL", "maybe"), (kam_settings.env_int, "X_INT", "ten")],
)
def test_bad_environment_values_fail_at_start_up(helper, name: str, raw: str) -> None:
    with mock.patch.dict(os.environ, {name: raw}), pytest.raises(ImproperlyConfigured):
        helper(name, 1)


def test_env_helpers_read_good_values() -> None:
    with mock.patch.dict(os.environ, {"A": "yes", "B": "42", "C": "a.example, b.example"}):
        assert kam_settings.env_bool("A", False) is True
        assert kam_settings.env_int("B", 0) == 42
        assert kam_settings.env_list("C", []) == ["a.example", "b.example"]
    assert kam_settings.env_bool("UNSET_FOR_SURE", True) is True


def test_database_url_selects_the_database() -> None:
    env = _production_env(DATABASE_URL="postgres://u:p@db.example:5432/kam")
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['NAME'], d['CONN_HEALTH_CHECKS'])",
        env=env,
    )
    assert result.stdout.split() == [
        # PostgreSQL's backend, subclassed by django-prometheus to count queries.
        "django_prometheus.db.backends.postgresql",
        "db.example",
        "kam",
        "True",
    ], result.stderr


@pytest.mark.parametrize(
    ("workers", "jit", "options"),
    [
        (None, None, {"options": "-c max_parallel_workers_per_gather=0 -c jit=off"}),
        ("2", None, {"options": "-c max_parallel_workers_per_gather=2 -c jit=off"}),
        (None, "on", {"options": "-c max_parallel_workers_per_gather=0 -c jit=on"}),
        ("server", "off", {"options": "-c jit=off"}),
        ("0", "server", {"options": "-c max_parallel_workers_per_gather=0"}),
        # Behind PgBouncer: nothing sent, the server's settings hold.
        ("server", "server", {}),
    ],
)
def test_postgresql_runs_without_parallel_workers_and_jit_unless_told(
    workers, jit, options
) -> None:
    from kamteam.database_settings import database_settings

    environment = {"DATABASE_URL": "postgres://u:p@db.example:5432/kam"}
    for name, raw in (("DB_PARALLEL_WORKERS", workers), ("DB_JIT", jit)):
        if raw is not None:
            environment[name] = raw
    with mock.patch.dict(os.environ, environment):
        for name, raw in (("DB_PARALLEL_WORKERS", workers), ("DB_JIT", jit)):
            if raw is None:
                os.environ.pop(name, None)
        assert database_settings(ROOT).get("OPTIONS", {}) == options


def test_the_parallel_option_keeps_the_options_of_the_database_url() -> None:
    from kamteam.database_settings import database_settings

    url = "postgres://u:p@db.example/kam?options=-c%20search_path%3Dkam&sslmode=require"
    environment = {"DATABASE_URL": url, "DB_PARALLEL_WORKERS": "0", "DB_JIT": "off"}
    with mock.patch.dict(os.environ, environment):
        options = database_settings(ROOT)["OPTIONS"]
    assert options["options"] == (
        "-c search_path=kam -c max_parallel_workers_per_gather=0 -c jit=off"
    )
    assert options["sslmode"] == "require"


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        *(("DB_PARALLEL_WORKERS", raw, "DB_PARALLEL_WORKERS") for raw in ("two", "-1", "65")),
        *(("DB_JIT", raw, "DB_JIT must be off, on or server") for raw in ("no", "0", "maybe")),
    ],
)
def test_a_bad_database_startup_setting_stops_the_start(name: str, raw: str, message: str) -> None:
    from kamteam.database_settings import database_settings

    environment = {"DATABASE_URL": "postgres://u:p@db.example/kam", name: raw}
    with (
        mock.patch.dict(os.environ, environment),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        database_settings(ROOT)


@pytest.mark.django_db
def test_the_apps_postgresql_connection_plans_without_parallel_workers_or_jit() -> None:
    """The options reach the server: a page's query never waits for workers to
    start, nor for itself to be compiled to machine code."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting (CI runs on PostgreSQL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers() -> None:
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_gone() -> None:
    with mock.patch("kamteam.views.connection.cursor", side_effect=OperationalError("gone")):
        response = Client().get("/healthz/")
    assert response.status_code == 503


def test_bounded_settings_refuse_values_outside_their_range() -> None:
    from kamteam.api_settings import api_settings
    from kamteam.imports_settings import imports_settings

    for name, raw in (("API_RATE_PER_MINUTE", "0"), ("API_PAGE_SIZE", "501")):
        with (
            mock.patch.dict(os.environ, {name: raw}),
            pytest.raises(ImproperlyConfigured, match=name),
        ):
            api_settings()
    with mock.patch.dict(os.environ, {"IMPORT_MAX_MB": "500"}), pytest.raises(ImproperlyConfigured):
        imports_settings()
    with mock.patch.dict(os.environ, {"API_PAGE_SIZE": "20", "IMPORT_MAX_ROWS": "50"}):
        assert api_settings()["API_PAGE_SIZE"] == 20
        assert imports_settings()["IMPORT_MAX_ROWS"] == 50


def test_two_writers_on_the_embedded_database_wait_for_each_other(
    tmp_path: Path, django_db_blocker
) -> None:
    """Two leads saving at once on SQLite: a transaction that read first and then
    wrote failed at once with "database is locked" (a 500), where the README
    promises that a writer waits. IMMEDIATE transactions take the write lock as
    they begin, so the second waits for the first and then goes through."""
    import threading
    import time

    from django.db import connections, transaction

    from tests.embedded import embedded_database

    alias = "embedded_check"
    outcome: list[str] = []

    beginning = threading.Event()

    def second_writer() -> None:
        try:
            beginning.set()
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM note")  # reads first, as account_lock does
                cursor.execute("INSERT INTO note VALUES ('second')")
            outcome.append("saved")
        except Exception as error:  # the failure is what is asserted
            outcome.append(repr(error))
        finally:
            connections[alias].close()

    with embedded_database(tmp_path / "db.sqlite3", alias, timeout=10), django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE note (text varchar(20))")
        other = threading.Thread(target=second_writer)
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("INSERT INTO note VALUES ('first')")
            other.start()
            assert beginning.wait(timeout=5)
            time.sleep(0.5)  # the second has begun by now, and waits (or failed)
        other.join(timeout=15)
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT text FROM note ORDER BY rowid")
            saved = [text for (text,) in cursor.fetchall()]
    assert outcome == ["saved"]
    assert saved == ["first", "second"]
