"""A backup of the demo restores into a new database and folder, identical to the last row and byte.

The source is a database of its own on the test run's PostgreSQL server,
migrated and seeded with `manage.py demo` as IT would (subprocesses with
production settings), plus a media folder with files under unicode names
and in a subfolder. deploy/backup.py runs as a program, as cron runs it.
The comparisons are the test's own (another digest than the script's), so a
fault in the script's checksums cannot hide a fault in its restore. Every
database made here is dropped at the end; the test database is not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "backup.py"
FILES = {
    "contract.pdf": b"%PDF-1.7 the framework contract\n" * 100,
    "Angebote/Müller – Rahmenvertrag 2026 €.txt": "Angebot für Max Müller\n".encode(),
    "Angebote/日本/見積書.txt": "見積書\n".encode(),
    "empty.txt": b"",
}


def _server() -> dict[str, str]:
    database = settings.DATABASES["default"]
    params = {
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": str(database.get("PORT") or ""),
    }
    return {key: value for key, value in params.items() if value}


def _url(dbname: str) -> str:
    server = _server()
    credentials = quote(server.get("user", ""), safe="")
    if "password" in server:
        credentials += ":" + quote(server["password"], safe="")
    netloc = (f"{credentials}@" if credentials else "") + server.get("host", "")
    if "port" in server:
        netloc += f":{server['port']}"
    return f"postgres://{netloc}/{dbname}"


def _connect(dbname: str) -> Any:
    conn = psycopg2.connect(dbname=dbname, **_server())
    conn.autocommit = True
    return conn


def _exists(dbname: str) -> bool:
    with closing(_connect("postgres")) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
        return cursor.fetchone() is not None


def _tables(dbname: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every public table: all rows' text, sorted, joined."""
    with closing(_connect(dbname)) as conn, conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        names = [name for (name,) in cursor.fetchall()]
        digests = {}
        for name in names:
            cursor.execute(
                f"SELECT count(*), md5(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE \"C\")) "
                f'FROM public."{name}" t'
            )
            digests[name] = cursor.fetchone()
        return digests


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _run(*args: str | Path, database: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=_url(database), MEDIA_ROOT=str(media))
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _manage(database: str, *args: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="kamteam.settings", DEBUG="1", DATABASE_URL=_url(database))
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


class Databases:
    """Names of this module's databases; every one is dropped at the end."""

    def __init__(self) -> None:
        self.prefix = f"backup_test_{uuid.uuid4().hex[:12]}"
        self.names: list[str] = []
        self.roles: list[str] = []

    def new_name(self, role: str) -> str:
        name = f"{self.prefix}_{role}_{len(self.names)}"
        self.names.append(name)
        return name

    def new_role(self) -> str:
        """A login role of this module's own, as the app's would be (no superuser)."""
        name = f"{self.prefix}_app"
        with closing(_connect("postgres")) as conn, conn.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{name}" LOGIN')
        self.roles.append(name)
        return name

    def drop_all(self) -> None:
        with closing(_connect("postgres")) as conn, conn.cursor() as cursor:
            for name in self.names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in self.roles:  # after its databases
                cursor.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="module")
def databases() -> Iterator[Databases]:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("backups are of PostgreSQL: run with DATABASE_URL=postgres://...")
    made = Databases()
    try:
        yield made
    finally:
        made.drop_all()


