"""An installation made before the user model moved to `users` upgrades with every row kept.

The fixtures are the database of commit 586ddea, the last before the move,
after `migrate` and `manage.py demo`: tests/data/main-586ddea.sqlite3.gz, and
the same on PostgreSQL as `pg_dump --inserts --no-owner --no-privileges`.
Each test upgrades a copy the way IT would, `python manage.py migrate` in a
subprocess with the production settings, and compares the copy before and
after. The tests work on their own copies and never touch the test database
(no django_db mark).
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SQLITE_FIXTURE = DATA / "main-586ddea.sqlite3.gz"
POSTGRES_FIXTURE = DATA / "main-586ddea.postgres.sql.gz"

# accounts.0005 drops the fragment-cache counters (core.0001 makes them anew);
# they only key the cache, so dropping them loses nothing.
DROPPED = {"accounts_cachegeneration"}
# Tables that gain rows by design: the migrations just run, and the content
# types and permissions of models added since 586ddea. Checked row by row.
GROWING = {"django_migrations", "django_content_type", "auth_permission"}
# accounts.0007 folds an account's undated revenue target into this year's
# target of the plan covering it, with a history entry (checked in
# accounts/tests/test_revenue_migration.py): these grow, nothing is lost.
REVENUE_GROWING = {"accounts_planrevenuetarget", "accounts_historicalplanrevenuetarget"}
# Compared column by column (all the columns they had before): who the users
# are, what they may do, and what points at them.
KEPT_AS_IS = (
    "profiles_user",
    "profiles_user_groups",
    "profiles_user_user_permissions",
    "auth_group",
    "auth_group_permissions",
    "django_admin_log",
)
FIXED_COLUMNS = {
    "django_content_type": ["id", "app_label", "model"],
    "auth_permission": ["id", "name", "content_type_id", "codename"],
}
MOVE = {("users", "0001_initial"), ("users", "0002_content_type")}

# Run in the migrated copy. django-axes, the first authentication backend,
# wants the request it throttles, so `authenticate` gets one.
LOGIN_CHECK = """
from django.contrib.auth import authenticate
from django.test import RequestFactory
from users.models import User

def signs_in(password):
    request = RequestFactory().post("/")
    return authenticate(request, username="kam", password=password) is not None

