"""`manage.py import_all FOLDER [--dry-run]`: what `export_all` wrote, into an empty
installation (workspace.moving_in.installation): the lists, the colleagues,
every key account with its document files, the profile shares.

All in one transaction; with --dry-run, or with any problem, nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workspace.moving_in.account import ExportUnreadable
from workspace.moving_in.installation import import_installation


class Command(BaseCommand):
    help = "Import a whole installation's export (export_all) into this empty installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the folder export_all wrote")
        parser.add_argument("--dry-run", action="store_true", help="show what it would write only")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not (folder / "people.json").is_file():
            raise CommandError(f"{folder} is no export_all folder (it has no people.json).")
        try:
            result = import_installation(folder, commit=not options["dry_run"])
        except ExportUnreadable as refused:
            raise CommandError(str(refused)) from None
        for section, count in sorted(result.counts.items()):
            self.stdout.write(f"  {section}: {count}")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        for problem in result.problems:
            self.stdout.write(f"Problem: {problem}")
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problems: nothing imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing imported.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {len(result.accounts)} key accounts."))
