"""One migration forward at a time: the locks it held, the tables it rewrote, its risky SQL.

For bench/migrate_populated.py, with Django set up on the seeded database.
"""

from __future__ import annotations

import re
import time
from typing import Any

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


def database_operations(operations: list[Any]) -> list[Any]:
    from django.db.migrations.operations import SeparateDatabaseAndState

    found = []
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            found += database_operations(operation.database_operations)
        else:
            found.append(operation)
    return found


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
