"""`manage.py export_all DIRECTORY`: the whole installation as files, for staff.

One JSON file per key account (every section, archived accounts too, and
with --xlsx a workbook beside it), people.json (the colleagues, without
password hashes, and their profiles), catalogues.json (the staff-kept
lists) and the documents' files, every version, under files/<account>/ by the
name the account export gives each version (`file`). What is left out and
why: workspace.exports.installation.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import KeyAccount
from documents.models import DocumentFile
from workspace.exports import account as account_exports
from workspace.exports import installation
from workspace.exports.common import json_text


class Command(BaseCommand):
    help = "Export every key account, the people and the staff-kept lists as JSON files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="an empty or new folder for the files")
        parser.add_argument("--xlsx", action="store_true", help="also a workbook per account")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["directory"])
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CommandError(f"{folder} is not an empty folder: choose a new or empty one.")
        (folder / "accounts").mkdir(parents=True, exist_ok=True)
        count = 0
        for account in KeyAccount.objects.order_by("slug").iterator(chunk_size=100):
            data = account_exports.account_export(account, None)
            self._write(folder / "accounts" / f"{account.slug}.json", data)
            if options["xlsx"]:
                workbook = account_exports.account_workbook(data)
                (folder / "accounts" / f"{account.slug}.xlsx").write_bytes(workbook)
            count += 1
        files = self._copy_files(folder / "files")
        self._write(folder / "people.json", installation.people_export())
        self._write(folder / "catalogues.json", installation.catalogues_export())
        self.stdout.write(
            f"{count} key accounts, {files} document files, the people and the lists "
            f"written to {folder}"
        )

    @staticmethod
    def _copy_files(folder: Path) -> int:
        """Every version of every document, streamed from the documents storage."""
        copied = 0
        for version in DocumentFile.objects.order_by("pk").iterator(chunk_size=200):
            target = folder / version.file.name  # <account id>/<random id>.<ext>
            target.parent.mkdir(parents=True, exist_ok=True)
            with version.file.open("rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            copied += 1
        return copied

    @staticmethod
    def _write(path: Path, data: dict[str, Any]) -> None:
        path.write_text(json_text(data), encoding="utf-8")
