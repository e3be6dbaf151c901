"""Import a spreadsheet from a shell: `manage.py import_data KIND FILE --account SLUG`,
KIND being contacts, team or revenue; `import_data accounts FILE` brings key accounts
(no --account: the file creates them).

Prints the same preview as the browser; with --dry-run nothing is written,
otherwise the rows are imported in one transaction, all or none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import KeyAccount
from imports import key_accounts, services
from imports.base import Preview
from imports.models import ImportBatch
from imports.readers import FileRefused, read_table
from users.models import User


class Command(BaseCommand):
    help = (
        "Import customer contacts, team seats or revenue actuals into an account, or key "
        "accounts, from an .xlsx or .csv file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportBatch.Kind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--account", help="the account's slug (not for accounts)")
        parser.add_argument("--dry-run", action="store_true", help="show the preview only")
        parser.add_argument(
            "--user", help="the user name the history names for the changes (default: none)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        accounts_file = options["kind"] == ImportBatch.Kind.ACCOUNTS
        if accounts_file and options["account"]:
            raise CommandError("A file of key accounts goes into no account: drop --account.")
        if not accounts_file and not options["account"]:
            raise CommandError("--account SLUG is required for this kind.")
        account = None
        if not accounts_file:
            try:
                account = KeyAccount.objects.get(slug=options["account"])
            except KeyAccount.DoesNotExist:
                raise CommandError(f"No account {options['account']!r}.") from None
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{path} is larger than IMPORT_MAX_MB ({settings.IMPORT_MAX_MB} MB)."
            )
        try:
            table = read_table(path.name, path.read_bytes())
        except FileRefused as refused:
            raise CommandError(str(refused)) from None
        with transaction.atomic():
            if account is None:
                # From a shell every account may change (IT's own import); the history
                # names --user.
                result = key_accounts.preview(table, None)
                if result.ok and not options["dry_run"]:
                    key_accounts.apply(result, actor)
            else:
                result = services.import_rows(
                    account, table, actor, kind=options["kind"], write=not options["dry_run"]
                )
        self._print(result)
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problems: nothing imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing imported.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    def _print(self, result: Preview) -> None:
        counts = result.counts
        self.stdout.write(
            f"{len(result.rows)} rows: {counts['create']} new, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged."
        )
        if result.ignored:
            self.stdout.write("Columns ignored: " + ", ".join(result.ignored))
        for row in result.rows:
            if row.action == "update":
                self.stdout.write(
                    f"  row {row.number}: update {row.name}: {', '.join(row.changes)}"
                )
        for problem in result.problems:
            where = f"row {problem.row}" if problem.row else "file"
            self.stdout.write(self.style.ERROR(f"  {where}, {problem.column}: {problem.message}"))
