"""What a backup's manifest records of a database and a folder, and how two of them differ.

The state (applied migrations, row count and checksum of every table,
sequences, size and sha256 of every file), the comparison in words, and
reading a manifest and checking the files it describes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from psycopg2 import sql

from deploy.backup_database import ROOT, Failed, Refused

# The files of a backup folder; FORMAT: the manifest's layout, checked on reading.
FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar"
MANIFEST = "manifest.json"
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


# Which code wrote it, reading it back ----------------------------------------


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
