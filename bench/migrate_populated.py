"""Migrations forward on a populated database: how long each holds which lock, which rewrite.

    .venv/bin/python bench/migrate_populated.py [--accounts 500] [--back 1 | --since REV]
    make migrate-bench    (--since 586ddea: the upgrade path of the oldest installation)

1. Creates the database (only that one is dropped and made anew), migrates
   it and seeds it with bench/seed.py (500 accounts: 3,257 people, 100,000
   touchpoints, about 200,000 rows).
2. Rolls the apps of ours back, each in a transaction of its own, and with
   them whatever depends on what goes: by their last --back migrations, or
   to the migrations they had in git revision --since (an installation of
   that version, with this data). An app stays further forward where a
   reverse migration fails on the data (coaching.0002 cannot remove
   questions that answers point at), where --back would drop a table
   holding rows (the forward run would then time an empty table), or where
   --since would undo a migration older than the revision.
3. Applies the pending migrations forward one at a time, each in its own
   transaction as `manage.py migrate` does, and records for each: seconds
   to commit, the locks it held on tables that existed before it (every
   lock of a transaction is held until its commit, so the seconds are how
   long the lock was held, at most), which tables it rewrote (their
   relfilenode changed: the table was copied whole) and the lock-heavy
   statements of its SQL.
4. Compares every table's row count with the seeded one.

Prints a table and writes bench/migrate-report.json. It does not send
post_migrate (content types, permissions), and tables created by a
migration it rolled back come back empty, as they would in a real upgrade.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    app_env,
    db_url,
    log,
    migrate,
    new_secret,
    psql,
    recreate_db,
    run_py,
)

# Modes that stop the app's traffic on a table: all of it, or its writes.
BLOCKS_ALL = {"AccessExclusiveLock"}
BLOCKS_WRITES = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock"}
# Statements worth a look on a big table (PostgreSQL 15). Plain ADD COLUMN,
# also with a constant default, only touches the catalogue.
SQL_FLAGS = {
    r"\bALTER COLUMN \S+ TYPE\b": "changes a column's type (rewrites unless binary-compatible)",
    r"\bSET NOT NULL\b": "SET NOT NULL (reads the whole table under ACCESS EXCLUSIVE)",
    r"\bADD COLUMN .* DEFAULT .*\b(now|random|clock_timestamp|gen_random_uuid)\(": (
        "adds a column with a volatile default (rewrites)"
    ),
    r"\bADD COLUMN .* CHECK\b": (
        "adds a column with a CHECK (reads every row under ACCESS EXCLUSIVE)"
    ),
    r"\bCREATE (UNIQUE )?INDEX (?!CONCURRENTLY)": "CREATE INDEX (blocks writes while it builds)",
    r"\bADD CONSTRAINT .*\b(CHECK|FOREIGN KEY|EXCLUDE)\b(?!.*NOT VALID)": (
        "adds a constraint that checks every row"
    ),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    how_far = parser.add_mutually_exclusive_group()
    how_far.add_argument("--back", type=int, default=1, help="migrations per app to roll back")
    how_far.add_argument(
        "--since", metavar="REV", help="roll back to the migrations of git revision REV"
    )
    parser.add_argument("--database", default="kamteam_migrate_bench")
    parser.add_argument("--out", default=str(ROOT / "bench" / "migrate-report.json"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


# The database ----------------------------------------------------------------


def table_rows(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    rows = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM public."{name}"')
        rows[name] = cursor.fetchone()[0]
    return rows


def relations(cursor: Any) -> dict[str, tuple[str, int]]:
    """Every table and index of the public schema: (kind, relfilenode)."""
    cursor.execute(
        "SELECT relname, relkind, relfilenode FROM pg_class "
        "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'm', 'i')"
    )
    return {name: (kind, node) for name, kind, node in cursor.fetchall()}


def held_locks(cursor: Any) -> dict[str, str]:
    """The strongest lock this session holds on each table of the public schema."""
    order = [
        "AccessShareLock",
        "RowShareLock",
        "RowExclusiveLock",
        "ShareUpdateExclusiveLock",
        "ShareLock",
        "ShareRowExclusiveLock",
        "ExclusiveLock",
        "AccessExclusiveLock",
    ]
    cursor.execute(
        "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
        "AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
    )
    strongest: dict[str, str] = {}
    for name, mode in cursor.fetchall():
        if order.index(mode) > order.index(strongest.get(name, "AccessShareLock")):
            strongest[name] = mode
        strongest.setdefault(name, mode)
    return strongest


# Which migrations go back -------------------------------------------------------


# The labels of kamteam's own apps (filled once Django is set up).
OURS: list[str] = []


def our_apps() -> list[str]:
    from django.apps import apps

    venv = ROOT / ".venv"
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and not Path(config.path).is_relative_to(venv)
    ]


def database_operations(operations: list[Any]) -> list[Any]:
    from django.db.migrations.operations import SeparateDatabaseAndState

    found = []
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            found += database_operations(operation.database_operations)
        else:
            found.append(operation)
    return found


WENT_ALREADY = "already rolled back with another app"


class KeepIt(Exception):
    """Undo this rollback attempt."""


def existing_tables(cursor: Any) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in cursor.fetchall()}


@dataclass
class Rollback:
    """How far back to go: by `back` migrations per app, or to the state of git revision `since`."""

    back: int
    baseline: set[tuple[str, str]] | None  # the migrations of ours that existed at `since`

    def candidates(self, app: str, chain: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
        """Targets for `app`, the furthest back first; each next is one migration later."""
        if self.baseline is None:
            return [chain[-1 - depth] for depth in range(min(self.back, len(chain) - 1), 0, -1)]
        old = [node for node in chain if node in self.baseline]
        start = chain.index(old[-1]) if old else -1
        return ([(app, None)] if start < 0 else []) + chain[max(start, 0) : -1]

    def refuse(self, plan: list[tuple[Any, bool]], rows: dict[str, int], kept: set[str]) -> str:
        """Why this backward plan must not stand ('' if it may)."""
        if self.baseline is not None:
            # Only what came after `since` goes: the tables of that time keep their rows.
            older = [
                f"{m.app_label}.{m.name}"
                for m, _ in plan
                if (m.app_label, m.name) in self.baseline or m.app_label not in OURS
            ]
            return f"would undo {', '.join(older[:3])} (older than the revision)" if older else ""
        # A table created further back would come back empty, and the forward
        # run would time migrations on an empty table.
        lost = sorted(table for table, count in rows.items() if count and table not in kept)
        return f"would drop {', '.join(lost)}" if lost else ""


def try_rollback(
    executor: Any, target: tuple[str, str | None], rollback: Rollback, rows: dict[str, int]
) -> str | None:
    """Go back to `target` in one transaction: None when done, else why it was undone.

    PostgreSQL's DDL is transactional, so an attempt that fails (a reverse
    data migration refusing, as coaching.0002's does once answers point at
    its questions) or that is refused leaves no trace.
    """
    from django.db import connection, transaction

    plan = executor.migration_plan([target])
    if not plan or not all(backwards for _migration, backwards in plan):
        return WENT_ALREADY
    try:
        with transaction.atomic():
            executor.migrate([target])
            with connection.cursor() as cursor:
                why = rollback.refuse(plan, rows, existing_tables(cursor))
            if why:
                raise KeepIt(why)
    except KeepIt as exc:
        return str(exc)
    except Exception as exc:  # whatever a reverse migration raises: that app stays
        return f"{type(exc).__name__} going back: {str(exc)[:100]}"
    finally:
        executor.loader.build_graph()  # the applied set, as the database now has it
    return None


def roll_back(executor: Any, rollback: Rollback, rows: dict[str, int]) -> tuple[list[str], dict]:
    """Roll each app of ours back as far as `rollback` allows; what went, what stayed and why."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(executor.connection)
    before = set(recorder.applied_migrations())
    held_back = {}
    for app in OURS:
        if app not in executor.loader.migrated_apps:
            continue
        (leaf,) = executor.loader.graph.leaf_nodes(app)
        chain = [node for node in executor.loader.graph.forwards_plan(leaf) if node[0] == app]
        refusals = []
        for target in rollback.candidates(app, chain):
            why = try_rollback(executor, target, rollback, rows)
            if why is None or why == WENT_ALREADY:
                if refusals:  # the furthest target's refusal says why it stopped here
                    held_back[app] = f"stopped at {target[1]}: {refusals[0]}"
                break
            refusals.append(why)
        else:
            if refusals:
                held_back[app] = refusals[0]
    undone = before - set(recorder.applied_migrations())
    return sorted(f"{app}.{name}" for app, name in undone), held_back


