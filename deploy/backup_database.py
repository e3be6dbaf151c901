"""Where a backup's database and uploaded files are, and how a command ends early.

For deploy/backup.py: the PostgreSQL database named by DATABASE_URL (its
password kept out of argv), the MEDIA_ROOT folder, PostgreSQL's client
programs, and the two outcomes short of success (Refused: exit 2, Failed:
exit 1).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


class Refused(Exception):
    """The command would overwrite something or was given wrong arguments (exit 2)."""


class Failed(Exception):
    """A step or a check failed (exit 1)."""


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


# PostgreSQL's client programs ------------------------------------------------


def run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise Failed(f"{command[0]} not found: install PostgreSQL's client programs") from exc
    if result.returncode:
        raise Failed(f"{command[0]} failed (exit {result.returncode}):\n{result.stderr.strip()}")


def client_version(program: str) -> str:
    try:
        return subprocess.run(
            [program, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise Failed(f"{program} not found: install PostgreSQL's client programs") from exc
