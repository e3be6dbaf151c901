"""A whole installation's export (`manage.py export_all`) into an empty installation.

The way back from `export_all`, for a company that moves its kamteam to
another server, database or version: `manage.py import_all FOLDER`. Into an
installation without key accounts only (for one account beside others:
import_account). In order:

1. the staff-kept lists: found by their key (team role code, stage name, ...)
   and set to the file's values, or added; RACI templates by name, the
   health-score weights as the one row they are;
2. the colleagues, by user name: added when missing (without a password:
   they sign in through the company's identity or are given one by staff),
   kept as they are when here; with their groups, profiles and sign-in
   identities;
3. every key account's export with its document files (workspace.moving_in.account);
4. who shares which part of their profile with which team.

All in one transaction: a problem anywhere writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from accounts.models import KeyAccount
from core.params import ID_DIGITS, int_param
from portfolio.models import HealthWeights
from raci.models import RaciTemplate
from users.models import User
from workspace.exports.account import CATALOGUE_KEYS, FORMAT_VERSION, REFERENCES, Section
from workspace.exports.installation import CATALOGUES, PEOPLE
from workspace.moving_in.account import ExportUnreadable, import_account, read_export
from workspace.moving_in.rows import Problem, RowWriter

FORMAT = "kamteam-installation-export"
SHARES = "profile_shares"


@dataclass
class InstallationImport:
    """What import_all did or would do."""

    accounts: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    pass


def read_folder_file(path: Path) -> dict[str, Any]:
    """people.json or catalogues.json of an export_all folder, checked for its shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ExportUnreadable(
            _("%(file)s cannot be read: %(error)s") % {"file": path, "error": error}
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportUnreadable(_("%(file)s is not part of an export_all folder.") % {"file": path})
    if data.get("format_version") != FORMAT_VERSION:
        raise ExportUnreadable(
            _("%(file)s has format version %(found)s; this installation reads version %(version)s.")
            % {"file": path, "found": data.get("format_version"), "version": FORMAT_VERSION}
        )
    sections = data.get("sections")
    if not isinstance(sections, dict) or not all(isinstance(r, list) for r in sections.values()):
        raise ExportUnreadable(_("%(file)s: the sections are damaged.") % {"file": path})
    return data


def import_installation(folder: Path, *, commit: bool) -> InstallationImport:
    """Reads the folder that export_all wrote; writes it all when `commit` and nothing
    is in the way. ExportUnreadable for a folder that is none."""
    if KeyAccount.objects.exists():
        raise ExportUnreadable(
            _(
                "This installation has key accounts already: import_all only fills an empty "
                "one. Bring single accounts with import_account."
            )
        )
    catalogues = read_folder_file(folder / "catalogues.json")["sections"]
    people = read_folder_file(folder / "people.json")
    exports = [
        (p.stem, read_export(p.read_bytes())) for p in sorted((folder / "accounts").glob("*.json"))
    ]
    result = InstallationImport()
    try:
        with transaction.atomic():
            ids = _lists(catalogues, result)
            ids[Group] = _groups(people.get(REFERENCES, {}).get("auth.group", {}))
            writer = _people(people["sections"], ids, result)
            accounts: dict[int, int] = {}
            for name, data in exports:
                _account(name, data, folder, accounts, result)
            writer.ids[KeyAccount] = accounts
            writer.write_section(
                Section(SHARES, _model(SHARES), ""), people["sections"].get(SHARES, [])
            )
            writer.finish()
            _collect(writer, result)
            if result.problems or not commit:
                raise _Rollback
    except _Rollback:
        pass
    except DatabaseError as error:
        result.problems.append(Problem(_("database"), None, "", str(error).strip().splitlines()[0]))
    return result


def _model(name: str) -> type[models.Model]:
    return next(s.model for s in (*PEOPLE, *CATALOGUES) if s.name == name)


def _collect(writer: RowWriter, result: InstallationImport) -> None:
    for name, rows in writer.written.items():
        result.counts[name] = result.counts.get(name, 0) + len(rows)
    result.problems.extend(writer.problems)
    for name in writer.missing_users:
        result.problems.append(
            Problem("users", None, "", _("Nobody has the user name “%(name)s”.") % {"name": name})
        )


def _account(
    name: str, data: dict[str, Any], folder: Path, ids: dict[int, int], result: InstallationImport
) -> None:
    done = import_account(data, by=None, commit=True, files=folder / "files")
    result.problems.extend(
        Problem(f"{name}: {p.section}", p.row, p.column, p.message) for p in done.problems
    )
    result.problems.extend(
        Problem(name, None, "", _("Nobody has the user name “%(name)s”.") % {"name": user})
        for user in done.missing_users
    )
    if done.account is not None:
        result.accounts.append(done.account.slug)
        ids.update(done.ids.get(KeyAccount, {}))
        for section, count in done.counts.items():
            result.counts[section] = result.counts.get(section, 0) + count


def _lists(
    sections: dict[str, list[Any]], result: InstallationImport
) -> dict[type[models.Model], dict[int, int]]:
    """The keyed lists set to the file's values; {list: {exported id: id here}}."""
    ids: dict[type[models.Model], dict[int, int]] = {}
    for section in CATALOGUES:
        if section.model in CATALOGUE_KEYS:
            ids[section.model] = _keyed(section, sections.get(section.name, []), result)
    writer = RowWriter(by=None, users={}, catalogue_ids=ids)
    templates = sections.get("raci_templates", [])
    here = set(RaciTemplate.objects.values_list("name", flat=True))
    writer.skipped[RaciTemplate] = {
        r.get("id") for r in templates if isinstance(r, dict) and r.get("name") in here
    }
    for section in CATALOGUES:
        if section.model not in CATALOGUE_KEYS and section.model is not HealthWeights:
            rows = [
                r
                for r in sections.get(section.name, [])
                if not (
                    isinstance(r, dict) and r.get("id") in writer.skipped.get(section.model, ())
                )
            ]
            writer.write_section(section, rows)
    _weights(sections.get("health_weights", []), result)
    writer.finish()
    _collect(writer, result)
    return ids


def _keyed(section: Section, rows: list[Any], result: InstallationImport) -> dict[int, int]:
    key = CATALOGUE_KEYS[section.model]
    ids: dict[int, int] = {}
    for number, row in enumerate(rows, start=1):
        if (
            not isinstance(row, dict)
            or type(row.get("id")) is not int
            or not isinstance(row.get(key), str)
        ):
            result.problems.append(
                Problem(
                    section.name,
                    number,
                    key,
                    _("Each row needs an id and a %(key)s.") % {"key": key},
                )
            )
            continue
        obj = section.model._default_manager.filter(**{key: row[key]}).first() or section.model()
        try:
            for f in section.model._meta.concrete_fields:
                if not f.primary_key and not f.is_relation and f.name in row:
                    setattr(obj, f.attname, f.to_python(row[f.name]))
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            result.problems.append(Problem(section.name, number, "", " ".join(error.messages)))
            continue
        obj.save()
        ids[row["id"]] = obj.pk
        result.counts[section.name] = result.counts.get(section.name, 0) + 1
    return ids


def _weights(rows: list[Any], result: InstallationImport) -> None:
    """The health score's weights: the one row, as exported (none: the defaults)."""
    for row in rows[:1]:
        if not isinstance(row, dict):
            continue
        values = {
            f.name: row[f.name]
            for f in HealthWeights._meta.concrete_fields
            if not f.primary_key and f.name in row
        }
        weights = HealthWeights.objects.filter(
            pk=HealthWeights.SINGLETON_ID
        ).first() or HealthWeights(pk=HealthWeights.SINGLETON_ID)
        try:
            for name, value in values.items():
                setattr(weights, name, HealthWeights._meta.get_field(name).to_python(value))
            weights.full_clean()
        except ValidationError as error:
            result.problems.append(Problem("health_weights", 1, "", " ".join(error.messages)))
            continue
        weights.save()


def _groups(names: Any) -> dict[int, int]:
    """{exported group id: id here}: a group is found by its name or added."""
    if not isinstance(names, dict):
        return {}
    return {
        old_id: Group.objects.get_or_create(name=name[:150])[0].pk
        for old, name in names.items()
        if (old_id := int_param(str(old), max_digits=ID_DIGITS)) is not None
        and isinstance(name, str)
    }


def _people(
    sections: dict[str, list[Any]],
    ids: dict[type[models.Model], dict[int, int]],
    result: InstallationImport,
) -> RowWriter:
    """The colleagues not here yet, then their profiles, motives and identities."""
    here = set(User.objects.values_list("username", flat=True))
    rows = [
        r
        for r in sections.get("users", [])
        if not (isinstance(r, dict) and r.get("username") in here)
    ]
    for row in rows:
        if isinstance(row, dict) and row.pop("user_permissions", None):
            result.notes.append(
                _("%(name)s: permissions given one by one are not imported; staff give them again.")
                % {"name": row.get("username")}
            )
    writer = RowWriter(by=None, users={}, catalogue_ids=ids)
    writer.write_section(Section("users", User, ""), rows, {"password": make_password(None)})
    writer.users = {u.username: u for u in User.objects.all()}
    kept = {u.pk for u in writer.users.values() if u.username in here}
    for section in PEOPLE[1:]:
        if section.name == SHARES:
            continue  # after the accounts they name
        theirs = [r for r in sections.get(section.name, []) if _of_kept(r, writer, kept)]
        writer.skipped.setdefault(section.model, set()).update(r.get("id") for r in theirs)
        mine = [r for r in sections.get(section.name, []) if not any(r is t for t in theirs)]
        writer.write_section(section, mine)
    return writer


def _of_kept(row: Any, writer: RowWriter, kept: set[int]) -> bool:
    """A row of a colleague who was here already: theirs stays as it is here."""
    if not isinstance(row, dict) or not isinstance(row.get("user"), str):
        return False
    user = writer.users.get(row["user"])
    return user is not None and user.pk in kept
