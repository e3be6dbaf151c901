"""Back up kamteam's database and uploaded files, restore a backup, verify a copy.

    python deploy/backup.py backup  [--dir backups] [--keep N] [--no-checksums]
    python deploy/backup.py restore BACKUP [--force] [--jobs N] [--no-checksums]
    python deploy/backup.py verify  BACKUP [--no-checksums]

Like the app, it reads DATABASE_URL (postgres://user:password@host:port/name)
and MEDIA_ROOT (the uploaded files; default: media/ beside manage.py, as in
kamteam/settings.py) from the environment; `restore` and `verify` work on the
database and folder named there, so point them at the new ones.

A backup is one folder, kamteam-<UTC time>/, holding:

- database.dump: `pg_dump --format=custom` without owners and grants, so it
  restores into any database for any role;
- media.tar: every regular file under MEDIA_ROOT (POSIX tar, UTF-8 names);
- manifest.json: kamteam's version and git commit, the applied migrations,
  row count and checksum of every table of the public schema, the last value
  of every sequence, size and sha256 of every file, and sha256 of the two
  files above.

The dump and the manifest's numbers come from one snapshot of the database
(pg_export_snapshot, `pg_dump --snapshot`), so a backup of a database in use
is still consistent with its manifest. `restore` creates the database (it
refuses one that holds tables, and a non-empty folder, unless --force),
restores, and then checks the copy against the manifest, as `verify` does.
Exit status: 0 when all is well, 1 when a check or a step failed, 2 when
the command was refused (usage, non-empty target).

Only the Python standard library, psycopg2 (one of kamteam's dependencies)
and PostgreSQL's client programs (pg_dump, pg_restore: of the server's major
version or newer) are needed; Django is not loaded.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, unquote, urlsplit

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar"
MANIFEST = "manifest.json"
PREFIX = "kamteam-"
CHUNK = 1 << 20

# Every value's text form must not depend on the session or the server the
# copy runs on, or equal rows would hash differently.
DETERMINISTIC_SESSION = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
)

# A table's checksum: the md5 of its rows' md5s in sorted order, so the
# order rows happen to lie on disk does not matter (COLLATE "C": the sort
# must not depend on the database's collation either). Cost: it reads the
# whole table (a sequential scan), hashes every row and sorts 33 bytes per
# row (spilling to disk past work_mem): about as long as reading the
# database once. Nothing for the demo, 0.6 s of the 1.1 s backup of the
# 500-account benchmark database (76 MB; README, "Backups"); for a database
# of many gigabytes, minutes of server I/O and CPU during every backup: use
# --no-checksums there (row counts and the files' sha256 stay).
TABLE_CHECKSUM = sql.SQL(
    "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h COLLATE \"C\"), '')) "
    "FROM (SELECT md5(t::text) AS h FROM {} AS t) AS rows"
)
TABLE_COUNT = sql.SQL("SELECT count(*), NULL FROM {}")


class Refused(Exception):
    """The command would overwrite something or was given wrong arguments (exit 2)."""


class Failed(Exception):
    """A step or a check failed (exit 1)."""


# Where things are ------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """One PostgreSQL database from a DATABASE_URL, its password kept out of argv."""

    uri: str  # libpq URI without the password
    password: str | None
    name: str

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise Refused(
                f"DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/name); "
                f"got scheme {parts.scheme!r}. The embedded SQLite file is backed up by "
                "copying it (sqlite3 db.sqlite3 '.backup copy.sqlite3')."
            )
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise Refused("DATABASE_URL names no database (postgres://host:5432/<name>)")
        netloc = parts.hostname or ""
        if ":" in netloc:  # an IPv6 address
            netloc = f"[{netloc}]"
        if parts.port:
            netloc += f":{parts.port}"
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        uri = f"postgresql://{netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        password = unquote(parts.password) if parts.password is not None else None
        return cls(uri=uri, password=password, name=name)

    def renamed(self, name: str) -> Database:
        parts = urlsplit(self.uri)
        uri = f"postgresql://{parts.netloc}/{quote(name, safe='')}"
        return Database(uri + (f"?{parts.query}" if parts.query else ""), self.password, name)

    def connect(self, *, autocommit: bool = False) -> Any:
        """A psycopg2 connection; close it (contextlib.closing), `with` alone does not."""
        kwargs = {"password": self.password} if self.password is not None else {}
        try:
            conn = psycopg2.connect(self.uri, **kwargs)
        except psycopg2.OperationalError as exc:
            raise Failed(f"cannot connect to database {self.name!r}: {exc}".strip()) from exc
        conn.autocommit = autocommit
        return conn

    def client_env(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password goes in PGPASSWORD."""
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env


