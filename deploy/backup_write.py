"""Writing a backup folder: the dump, the tar of the files and the manifest; pruning old ones."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

from deploy.backup_database import Database, client_version, run
from deploy.backup_manifest import (
    DUMP,
    FORMAT,
    MANIFEST,
    MEDIA,
    database_state,
    kamteam_version,
    media_files,
    sha256_of,
)

PREFIX = "kamteam-"


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