grantee = User.objects.get(username={grantee!r})
print(signs_in("demo"))
print(signs_in("not-the-demo-password"))
print(grantee.has_perm("users.view_user"))
print(grantee.has_perm("profiles.view_user"))
"""


@dataclass(frozen=True)
class Catalogue:
    """How one backend lists its tables and sequences."""

    tables: str
    sequences: str


SQLITE = Catalogue(
    tables="SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
    sequences="SELECT name, seq FROM sqlite_sequence",
)
POSTGRES = Catalogue(
    tables="SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    sequences="SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'",
)


@dataclass
class Snapshot:
    counts: dict[str, int]
    columns: dict[str, list[str]]
    rows: dict[str, list[tuple]]
    history_users: dict[str, list[tuple]]
    sequences: dict[str, Any]
    migrations: set[tuple[str, str]]


def _fetch(conn: Any, sql: str) -> list[tuple]:
    cursor = conn.cursor()
    try:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _execute(conn: Any, sql: str) -> None:
    cursor = conn.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()
    conn.commit()  # a no-op on an autocommit connection


def _columns_of(conn: Any, table: str) -> list[str]:
    cursor = conn.cursor()
    try:
        cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
        cursor.fetchall()
        return [column[0] for column in cursor.description]
    finally:
        cursor.close()


def _select(conn: Any, table: str, columns: list[str], order_by: str) -> list[tuple]:
    names = ", ".join(f'"{column}"' for column in columns)
    return _fetch(conn, f'SELECT {names} FROM "{table}" ORDER BY "{order_by}"')


def snapshot(conn: Any, catalogue: Catalogue, like: Snapshot | None = None) -> Snapshot:
    """Row counts of every table, and the rows that matter to the move.

    With `like` (the snapshot before), a table is read with the columns it
    had then: a column added since is no lost row, a column gone fails.
    """
    tables = sorted(row[0] for row in _fetch(conn, catalogue.tables))
    columns = {
        table: like.columns[table] if like and table in like.columns else _columns_of(conn, table)
        for table in tables
    }
    rows = {table: _select(conn, table, columns[table], "id") for table in KEPT_AS_IS}
    rows.update({table: _select(conn, table, cols, "id") for table, cols in FIXED_COLUMNS.items()})
    return Snapshot(
        counts={table: _fetch(conn, f'SELECT COUNT(*) FROM "{table}"')[0][0] for table in tables},
        columns=columns,
        rows=rows,
        history_users={
            table: _select(conn, table, ["history_id", "history_user_id"], "history_id")
            for table in tables
            if "history_user_id" in columns[table]
        },
        sequences=dict(_fetch(conn, catalogue.sequences)),
        migrations=set(_fetch(conn, "SELECT app, name FROM django_migrations")),
    )


def _by_id(rows: list[tuple]) -> dict[Any, tuple]:
    return {row[0]: row[1:] for row in rows}


def _user_content_type(snap: Snapshot, app_label: str) -> Any:
    (found,) = [
        pk
        for pk, label in _by_id(snap.rows["django_content_type"]).items()
        if label == (app_label, "user")
    ]
    return found


def assert_every_row_kept(before: Snapshot, after: Snapshot) -> None:
    assert not DROPPED & set(after.counts), "accounts.0005 should drop the old counters"
    assert "core_cachegeneration" in after.counts

    changed = {
        table: (count, after.counts.get(table))
        for table, count in before.counts.items()
        if table not in DROPPED | GROWING | REVENUE_GROWING and after.counts.get(table) != count
    }
    assert changed == {}, f"row counts changed (before, after): {changed}"

    for table in KEPT_AS_IS:
        assert after.rows[table] == before.rows[table], f"{table} changed"
    # Rows added since (REVENUE_GROWING) come after the ones kept.
    kept_history = {
        table: (after.history_users.get(table) or [])[: len(rows)]
        for table, rows in before.history_users.items()
    }
    assert kept_history == before.history_users, "history_user_id changed"

    # The user's content type was renamed in place: same id, so the admin
    # log and the permissions pointing at it still do.
    user_type = _user_content_type(before, "profiles")
    assert _user_content_type(after, "users") == user_type
    types_before = _by_id(before.rows["django_content_type"])
    types_after = _by_id(after.rows["django_content_type"])
    expected = {**types_before, user_type: ("users", "user")}
    assert {pk: types_after.get(pk) for pk in expected} == expected
    added_types = {pk: label for pk, label in types_after.items() if pk not in types_before}
    assert not [label for label in added_types.values() if label[1] == "user"], added_types

    perms_before = _by_id(before.rows["auth_permission"])
    perms_after = _by_id(after.rows["auth_permission"])
    assert {pk: perms_after.get(pk) for pk in perms_before} == perms_before
    user_perms = {pk for pk, (_, type_id, _) in perms_before.items() if type_id == user_type}
    assert len(user_perms) == 4
    assert {perms_after[pk][1] for pk in user_perms} == {user_type}
    added_perms = {pk: perm for pk, perm in perms_after.items() if pk not in perms_before}
    assert {perm[1] for perm in added_perms.values()} <= set(added_types), added_perms

    assert before.migrations <= after.migrations
    assert after.migrations >= MOVE

    # A sequence set back would hand out the ids of rows deleted before.
    gone_or_growing = DROPPED | GROWING | REVENUE_GROWING
    kept_sequences = {
        name: value
        for name, value in before.sequences.items()
        if not any(name == t or name.startswith(f"{t}_") for t in gone_or_growing)
    }
    assert {name: after.sequences.get(name) for name in kept_sequences} == kept_sequences


def _add_what_the_demo_lacks(conn: Any, catalogue: Catalogue) -> str:
    """An admin-log entry and a personal permission on the user model, and authors of history.

    The demo writes no admin log, grants no permission to a person and
    records no history author (it runs outside a request), so every
    history_user_id is empty: without these the checks of what points at
    the users would compare nothing. Returns the username of the colleague
    given the permission.
    """
    (user_type,) = _fetch(
        conn, "SELECT id FROM django_content_type WHERE app_label = 'profiles' AND model = 'user'"
    )[0]
    (view_user,) = _fetch(
        conn,
        f"SELECT id FROM auth_permission WHERE content_type_id = {int(user_type)} "
        "AND codename = 'view_user'",
    )[0]
    (kam,) = _fetch(conn, "SELECT id FROM profiles_user WHERE username = 'kam'")[0]
    grantee_id, grantee = _fetch(
        conn,
        "SELECT id, username FROM profiles_user "
        "WHERE is_active AND NOT is_superuser AND username <> 'kam' ORDER BY id",
    )[0]
    _execute(
        conn,
        "INSERT INTO profiles_user_user_permissions (user_id, permission_id) "
        f"VALUES ({int(grantee_id)}, {int(view_user)})",
    )
    _execute(
        conn,
        "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, "
        "change_message, content_type_id, user_id) VALUES (CURRENT_TIMESTAMP, "
        f"'{int(grantee_id)}', 'a colleague', 2, '[]', {int(user_type)}, {int(kam)})",
    )
    for (table,) in _fetch(conn, catalogue.tables):
        if "history_user_id" in _columns_of(conn, table):
            _execute(
                conn,
                f'UPDATE "{table}" SET history_user_id = {int(kam)} WHERE history_id % 2 = 0',
            )
    return grantee


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python manage.py ...` as IT runs it: production settings, DEBUG on."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="kamteam.settings", DEBUG="1", DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def upgrade_and_check(connect: Callable[[], Any], catalogue: Catalogue, database_url: str) -> None:
    with closing(connect()) as conn:
        grantee = _add_what_the_demo_lacks(conn, catalogue)
        before = snapshot(conn, catalogue)
    assert not MOVE & before.migrations, "the fixture should predate the move"
    assert before.counts["profiles_user"] > 1
    authors = [user for rows in before.history_users.values() for _, user in rows if user]
    assert len(before.history_users) > 10 and authors

    migrated = manage(database_url, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    with closing(connect()) as conn:
        after = snapshot(conn, catalogue, like=before)
    assert_every_row_kept(before, after)

    again = manage(database_url, "migrate", "--noinput")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "No migrations to apply" in again.stdout

    checked = manage(
        database_url, "shell", "--no-imports", "-c", LOGIN_CHECK.format(grantee=grantee)
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    signs_in, wrong_password_signs_in, may_view_users, old_label = checked.stdout.split()[-4:]
    assert (signs_in, wrong_password_signs_in) == ("True", "False"), checked.stdout
    assert (may_view_users, old_label) == ("True", "False"), checked.stdout


def test_sqlite_installation_upgrades_with_every_row_kept(tmp_path: Path) -> None:
    copy = tmp_path / "db.sqlite3"
    with gzip.open(SQLITE_FIXTURE) as source, copy.open("wb") as target:
        shutil.copyfileobj(source, target)
    upgrade_and_check(lambda: sqlite3.connect(copy), SQLITE, f"sqlite:///{copy}")


# PostgreSQL -------------------------------------------------------------------


def _server() -> dict[str, Any]:
    """Connection parameters of the test run's server, without a database name."""
    database = settings.DATABASES["default"]
    params = {
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": str(database.get("PORT") or ""),
    }
    params.update(
        {key: value for key, value in database.get("OPTIONS", {}).items() if isinstance(value, str)}
    )
    return {key: value for key, value in params.items() if value}


