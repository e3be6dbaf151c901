"""`manage.py import_account FILE [--files DIR] [--dry-run] [--user NAME]`: one key
account from its JSON export, as a new account (workspace.moving_in.account).

With --files, the folder export_all wrote the document files to (its files/):
file documents come along. Prints what it writes per section, the problems
and the notes; with --dry-run, or with any problem, nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from users.models import User
from workspace.moving_in.account import AccountImport, ExportUnreadable, import_account, read_export


class Command(BaseCommand):
    help = "Import one key account from its JSON export as a new account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the account's .json export")
        parser.add_argument(
            "--files", type=Path, help="the export's files folder (export_all's files/)"
        )
        parser.add_argument("--dry-run", action="store_true", help="show what it would write only")
        parser.add_argument("--user", help="the user name the history names (default: none)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        files = Path(options["files"]) if options["files"] else None
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if files is not None and not files.is_dir():
            raise CommandError(f"No folder {files}.")
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            data = read_export(path.read_bytes())
        except ExportUnreadable as refused:
            raise CommandError(str(refused)) from None
        result = import_account(data, by=by, commit=not options["dry_run"], files=files)
        self._print(result)
        if not result.ok:
            raise CommandError(f"{result.problem_count} problems: nothing imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing imported.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported as /accounts/{result.slug}/."))

    def _print(self, result: AccountImport) -> None:
        self.stdout.write(f"{result.name} ({result.slug}): {result.total} rows")
        for section, count in result.counts.items():
            if count:
                self.stdout.write(f"  {section}: {count}")
        for name, rows in result.missing_users.items():
            self.stdout.write(f"Nobody here has the user name {name!r} ({rows} rows).")
        for problem in result.problems:
            self.stdout.write(f"Problem: {problem}")
        if result.problem_count > len(result.problems):
            self.stdout.write(f"... and {result.problem_count - len(result.problems)} more.")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