def baseline_at(revision: str) -> set[tuple[str, str]]:
    """The migrations of our apps in git revision `revision`."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", revision],
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode:
        raise SystemExit(
            f"git cannot read revision {revision!r} ({listed.stderr.strip()}); "
            "in a shallow clone, roll back by count instead: --back N"
        )
    listing = listed.stdout.split()
    found = (re.fullmatch(r"(\w+)/migrations/(\d{4}_\w+)\.py", path) for path in listing)
    return {(match[1], match[2]) for match in found if match and match[1] in OURS}


# Forward, one migration at a time ------------------------------------------------


def table_of(statement: str) -> str | None:
    """The table an ALTER TABLE or CREATE INDEX statement works on."""
    found = re.search(r'\b(?:ALTER TABLE(?: ONLY)?|INDEX .*? ON(?: ONLY)?) "?(\w+)"?', statement)
    return found.group(1) if found else None


def sql_flags(statements: list[str], existing: set[str]) -> list[str]:
    """What a migration's SQL does to tables that existed before it (new ones are empty)."""
    flags = []
    for statement in statements:
        text = " ".join(statement.split())
        if table_of(text) not in existing:
            continue
        for pattern, meaning in SQL_FLAGS.items():
            if re.search(pattern, text, re.IGNORECASE) and meaning not in flags:
                flags.append(meaning)
    return flags