@pytest.fixture(scope="module")
def source(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The demo installation: its database and its media folder."""
    name = databases.new_name("source")
    with closing(_connect("postgres")) as conn, conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    _manage(name, "migrate", "--noinput", "-v", "0")
    _manage(name, "demo", "--password", "demo-backup")
    media = tmp_path_factory.mktemp("media")
    for relative, content in FILES.items():
        path = media / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return name, media


@pytest.fixture(scope="module")
def backup(source: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    name, media = source
    folder = tmp_path_factory.mktemp("backups")
    made = _run("backup", "--dir", folder, database=name, media=media)
    assert made.returncode == 0, made.stdout + made.stderr
    (backup,) = folder.glob("kamteam-*")
    return backup


@pytest.fixture
def restored(databases: Databases, backup: Path, tmp_path: Path) -> tuple[str, Path]:
    """A fresh copy per test: a new database and a new folder."""
    name, media = databases.new_name("copy"), tmp_path / "restored-media"
    done = _run("restore", backup, database=name, media=media)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "identical to the backup" in done.stdout
    return name, media


def test_restored_copy_has_every_row_and_every_file(
    source: tuple[str, Path], backup: Path, restored: tuple[str, Path]
) -> None:
    (source_db, source_media), (copy_db, copy_media) = source, restored
    original = _tables(source_db)
    assert original["accounts_keyaccount"][0] >= 10, "the demo should be in the source"
    assert original["raci_raciassignment"][0] > 0 and original["profiles_user"][0] > 10
    assert _tables(copy_db) == original

    files = _files(source_media)
    assert set(files) == set(FILES)
    assert _files(copy_media) == files

    manifest = json.loads((backup / "manifest.json").read_text())
    assert {name: table["rows"] for name, table in manifest["database"]["tables"].items()} == {
        name: rows for name, (rows, _digest) in original.items()
    }
    assert {name: entry["sha256"] for name, entry in manifest["media"].items()} == files
    assert "search.0001_initial" in manifest["database"]["migrations"]


def test_restore_refuses_a_database_with_tables_without_force(
    source: tuple[str, Path], backup: Path, restored: tuple[str, Path], tmp_path: Path
) -> None:
    copy_db, _media = restored
    before = _tables(copy_db)
    refused = _run("restore", backup, database=copy_db, media=tmp_path / "new-media")
    assert refused.returncode == 2
    assert f"database {copy_db} holds tables" in refused.stderr
    assert "--force" in refused.stderr
    assert not (tmp_path / "new-media").exists()

    with closing(_connect(copy_db)) as conn, conn.cursor() as cursor:
        cursor.execute("UPDATE profiles_user SET last_login = now()")
    assert _tables(copy_db) != before
    forced = _run("restore", "--force", backup, database=copy_db, media=tmp_path / "new-media")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert _tables(copy_db) == _tables(source[0])


def test_restore_refuses_a_folder_with_files_and_creates_nothing(
    databases: Databases, source: tuple[str, Path], backup: Path
) -> None:
    new_db = databases.new_name("unused")
    refused = _run("restore", backup, database=new_db, media=source[1])
    assert refused.returncode == 2
    assert f"folder {source[1]} is not empty" in refused.stderr
    assert not _exists(new_db)


def test_verify_fails_on_a_tampered_file_and_a_changed_row(
    backup: Path, restored: tuple[str, Path]
) -> None:
    copy_db, copy_media = restored
    assert _run("verify", backup, database=copy_db, media=copy_media).returncode == 0

    tampered = copy_media / "Angebote/Müller – Rahmenvertrag 2026 €.txt"
    tampered.write_bytes(tampered.read_bytes().replace(b"Max", b"Moritz"))
    failed = _run("verify", backup, database=copy_db, media=copy_media)
    assert failed.returncode == 1
    assert "file Angebote/Müller – Rahmenvertrag 2026 €.txt: content differs" in failed.stderr

    with closing(_connect(copy_db)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_keyaccount SET name = name || '.' "
            "WHERE id = (SELECT min(id) FROM accounts_keyaccount)"
        )
    failed = _run("verify", backup, database=copy_db, media=copy_media)
    assert "table accounts_keyaccount: same" in failed.stderr and "content differs" in failed.stderr
    # Row counts alone do not see a changed row: that is what the checksums are for.
    tampered.unlink()
    counts_only = _run("verify", "--no-checksums", backup, database=copy_db, media=copy_media)
    assert counts_only.returncode == 1
    assert "accounts_keyaccount" not in counts_only.stderr
    assert "file Angebote/Müller – Rahmenvertrag 2026 €.txt: missing" in counts_only.stderr


def test_damaged_dump_is_refused_before_a_database_is_made(
    databases: Databases, backup: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / backup.name
    shutil.copytree(backup, damaged)
    with (damaged / "database.dump").open("r+b") as dump:
        dump.seek(2000)
        byte = dump.read(1)
        dump.seek(2000)
        dump.write(bytes([byte[0] ^ 0xFF]))
    new_db = databases.new_name("unused")
    failed = _run("restore", damaged, database=new_db, media=tmp_path / "media")
    assert failed.returncode == 1
    assert "database.dump is damaged" in failed.stderr
    assert not _exists(new_db)


def test_restore_with_owner_hands_the_copy_to_the_apps_role(
    databases: Databases, backup: Path, tmp_path: Path
) -> None:
    """Restored by a superuser (the dump has search.0001's C function), used by the app's role."""
    role, name = databases.new_role(), databases.new_name("owned")
    done = _run("restore", "--owner", role, backup, database=name, media=tmp_path / "media")
    assert done.returncode == 0, done.stdout + done.stderr

    conn = psycopg2.connect(dbname=name, **{**_server(), "user": role})
    with closing(conn), conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s",
            [role],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("UPDATE accounts_keyaccount SET name = name || ' (restored)'")
        assert cursor.rowcount >= 10
        cursor.execute("SELECT nextval(pg_get_serial_sequence('accounts_keyaccount', 'id'))")
        cursor.execute("SELECT kam_fold('Müller')")
        assert cursor.fetchone()[0] == "muller"
        conn.commit()


def test_keep_removes_only_older_complete_backups(tmp_path: Path) -> None:
    from deploy.backup import prune

    names = ["kamteam-20260101T023000Z", "kamteam-20260102T023000Z", "kamteam-20260103T023000Z"]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    unfinished = tmp_path / "kamteam-20251231T023000Z.partial"
    unfinished.mkdir()
    (unfinished / "manifest.json").write_text("{}")  # written, but never renamed

    assert prune(tmp_path, 2) == [tmp_path / names[0]]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*names[1:], unfinished.name])