def database_from_env(url: str | None) -> Database:
    url = url or os.environ.get("DATABASE_URL", "")
    if not url:
        raise Refused("DATABASE_URL is not set (postgres://user@host:5432/name)")
    return Database.from_url(url)


def media_root_from_env(path: str | None) -> Path:
    return Path(path or os.environ.get("MEDIA_ROOT", "").strip() or ROOT / "media").resolve()


# What a database and a folder hold -------------------------------------------


def session_for_digests(cursor: Any) -> None:
    for statement in DETERMINISTIC_SESSION:
        cursor.execute(statement)


def tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    return [name for (name,) in cursor.fetchall()]


def table_digests(cursor: Any, *, checksums: bool) -> dict[str, dict[str, Any]]:
    """Row count and (with checksums) checksum of every table of the public schema."""
    query = TABLE_CHECKSUM if checksums else TABLE_COUNT
    digests = {}
    for name in tables(cursor):
        cursor.execute(query.format(sql.Identifier("public", name)))
        rows, digest = cursor.fetchone()
        digests[name] = {"rows": rows, "md5": digest}
    return digests


def sequences(cursor: Any) -> dict[str, int | None]:
    # NULL: never used (a restored copy keeps that, pg_dump writes setval(..., false)).
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
    )
    return dict(cursor.fetchall())


def migrations(cursor: Any) -> list[str]:
    """The applied migrations as app.name: which code version the data fits."""
    cursor.execute("SELECT to_regclass('public.django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name")
    return [name for (name,) in cursor.fetchall()]


def database_state(conn: Any, *, checksums: bool) -> dict[str, Any]:
    with conn.cursor() as cursor:
        session_for_digests(cursor)
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute("SHOW server_encoding")
        (encoding,) = cursor.fetchone()
        return {
            "server_version": version,
            "encoding": encoding,
            "migrations": migrations(cursor),
            "tables": table_digests(cursor, checksums=checksums),
            "sequences": sequences(cursor),
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(name relative to root, path) of every regular file, in a stable order."""
    if not root.exists():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file():
                print(f"skipped (not a regular file): {path}", file=sys.stderr)
                continue
            yield path.relative_to(root).as_posix(), path


def media_state(root: Path) -> dict[str, dict[str, Any]]:
    return {
        name: {"size": path.stat().st_size, "sha256": sha256_of(path)}
        for name, path in media_files(root)
    }


# Comparing -------------------------------------------------------------------


def compare_tables(
    expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]], *, checksums: bool
) -> list[str]:
    problems = [f"table {name}: missing" for name in sorted(expected.keys() - actual.keys())]
    problems += [f"table {name}: not in the backup" for name in sorted(actual.keys() - expected)]
    for name in sorted(expected.keys() & actual.keys()):
        want, have = expected[name], actual[name]
        if want["rows"] != have["rows"]:
            problems.append(f"table {name}: {have['rows']} rows, the backup has {want['rows']}")
        elif checksums and want["md5"] and have["md5"] and want["md5"] != have["md5"]:
            problems.append(f"table {name}: same {have['rows']} rows, but their content differs")
    return problems


def compare_files(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list:
    problems = [f"file {name}: missing" for name in sorted(expected.keys() - actual.keys())]
    problems += [f"file {name}: not in the backup" for name in sorted(actual.keys() - expected)]
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name]["sha256"] != actual[name]["sha256"]:
            problems.append(f"file {name}: content differs (sha256 {actual[name]['sha256']})")
    return problems


def compare(
    manifest: dict[str, Any], database: dict[str, Any], files: dict[str, Any], *, checksums: bool
) -> list[str]:
    """Every difference between a manifest and a database and folder, in words."""
    expected = manifest["database"]
    problems = []
    if expected["migrations"] != database["migrations"]:
        want, have = set(expected["migrations"]), set(database["migrations"])
        problems.append(
            "migrations differ: "
            f"{len(want - have)} of the backup's not applied, {len(have - want)} more applied"
        )
    problems += compare_tables(expected["tables"], database["tables"], checksums=checksums)
    for name in sorted(expected["sequences"].keys() | database["sequences"].keys()):
        want = expected["sequences"].get(name, "none")
        have = database["sequences"].get(name, "none")
        if want != have:
            problems.append(f"sequence {name}: last value {have}, the backup has {want}")
    return problems + compare_files(manifest["media"], files)


# backup ----------------------------------------------------------------------


def run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise Failed(f"{command[0]} not found: install PostgreSQL's client programs") from exc
    if result.returncode:
        raise Failed(f"{command[0]} failed (exit {result.returncode}):\n{result.stderr.strip()}")


def kamteam_version() -> dict[str, Any]:
    version = None
    try:
        with (ROOT / "pyproject.toml").open("rb") as stream:
            version = tomllib.load(stream)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    commit = dirty = None
    try:
        git = ["git", "-C", str(ROOT)]
        commit = subprocess.run(
            [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        dirty = bool(status.strip())
    except (OSError, subprocess.CalledProcessError):
        pass  # an installation without git: the version alone
    return {"version": version, "commit": commit, "uncommitted_changes": dirty}


def client_version(program: str) -> str:
    try:
        return subprocess.run(
            [program, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise Failed(f"{program} not found: install PostgreSQL's client programs") from exc


def dump_database(db: Database, target: Path, *, checksums: bool) -> dict[str, Any]:
    """pg_dump and the manifest's numbers from one snapshot of the database."""
    conn = db.connect()
    try:
        conn.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        # The transaction stays open until both have read: pg_dump joins its snapshot.
        run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={db.uri}",
            ],
            db.client_env(),
        )
        return database_state(conn, checksums=checksums)
    finally:
        conn.rollback()
        conn.close()


