"""Restoring a backup: an empty database and folder to restore into, pg_restore, the owner."""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql

from deploy.backup_database import Database, Failed, Refused, run


def is_empty_database(db: Database) -> bool:
    with closing(db.connect(autocommit=True)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        )
        return cursor.fetchone()[0] == 0


def is_empty_folder(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


@contextmanager
def admin_cursor(db: Database, maintenance: str) -> Iterator[Any]:
    """An autocommit cursor on the server's maintenance database, to make and drop `db`."""
    with closing(db.renamed(maintenance).connect(autocommit=True)) as conn, conn.cursor() as cursor:
        yield cursor


def database_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def prepare_database(db: Database, maintenance: str, encoding: str, *, force: bool) -> bool:
    """An empty database `db` (an existing empty one is used); True if made here."""
    try:
        with admin_cursor(db, maintenance) as cursor:
            exists = database_exists(cursor, db.name)
            if exists and (not force or is_empty_database(db)):
                return False  # without --force the caller found it empty
            name = sql.Identifier(db.name)
            if exists:
                print(f"--force: dropping database {db.name}")
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {}").format(
                    name, sql.Literal(encoding)
                )
            )
            return True
    except psycopg2.Error as exc:
        raise Failed(
            f"cannot create database {db.name!r}: {str(exc).strip()}\n"
            f"Create it empty (createdb -T template0 -E {encoding} {db.name}), "
            "then run restore again."
        ) from exc


def drop_database(db: Database, maintenance: str) -> None:
    with admin_cursor(db, maintenance) as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db.name)))


def refuse_non_empty_targets(db: Database, media_root: Path, maintenance: str) -> None:
    problems = []
    with admin_cursor(db, maintenance) as cursor:
        exists = database_exists(cursor, db.name)
    if exists and not is_empty_database(db):
        problems.append(f"database {db.name} holds tables")
    if not is_empty_folder(media_root):
        problems.append(f"folder {media_root} is not empty")
    if problems:
        raise Refused(
            "restore goes into a new database and a new folder: "
            + "; ".join(problems)
            + ". Point DATABASE_URL and MEDIA_ROOT at new ones, or add --force to replace them."
        )


def restore_media(tar_path: Path, media_root: Path, *, force: bool) -> None:
    if force and media_root.exists() and not is_empty_folder(media_root):
        print(f"--force: emptying {media_root}")
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tar_path, encoding="utf-8") as tar:
        # "data": no absolute paths, no "..", no links out of the folder.
        tar.extractall(media_root, filter="data")


def restore_database(db: Database, dump: Path, *, jobs: int) -> None:
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--jobs={jobs}"]
    try:
        run([*command, f"--dbname={db.uri}", str(dump)], db.client_env())
    except Failed as exc:
        if "language c" in str(exc).lower():
            # search.0001 declares a C function when it runs as a superuser.
            raise Failed(
                f"{exc}\nThe backup comes from a database migrated by a superuser: "
                "restore it as a superuser too."
            ) from exc
        raise


# Every table, view and free-standing sequence of the public schema (a
# column's sequence follows its table).
OWNED_RELATIONS = """
SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                      WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.relname
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
"""


def hand_over(cursor: Any, database: str, owner: str) -> None:
    """Make `owner` (the role the app connects as) own the database and its tables.

    pg_restore --no-owner leaves everything to the restoring role: a
    superuser, when search.0001 ran as one (README, "Backups").
    """
    cursor.execute(
        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
            sql.Identifier(database), sql.Identifier(owner)
        )
    )
    cursor.execute(OWNED_RELATIONS)
    for kind, name in cursor.fetchall():
        statement = sql.SQL("ALTER {} {} OWNER TO {}").format(
            sql.SQL(kind), sql.Identifier("public", name), sql.Identifier(owner)
        )
        cursor.execute(statement)
    print(f"handed database {database} and its tables to role {owner}")