def _pg_connect(server: dict[str, Any], dbname: str) -> Any:
    """An autocommit connection with the driver Django would pick."""
    try:
        import psycopg
    except ImportError:
        import psycopg2

        conn = psycopg2.connect(dbname=dbname, **server)
        conn.autocommit = True
        return conn
    return psycopg.connect(dbname=dbname, autocommit=True, **server)


def _postgres_url(server: dict[str, Any], dbname: str) -> str:
    credentials = quote(server.get("user", ""), safe="")
    if "password" in server:
        credentials += ":" + quote(server["password"], safe="")
    netloc = (f"{credentials}@" if credentials else "") + quote(server.get("host", ""), safe="")
    if "port" in server:
        netloc += f":{server['port']}"
    options = {k: v for k, v in server.items() if k not in {"user", "password", "host", "port"}}
    return f"postgres://{netloc}/{dbname}" + (f"?{urlencode(options)}" if options else "")


def _dump_script() -> str:
    r"""The dump as one script, without psql's meta-commands.

    pg_dump (since 15.14/17.6) brackets the dump in \restrict ... \unrestrict,
    which only psql understands. The dump's set_config('search_path', '', ...)
    stays in the loading session, which is closed afterwards.
    """
    with gzip.open(POSTGRES_FIXTURE, "rt", encoding="utf-8") as dump:
        return "".join(line for line in dump if not line.startswith("\\"))


@pytest.fixture
def postgres_copy() -> Iterator[tuple[dict[str, Any], str]]:
    """A throwaway database on the test run's server, loaded from the dump."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            f"the test run uses {connection.vendor}; "
            "run with DATABASE_URL=postgres://... to upgrade the PostgreSQL dump"
        )
    server = _server()
    name = f"upgrade_{uuid.uuid4().hex}"
    with closing(_pg_connect(server, "postgres")) as maintenance:
        _execute(maintenance, f'CREATE DATABASE "{name}"')
        try:
            with closing(_pg_connect(server, name)) as conn:
                _execute(conn, _dump_script())
            yield server, name
        finally:
            _execute(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_installation_upgrades_with_every_row_kept(
    postgres_copy: tuple[dict[str, Any], str],
) -> None:
    server, name = postgres_copy
    upgrade_and_check(lambda: _pg_connect(server, name), POSTGRES, _postgres_url(server, name))