class HashingReader:
    """A file read once: into the tar and into its sha256."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


def archive_media(root: Path, target: Path) -> dict[str, dict[str, Any]]:
    files = {}
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar:
        for name, path in media_files(root):
            info = tar.gettarinfo(str(path), arcname=name)
            with path.open("rb") as stream:
                reader = HashingReader(stream)
                tar.addfile(info, reader)  # type: ignore[arg-type]
            files[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}
    return files


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` complete backups (unfinished ones are left)."""
    complete = sorted(
        path
        for path in folder.glob(f"{PREFIX}*")
        if not path.name.endswith(".partial") and (path / MANIFEST).is_file()
    )
    removed = complete[:-keep] if keep else []
    for path in removed:
        shutil.rmtree(path)
    return removed


def backup(args: argparse.Namespace) -> int:
    db = database_from_env(args.database_url)
    media_root = media_root_from_env(args.media_root)
    folder = Path(args.dir).resolve()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = folder / f"{PREFIX}{stamp}"
    partial = folder / f"{PREFIX}{stamp}.partial"
    # Personal data: readable by the backup's owner only.
    os.umask(0o077)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        partial.mkdir()
    except FileExistsError as exc:
        raise Refused(f"{partial} exists: another backup is running this second") from exc
    try:
        manifest = write_backup(db, media_root, partial, checksums=not args.no_checksums)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # half a backup is no backup
        raise
    partial.rename(final)
    state, files = manifest["database"], manifest["media"]
    rows = sum(table["rows"] for table in state["tables"].values())
    print(
        f"backup written: {final}\n"
        f"  database {db.name}: {len(state['tables'])} tables, {rows} rows"
        f"{'' if manifest['checksums'] else ' (no checksums)'}\n"
        f"  media {media_root}: {len(files)} files"
    )
    if args.keep:
        for path in prune(folder, args.keep):
            print(f"  removed old backup {path.name} (keeping {args.keep})")
    return 0