def apply_one(executor: Any, migration: Any, rows: dict[str, int]) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.db.migrations.operations import RunPython, RunSQL

    loader = executor.loader
    with connection.cursor() as cursor:
        before = relations(cursor)
    existing = {name for name, (kind, _node) in before.items() if kind != "i"}
    flags = sql_flags(loader.collect_sql([(migration, False)]), existing)
    code = database_operations(migration.operations)
    if any(isinstance(op, RunPython) for op in code):
        flags.append("runs Python (RunPython)")
    if any(isinstance(op, RunSQL) for op in code):
        flags.append("runs SQL of its own (RunSQL)")
    state = loader.project_state((migration.app_label, migration.name), at_end=False)
    started = time.monotonic()
    locks: dict[str, str] | None = None
    if migration.atomic:
        with transaction.atomic():
            executor.apply_migration(state, migration)
            with connection.cursor() as cursor:
                locks = held_locks(cursor)
    else:  # its statements commit one by one: no lock of ours outlives one of them
        executor.apply_migration(state, migration)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        after = relations(cursor)
    rewritten = sorted(
        name for name in existing if name in after and after[name][1] != before[name][1]
    )
    blocking = {
        name: mode
        for name, mode in (locks or {}).items()
        if name in existing and mode in BLOCKS_ALL | BLOCKS_WRITES
    }
    return {
        "migration": f"{migration.app_label}.{migration.name}",
        "seconds": round(seconds, 3),
        "blocks_reads_and_writes": {
            n: rows.get(n, 0) for n, m in blocking.items() if m in BLOCKS_ALL
        },
        "blocks_writes": {n: rows.get(n, 0) for n, m in blocking.items() if m in BLOCKS_WRITES},
        "rewrites": {name: rows.get(name, 0) for name in rewritten},
        "new_indexes": sorted(
            n for n, (kind, _) in after.items() if kind == "i" and n not in before
        ),
        "sql": flags,
        "locks_measured": locks is not None,
    }


