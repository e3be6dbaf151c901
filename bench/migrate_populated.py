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

The parts: bench/migration_rollback.py (step 2) and bench/migration_locks.py
(step 3); this file seeds, times the round trip and reports.
"""

from __future__ import annotations

import argparse
import json
import os
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
from bench.migration_locks import apply_one
from bench.migration_rollback import OURS, Rollback, baseline_at, our_apps, roll_back


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


@dataclass
class RoundTrip:
    """What one run measured: the seeded rows, what went back, the steps forward."""

    seeded: dict[str, int]
    undone: list[str]
    held_back: dict[str, str]
    back_seconds: float
    steps: list[dict[str, Any]]
    forward_seconds: float
    pending: list[str]  # migrations still unapplied after the forward run
    final: dict[str, int]

    def row_counts_changed(self) -> dict[str, dict[str, int | None]]:
        return {
            name: {"seeded": self.seeded.get(name), "after": self.final.get(name)}
            for name in sorted(self.seeded.keys() | self.final.keys())
            if self.seeded.get(name) != self.final.get(name)
        }


def seed(args: argparse.Namespace) -> dict[str, str]:
    """The database made anew, migrated and seeded; the app's environment for it."""
    env = app_env(db_url(args.database), f"/tmp/{args.database}-static", new_secret())
    log(f"database {args.database}: migrate and seed {args.accounts} accounts")
    recreate_db(args.database)
    migrate(env)
    run_py(["bench/seed.py", "--accounts", str(args.accounts)], env)
    return env


def go_back(
    executor: Any, args: argparse.Namespace, seeded: dict[str, int]
) -> tuple[list[str], dict[str, str], float]:
    """Roll our apps back as far as --back/--since allow: what went, what stayed, seconds."""
    back_started = time.monotonic()
    OURS[:] = our_apps()
    baseline = baseline_at(args.since) if args.since else None
    undone, held_back = roll_back(executor, Rollback(args.back, baseline), seeded)
    back_seconds = time.monotonic() - back_started
    log(f"rolled back {len(undone)} migrations in {back_seconds:.1f} s")
    for app, why in sorted(held_back.items()):
        log(f"  {app}: {why}")
    return undone, held_back, back_seconds


def go_forward(executor: Any) -> tuple[list[dict[str, Any]], float, list[str]]:
    """Every pending migration, one at a time: the steps, their seconds, what stays pending."""
    from django.db import connection

    executor.loader.build_graph()
    with connection.cursor() as cursor:
        rows = table_rows(cursor)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    forward_started = time.monotonic()
    steps = [apply_one(executor, migration, rows) for migration, _backwards in plan]
    forward_seconds = time.monotonic() - forward_started
    executor.loader.build_graph()
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return steps, forward_seconds, [f"{m.app_label}.{m.name}" for m, _ in pending]


def round_trip(args: argparse.Namespace) -> RoundTrip:
    """Back and forward again on the seeded database (DATABASE_URL of the environment)."""
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    with connection.cursor() as cursor:
        seeded = table_rows(cursor)
    executor = MigrationExecutor(connection)
    undone, held_back, back_seconds = go_back(executor, args, seeded)
    steps, forward_seconds, pending = go_forward(executor)
    with connection.cursor() as cursor:
        final = table_rows(cursor)
    connection.close()
    return RoundTrip(
        seeded, undone, held_back, back_seconds, steps, forward_seconds, pending, final
    )


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


def report(args: argparse.Namespace, trip: RoundTrip, seed_seconds: float) -> dict[str, Any]:
    """bench/migrate-report.json."""
    return {
        "accounts": args.accounts,
        "back": None if args.since else args.back,
        "since": args.since,
        "rows": sum(trip.seeded.values()),
        "seed_seconds": round(seed_seconds, 1),
        "rollback_seconds": round(trip.back_seconds, 1),
        "forward_seconds": round(trip.forward_seconds, 1),
        "rolled_back": trip.undone,
        "held_back": trip.held_back,
        "steps": trip.steps,
        "row_counts_changed": trip.row_counts_changed(),
        "pending_after": trip.pending,
    }


def print_summary(trip: RoundTrip) -> None:
    rewrote = sorted({table for step in trip.steps for table in step["rewrites"]})
    print(
        f"\n{len(trip.steps)} migrations forward in {trip.forward_seconds:.1f} s on "
        f"{sum(trip.seeded.values()):,} rows; rewrote: {rewrote or 'nothing'}"
    )
    changed = trip.row_counts_changed()
    for name, counts in changed.items():
        print(f"row count changed by the round trip: {name} {counts}")
    if changed:
        # Expected for a table that a rolled-back migration creates: the rollback drops
        # it, and the way forward makes it anew, empty or filled by a data migration.
        print("(expected for tables a rolled-back migration creates: made anew, empty or filled)")


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    env = seed(args)
    seed_seconds = time.monotonic() - started
    os.environ.update(env)
    trip = round_trip(args)
    print_report(trip.steps)
    Path(args.out).write_text(json.dumps(report(args, trip, seed_seconds), indent=1) + "\n")
    print_summary(trip)
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    log(f"report: {args.out} ({time.monotonic() - started:.0f} s in all)")
    return 1 if trip.pending else 0


if __name__ == "__main__":
    sys.exit(main())