def write_backup(db: Database, media_root: Path, partial: Path, *, checksums: bool) -> dict:
    """The dump, the tar and the manifest, into `partial`; the manifest."""
    # The database first: an uploaded file is written before the row that
    # names it commits, so every file the dump refers to is already there.
    state = dump_database(db, partial / DUMP, checksums=checksums)
    state["name"] = db.name
    if not media_root.is_dir():
        print(f"note: {media_root} does not exist: no uploaded files to save", file=sys.stderr)
    files = archive_media(media_root, partial / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kamteam": kamteam_version(),
        "pg_dump": client_version("pg_dump"),
        "checksums": checksums,
        "database": state,
        "media_root": str(media_root),
        "media": files,
        "files": {name: sha256_of(partial / name) for name in (DUMP, MEDIA)},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


# restore and verify ----------------------------------------------------------


def load_manifest(backup_dir: Path) -> dict[str, Any]:
    path = backup_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise Refused(f"{backup_dir} is not a complete backup: {MANIFEST} is missing") from exc
    except json.JSONDecodeError as exc:
        raise Failed(f"{path} is damaged: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise Refused(
            f"{path}: backup format {manifest.get('format')!r}, this script reads {FORMAT}"
        )
    return manifest


def check_backup_files(backup_dir: Path, manifest: dict[str, Any]) -> None:
    """The dump and the tar are the ones the manifest describes (no bit rot, no truncation)."""
    for name, expected in manifest["files"].items():
        path = backup_dir / name
        if not path.is_file():
            raise Failed(f"{path} is missing")
        if sha256_of(path) != expected:
            raise Failed(f"{path} is damaged: its sha256 is not the manifest's")


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


def verify_copy(
    manifest: dict[str, Any], db: Database, media_root: Path, *, checksums: bool
) -> int:
    checksums = checksums and manifest["checksums"]
    with closing(db.connect()) as conn:
        database = database_state(conn, checksums=checksums)
    problems = compare(manifest, database, media_state(media_root), checksums=checksums)
    tables = manifest["database"]["tables"]
    if problems:
        print(f"NOT the same as the backup ({len(problems)} differences):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    what = "row counts and checksums" if checksums else "row counts (no checksums)"
    print(
        f"identical to the backup: {len(tables)} tables ({what}), "
        f"{len(manifest['database']['sequences'])} sequences, "
        f"{len(manifest['database']['migrations'])} migrations, {len(manifest['media'])} files"
    )
    return 0


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


def restore(args: argparse.Namespace) -> int:
    backup_dir = Path(args.backup).resolve()
    manifest = load_manifest(backup_dir)
    db = database_from_env(args.database_url)
    media_root = media_root_from_env(args.media_root)
    if not args.force:
        refuse_non_empty_targets(db, media_root, args.maintenance_db)
    check_backup_files(backup_dir, manifest)
    encoding = manifest["database"]["encoding"]
    created = prepare_database(db, args.maintenance_db, encoding, force=args.force)
    try:
        restore_database(db, backup_dir / DUMP, jobs=args.jobs)
    except Failed as exc:
        if not created:
            raise
        # Half a database would only be refused by the next attempt.
        drop_database(db, args.maintenance_db)
        raise Failed(f"{exc}\n(database {db.name}, made for this restore, was dropped)") from exc
    with closing(db.connect(autocommit=True)) as conn, conn.cursor() as cursor:
        if args.owner:
            hand_over(cursor, db.name, args.owner)
        # pg_restore brings no planner statistics: without them the first pages are slow.
        cursor.execute("ANALYZE")
    restore_media(backup_dir / MEDIA, media_root, force=args.force)
    print(f"restored {backup_dir.name} into database {db.name} and {media_root}")
    made_with = manifest["kamteam"]
    if made_with.get("commit") and made_with["commit"] != kamteam_version()["commit"]:
        print(
            f"note: the backup was made with kamteam {made_with['version']} "
            f"(commit {made_with['commit'][:12]}); run this code's `manage.py migrate` "
            "against the copy if it is newer"
        )
    return verify_copy(manifest, db, media_root, checksums=not args.no_checksums)


def verify(args: argparse.Namespace) -> int:
    backup_dir = Path(args.backup).resolve()
    manifest = load_manifest(backup_dir)
    check_backup_files(backup_dir, manifest)
    db = database_from_env(args.database_url)
    media_root = media_root_from_env(args.media_root)
    return verify_copy(manifest, db, media_root, checksums=not args.no_checksums)


# Command line ----------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="backup.py", description=__doc__.splitlines()[0], epilog="See README, Backups."
    )
    commands = main.add_subparsers(dest="command", required=True)
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--database-url", help="default: $DATABASE_URL")
    where.add_argument("--media-root", help="default: $MEDIA_ROOT, else media/ beside manage.py")
    where.add_argument(
        "--no-checksums",
        action="store_true",
        help="row counts only: reading every row costs minutes on a large database",
    )

    make = commands.add_parser("backup", parents=[where], help="write a new backup folder")
    make.add_argument("--dir", default="backups", help="where backups go (default: backups/)")
    make.add_argument("--keep", type=int, default=0, help="then keep only the newest N backups")
    make.set_defaults(handler=backup)

    back = commands.add_parser("restore", parents=[where], help="restore into a new database")
    back.add_argument("backup", help="a backup folder (kamteam-<time>)")
    back.add_argument("--force", action="store_true", help="replace a non-empty database/folder")
    back.add_argument("--jobs", type=int, default=1, help="pg_restore's parallel jobs")
    back.add_argument("--maintenance-db", default="postgres", help="to create the database from")
    back.add_argument("--owner", help="role to own the database and tables (the app's role)")
    back.set_defaults(handler=restore)

    check = commands.add_parser("verify", parents=[where], help="compare a database with a backup")
    check.add_argument("backup", help="a backup folder (kamteam-<time>)")
    check.set_defaults(handler=verify)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "keep", 0) < 0 or getattr(args, "jobs", 1) < 1:
        print("backup.py: --keep must be 0 or more, --jobs 1 or more", file=sys.stderr)
        return 2
    try:
        return args.handler(args)
    except Refused as exc:
        print(f"backup.py {args.command}: refused: {exc}", file=sys.stderr)
        return 2
    except Failed as exc:
        print(f"backup.py {args.command}: failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
