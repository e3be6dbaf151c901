"""Moving in: a key account from its export (import_account), a whole installation
(import_all) into an empty one, and the round trip that proves nothing is lost."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import CustomerContact, KeyAccount
from documents.models import DocumentCategory, DocumentFile
from profiles.models import Profile
from tests.factories import ContactFactory
from tests.fixtures import World
from users.models import User
from workspace.exports.account import account_export
from workspace.exports.common import json_text
from workspace.moving_in.account import ExportUnreadable, import_account, read_export
from workspace.tests.exports_compared import files_match, normal_account, normal_installation

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_export(tmp_path: Path, settings: Any) -> Path:
    """The demo installation, exported by export_all into a folder (with its files)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("demo", password="demo-pass-42", stdout=io.StringIO())
    folder = tmp_path / "export"
    call_command("export_all", str(folder), stdout=io.StringIO())
    return folder


def _export(slug: str) -> dict[str, Any]:
    return json.loads(json_text(account_export(KeyAccount.objects.get(slug=slug), None)))


def test_an_account_imported_from_its_export_holds_the_same_data(demo_export: Path) -> None:
    before = _export("nordstern")
    manager = User.objects.get(username="manager")
    out = io.StringIO()
    call_command(
        "import_account",
        str(demo_export / "accounts" / "nordstern.json"),
        files=str(demo_export / "files"),
        user="manager",
        stdout=out,
    )
    assert "Imported as /accounts/nordstern-industrie-ag/." in out.getvalue()
    after = _export("nordstern-industrie-ag")
    old, new = normal_account(before), normal_account(after)
    assert old["account"][0].pop("slug") == "nordstern"
    assert new["account"][0].pop("slug") == "nordstern-industrie-ag"
    assert all(old[name] for name in old if name != "plan_reviews"), (
        "the demo_export fills every section"
    )
    assert old == new
    # The files came along, each the same bytes under a name of its own.
    copies = DocumentFile.objects.filter(document__account__slug="nordstern-industrie-ag")
    assert copies.count() == len(before["sections"]["document_versions"]) == 4
    for copy_ in copies:
        with copy_.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == copy_.sha256
        assert copy_.file.name.startswith(f"{copy_.document.account_id}/")
    # Each record's history starts with the import, by the person who imported it.
    account = KeyAccount.objects.get(slug="nordstern-industrie-ag")
    assert [(h.history_type, h.history_user) for h in account.history.all()] == [("+", manager)]
    contacts = CustomerContact.history.filter(account_id=account.pk)
    assert contacts.count() == len(before["sections"]["contacts"])
    assert {h.history_user for h in contacts} == {manager}


def test_the_installation_moves_into_an_empty_one_with_the_same_data(
    demo_export: Path, tmp_path: Path
) -> None:
    """export_all → a new, migrated database → import_all → export_all: the same data."""
    with _empty_installation(tmp_path) as manage:
        manage("import_all", str(demo_export))
        manage("export_all", str(tmp_path / "again"))
    assert normal_installation(tmp_path / "again") == normal_installation(demo_export)
    assert files_match(demo_export) == files_match(tmp_path / "again") == []
    assert len(list((tmp_path / "again" / "files").rglob("*.*"))) == 4


