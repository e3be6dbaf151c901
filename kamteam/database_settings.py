"""The database setting (DATABASES["default"]), read from the environment.

kamteam/settings.py takes it in as DATABASES = {"default": database_settings(BASE_DIR)}.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kamteam.env import env_bool, env_int, env_int_between, env_str
from kamteam.observability_settings import prometheus_engine


def database_settings(base_dir: Path) -> dict[str, Any]:
    """DATABASE_URL (SQLite in the checkout by default) with the options below."""
    database: dict[str, Any] = dict(
        dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{base_dir / 'db.sqlite3'}"),
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            # Reconnect transparently after a database restart instead of
            # failing the first request on a dead persistent connection.
            conn_health_checks=True,
        )
    )
    # Behind PgBouncer in transaction mode (README, "Several app servers") a cursor
    # cannot outlive its transaction: QuerySet.iterator() must fetch in one go.
    database["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
    startup = startup_options()
    if database["ENGINE"].endswith("postgresql") and startup:
        # After any options DATABASE_URL gives (?options=-c%20search_path%3D...).
        options = database.setdefault("OPTIONS", {})
        given = str(options.get("options", "")).strip()
        options["options"] = " ".join([given, *startup]).strip()
    if database["ENGINE"].endswith("sqlite3"):  # one writer at a time: an import (a
        # preview too) writes for seconds; in WAL mode pages read meanwhile, a writer waits 60 s.
        # IMMEDIATE: a transaction takes the write lock as it begins. Deferred, one
        # that read first (account_lock) and then wrote failed at once with
        # "database is locked" instead of waiting (two leads saving together).
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL;",
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
        }
    # django-prometheus' subclass of the backend counts queries for /metrics (sends none).
    database["ENGINE"] = prometheus_engine(database["ENGINE"])
    return database


def startup_options() -> list[str]:
    """PostgreSQL settings sent as each connection starts (`-c name=value`)."""
    startup = []
    workers = parallel_workers()
    if workers is not None:
        startup.append(f"-c max_parallel_workers_per_gather={workers}")
    jit = jit_setting()
    if jit is not None:
        startup.append(f"-c jit={jit}")
    return startup


def jit_setting() -> str | None:
    """DB_JIT: PostgreSQL's just-in-time compilation for the app's queries ("off").

    PostgreSQL compiles a query to machine code once its estimated cost passes
    jit_above_cost, and a portfolio filter over every account passes it: at
    5,000 accounts the matrix's query with the pipeline filter ran 38 ms and
    spent 350 ms more compiling, the list's count 40 ms and 25 ms more. None of
    the portfolio, download, health or search queries measured ran faster with
    it. "server": send nothing (behind PgBouncer, which refuses the option:
    `ALTER ROLE ... SET jit = off` there).
    """
    raw = env_str("DB_JIT", "off").strip().lower()
    if raw == "server":
        return None
    if raw not in ("on", "off"):
        raise ImproperlyConfigured(f"DB_JIT must be off, on or server, not {raw!r}.")
    return raw


def parallel_workers() -> int | None:
    """DB_PARALLEL_WORKERS: PostgreSQL's max_parallel_workers_per_gather for the app (0).

    The planner starts worker processes for a scan it estimates large, and the
    request then waits some 4 ms for them to start, longer than the query
    itself needs (the search among 1,000,000 touchpoints: 5.8 ms with two
    workers for no hit; the results page 34 -> 27 ms at 5,000 accounts). A web
    request is served best by one process per query, and the other requests
    keep the CPUs. "server": none is sent, the server's own setting holds
    (behind PgBouncer, which refuses this startup option: there
    `ALTER ROLE ... SET max_parallel_workers_per_gather = 0` does the same).
    """
    if env_str("DB_PARALLEL_WORKERS").strip().lower() == "server":
        return None
    return env_int_between("DB_PARALLEL_WORKERS", 0, 0, 64)
