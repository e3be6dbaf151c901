"""`migrate`, first recording the user model's move for a database made before it.

The user model moved from profiles to users with its table kept (users.0001 is
state only). In a database migrated before the move, every migration that
points at the user model is applied, and now depends on users.0001, which is
not: Django would refuse the whole history as inconsistent. users.0001 changes
nothing in the database, so recording it as applied is exactly what running
it would do. A fresh database has no profiles.0001 yet and is left alone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

BEFORE_MOVE = ("profiles", "0001_initial")
MOVE = ("users", "0001_initial")


def record_user_move(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Record users.0001 as applied where the table it describes already exists."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if BEFORE_MOVE in applied and MOVE not in applied:
        recorder.record_applied(*MOVE)
        return True
    return False


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        if record_user_move(options.get("database") or DEFAULT_DB_ALIAS) and options["verbosity"]:
            self.stdout.write("Recorded the user model's move to the users app (state only).")
        super().handle(*args, **options)
