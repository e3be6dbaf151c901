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

The parts are in deploy/backup_*.py: database (where things are, how a
command ends early), manifest (what a database and a folder hold, how two
differ), write (the backup folder) and restore; this file holds the three
commands and the command line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a program, Python sees only deploy/: the parts are found from the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.backup_database import (
    Database,
    Failed,
    Refused,
    database_from_env,
    media_root_from_env,
)
from deploy.backup_manifest import (
    DUMP,
    MEDIA,
    check_backup_files,
    compare,
    database_state,
    kamteam_version,
    load_manifest,
    media_state,
)
from deploy.backup_restore import (
    drop_database,
    hand_over,
    prepare_database,
    refuse_non_empty_targets,
    restore_database,
    restore_media,
)
from deploy.backup_write import PREFIX, prune, write_backup

# backup ----------------------------------------------------------------------


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


# restore and verify ----------------------------------------------------------


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
