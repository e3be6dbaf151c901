"""Which migrations go back: each app of ours as far as it can, each attempt in a transaction.

For bench/migrate_populated.py, with Django set up on the seeded database:
by the last N migrations per app, or to the migrations of a git revision.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT

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