class _empty_installation:
    """A database of its own (PostgreSQL: on the test server; SQLite: a file), migrated
    by a subprocess as IT would, and the means to run manage.py against it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.name = f"moving_in_{uuid.uuid4().hex[:12]}"
        self.postgres = connection.vendor == "postgresql"

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.postgres:
            self._sql(f'CREATE DATABASE "{self.name}"')
            db = settings.DATABASES["default"]
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.url = f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{self.name}"
        else:
            self.url = f"sqlite:///{self.tmp / 'empty.sqlite3'}"
        self("migrate")
        return self

    def __call__(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(DEBUG="1", DATABASE_URL=self.url, MEDIA_ROOT=str(self.tmp / "empty-media"))
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def __exit__(self, *exc: object) -> None:
        if self.postgres:
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @staticmethod
    def _sql(statement: str) -> None:
        db = settings.DATABASES["default"]
        params = {
            "user": db["USER"],
            "password": db.get("PASSWORD"),
            "host": db["HOST"],
            "port": db["PORT"] or 5432,
        }
        params = {k: v for k, v in params.items() if v}
        with closing(psycopg2.connect(dbname="postgres", **params)) as conn:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(statement)


def test_import_all_fills_only_an_empty_installation(world: World, demo_export: Path) -> None:
    with pytest.raises(CommandError, match="has key accounts already"):
        call_command("import_all", str(demo_export), stdout=io.StringIO())


# --- What stands in the way: said at the row and column, nothing written ----------


def _data(world: World) -> dict[str, Any]:
    return read_export(json_text(account_export(world.account, None)).encode())


def _problems(world: World, data: dict[str, Any]) -> list[str]:
    count = KeyAccount.objects.count()
    result = import_account(data, by=world.manager, commit=True)
    assert result.account is None and KeyAccount.objects.count() == count
    return [str(p) for p in result.problems]


def test_the_preview_writes_nothing_and_counts_what_the_import_brings(world: World) -> None:
    data = _data(world)
    counts = {name: len(rows) for name, rows in data["sections"].items()}
    before = {m: m.objects.count() for m in (KeyAccount, CustomerContact, User)}
    result = import_account(data, by=world.manager, commit=False)
    assert result.ok and result.account is None
    assert {m: m.objects.count() for m in before} == before
    assert result.counts["contacts"] == counts["contacts"] > 0
    assert result.counts["team"] == counts["team"] > 0
    assert result.slug != world.account.slug  # the address is taken here
    assert any(world.account.slug in note for note in result.notes)


def test_a_colleague_not_here_is_named_with_the_rows_naming_them(world: World) -> None:
    data = _data(world)
    for row in data["sections"]["team"]:
        if row["user"] == world.lead.username:
            row["user"] = "nobody.here"
    result = import_account(data, by=world.manager, commit=True)
    assert result.account is None
    assert result.missing_users == {"nobody.here": 1}
    assert any(
        str(p) == "team, 1, user: Nobody here has the user name “nobody.here”."
        for p in result.problems
    )


def test_a_list_entry_not_here_stops_the_import(world: World) -> None:
    data = _data(world)
    data["references"]["accounts.teamrole"] = {
        k: "no-such-role" for k in data["references"]["accounts.teamrole"]
    }
    assert any("“no-such-role” is not in this installation" in p for p in _problems(world, data))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("email", "x" * 300, "at most 254 characters"),
        ("first_name", "Max\x00", "NUL"),
        ("influence", 10**30, "less than or equal to"),
        ("created_at", "2026-13-45", "invalid date"),
        ("attitude", "very", "must be an integer"),
        ("first_name", ["a", "list"], "not a list"),
        ("reports_to_id", 999_999_999, "No row of the export has the id 999999999"),
        ("account_id", "one", "whole number"),
    ],
)
def test_a_bad_value_is_named_at_its_row_and_column(
    world: World, column: str, value: object, message: str
) -> None:
    data = _data(world)
    data["sections"]["contacts"][0][column] = value
    problems = _problems(world, data)
    assert any(p.startswith("contacts, 1, ") and message in p for p in problems), problems


def test_rows_without_an_id_of_their_own_are_refused(world: World) -> None:
    data = _data(world)
    ContactFactory(account=world.account)
    data["sections"]["contacts"].append(copy.deepcopy(data["sections"]["contacts"][0]))
    data["sections"]["revenue_actuals"] = [
        {"id": True, "account_id": world.account.pk, "year": 2026, "amount": "1"}
    ]
    problems = _problems(world, data)
    twin = len(data["sections"]["contacts"])
    assert f"contacts, {twin}, id: Each row needs an id of its own." in problems
    assert "revenue_actuals, 1, id: Each row needs an id of its own." in problems


def test_the_rows_hanging_on_a_refused_row_do_not_repeat_its_problem(world: World) -> None:
    data = _data(world)
    data["sections"]["team"][0]["team"] = "nowhere"
    problems = _problems(world, data)
    assert problems == ["team, 1, team: Value 'nowhere' is not a valid choice."]


def test_a_manager_named_further_down_is_linked_once_written(world: World) -> None:
    data = _data(world)
    boss = ContactFactory(account=world.account, last_name="Later")
    data = _data(world)
    rows = data["sections"]["contacts"]
    rows[0]["reports_to_id"] = boss.pk  # the last row: written after the first
    result = import_account(data, by=world.manager, commit=True)
    assert result.ok, result.problems
    first, last = (
        CustomerContact.objects.filter(account=result.account).order_by("pk")[i] for i in (0, 1)
    )
    assert CustomerContact.objects.get(pk=first.pk).reports_to.last_name == "Later"
    assert last.reports_to is None or last.reports_to.account_id == result.account.pk


def test_a_file_name_cannot_climb_out_of_the_files_folder(
    world: World, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = _data(world)
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    category = DocumentCategory.objects.first() or DocumentCategory.objects.create(
        name_en="Contract", name_de="Vertrag"
    )
    data["references"]["documents.documentcategory"] = {"1": category.name_en}
    data["sections"]["documents"] = [
        {
            "id": 1,
            "account_id": world.account.pk,
            "kind": "file",
            "title": "Contract",
            "category_id": 1,
            "visibility": "team",
        }
    ]
    data["sections"]["document_versions"] = [
        {
            "id": 1,
            "document_id": 1,
            "number": 1,
            "file": "../secret.txt",
            "name": "x.txt",
            "size": 9,
            "content_type": "text/plain",
            "sha256": "0" * 64,
        }
    ]
    (tmp_path / "files").mkdir()
    result = import_account(data, by=world.manager, commit=True, files=tmp_path / "files")
    assert result.account is None
    assert any("../secret.txt is not in the export's files" in str(p) for p in result.problems), (
        result.problems
    )
    assert not list((tmp_path / "media").rglob("*.txt"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x89PNG not json", "not a JSON file"),
        (b"[" * 100_000 + b"]" * 100_000, "not a JSON file"),
        (b'{"format": "something else"}', "not a key account export"),
        (b'{"format": "kamteam-account-export", "format_version": 1}', "format version 1"),
        (
            b'{"format": "kamteam-account-export", "format_version": 2, "sections": {"a": 1}}',
            "sections are damaged",
        ),
        (
            b'{"format": "kamteam-account-export", "format_version": 2, "sections": {}}',
            "exactly one key account",
        ),
        (
            b'{"format": "kamteam-account-export", "format_version": 2, "sections": {}, '
            b'"references": {"accounts.teamrole": {'
            + b", ".join(b'"%d": "r%d"' % (n, n) for n in range(5001))
            + b"}}}",
            "references are damaged",
        ),
    ],
)
def test_a_file_that_is_no_export_is_refused_with_the_reason(raw: bytes, message: str) -> None:
    with pytest.raises(ExportUnreadable, match=message):
        read_export(raw)


def test_the_row_and_size_limits_hold(settings: Any) -> None:
    settings.IMPORT_ACCOUNT_MAX_ROWS = 100
    rows = [{"id": n} for n in range(101)]
    data = {
        "format": "kamteam-account-export",
        "format_version": 2,
        "sections": {"account": [{"id": 1}], "contacts": rows},
    }
    with pytest.raises(ExportUnreadable, match="102 rows; one import takes at most 100"):
        read_export(json.dumps(data).encode())
    settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_MB = 10, 0
    with pytest.raises(ExportUnreadable, match="larger than"):
        read_export(json.dumps(data).encode())


def test_import_account_command_dry_run_and_problems(world: World, tmp_path: Path) -> None:
    path = tmp_path / "nordwind.json"
    path.write_text(json_text(account_export(world.account, None)))
    out = io.StringIO()
    call_command("import_account", str(path), dry_run=True, stdout=out)
    assert "Dry run: nothing imported." in out.getvalue()
    assert KeyAccount.objects.count() == 1
    data = json.loads(path.read_text())
    data["sections"]["team"][0]["user"] = "ghost"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="problems: nothing imported"):
        call_command("import_account", str(path), stdout=out)
    assert "Nobody here has the user name 'ghost'" in out.getvalue()
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("import_account", str(path), user="nobody", stdout=out)


def test_an_edited_file_cannot_write_beside_the_account(world: World) -> None:
    """A "contact profile" naming a colleague instead of a contact would be that
    colleague's own profile, written by the importer: refused."""
    data = _data(world)
    data["sections"]["contact_profiles"] = [
        {"id": 1, "user": world.member.username, "contact_id": None, "primary_colour": "red"}
    ]
    problems = _problems(world, data)
    assert problems == [
        "contact_profiles, 1, contact_id: This row belongs to no record of the account: "
        "contact_id is empty."
    ]
    assert not Profile.objects.filter(user=world.member, primary_colour="red").exists()