# Report ---------------------------------------------------------------------------


def describe(tables: dict[str, int]) -> str:
    return ", ".join(f"{name} ({rows:,} rows)" for name, rows in tables.items()) or "-"


def print_report(steps: list[dict[str, Any]]) -> None:
    print(f"\n{'migration':<58} {'seconds':>8}  what it held / did")
    for step in steps:
        print(f"{step['migration']:<58} {step['seconds']:>8.3f}")
        if step["blocks_reads_and_writes"]:
            print(f"{'':<69}ACCESS EXCLUSIVE: {describe(step['blocks_reads_and_writes'])}")
        if step["blocks_writes"]:
            print(f"{'':<69}blocks writes: {describe(step['blocks_writes'])}")
        if step["rewrites"]:
            print(f"{'':<69}REWRITES: {describe(step['rewrites'])}")
        for flag in step["sql"]:
            print(f"{'':<69}{flag}")
        if not step["locks_measured"]:
            print(f"{'':<69}non-atomic: locks not measured")


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    env = app_env(db_url(args.database), f"/tmp/{args.database}-static", new_secret())
    log(f"database {args.database}: migrate and seed {args.accounts} accounts")
    recreate_db(args.database)
    migrate(env)
    run_py(["bench/seed.py", "--accounts", str(args.accounts)], env)
    seeded_at = time.monotonic()

    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    with connection.cursor() as cursor:
        seeded = table_rows(cursor)
    executor = MigrationExecutor(connection)
    back_started = time.monotonic()
    OURS[:] = our_apps()
    baseline = baseline_at(args.since) if args.since else None
    undone, held_back = roll_back(executor, Rollback(args.back, baseline), seeded)
    back_seconds = time.monotonic() - back_started
    log(f"rolled back {len(undone)} migrations in {back_seconds:.1f} s")
    for app, why in sorted(held_back.items()):
        log(f"  {app}: {why}")

    executor.loader.build_graph()
    with connection.cursor() as cursor:
        rows = table_rows(cursor)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    forward_started = time.monotonic()
    steps = [apply_one(executor, migration, rows) for migration, _backwards in plan]
    forward_seconds = time.monotonic() - forward_started
    executor.loader.build_graph()
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        final = table_rows(cursor)
    changed = {
        name: {"seeded": seeded.get(name), "after": final.get(name)}
        for name in sorted(seeded.keys() | final.keys())
        if seeded.get(name) != final.get(name)
    }
    connection.close()

    print_report(steps)
    report = {
        "accounts": args.accounts,
        "back": None if args.since else args.back,
        "since": args.since,
        "rows": sum(seeded.values()),
        "seed_seconds": round(seeded_at - started, 1),
        "rollback_seconds": round(back_seconds, 1),
        "forward_seconds": round(forward_seconds, 1),
        "rolled_back": undone,
        "held_back": held_back,
        "steps": steps,
        "row_counts_changed": changed,
        "pending_after": [f"{m.app_label}.{m.name}" for m, _ in pending],
    }
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n")
    print(
        f"\n{len(steps)} migrations forward in {forward_seconds:.1f} s on {sum(seeded.values()):,} "
        f"rows; rewrote: {sorted({t for s in steps for t in s['rewrites']}) or 'nothing'}"
    )
    for name, counts in changed.items():
        print(f"row count changed by the round trip: {name} {counts}")
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    log(f"report: {args.out} ({time.monotonic() - started:.0f} s in all)")
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main())
