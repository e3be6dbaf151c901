"""A key account from its JSON export (workspace.exports.account), as a new account here.

The way in that matches the way out: a manager uploads an account's export
(or staff run `manage.py import_account`), sees what it brings and what
stands in its way, and confirms. Everything the export holds is written as
new records, in one transaction, or nothing: the team with its roles, the
contacts with their org tree and profiles, plans, RACI, touchpoints,
relationships, meetings, coaching, documents, comments.

The colleagues it names must be here by user name, the staff-kept list
entries (team roles, stages, ...) by their key. The account keeps its
address unless another account has it. Not brought in: the history's text
(each record's history starts with this import, by the importing person; the
export file keeps the earlier one) and, from a browser upload, the files of
file documents (a JSON file holds no files: `import_account --files` does).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import KeyAccount
from accounts.slugs import free_slug
from core.params import ID_DIGITS, int_param
from documents.models import Document
from users.models import User
from workspace.exports.account import (
    CATALOGUE_KEYS,
    FORMAT,
    FORMAT_VERSION,
    HISTORY,
    REFERENCES,
    SECTIONS,
    Section,
)
from workspace.moving_in.rows import Problem, RowWriter

USERNAME_CHUNK = 1000  # user names looked up at a time
# Entries of one staff-kept list an export may name: the lists hold dozens; the
# bound keeps a forged file's lookups within what every database binds at once.
MAX_REFERENCES = 5000


class ExportUnreadable(Exception):
    """The file is no account export this installation can read; the message says why."""


@dataclass
class AccountImport:
    """What an import did, or would do: the rows per section, the problems, the notes."""

    name: str = ""
    slug: str = ""
    account: KeyAccount | None = None  # once written
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)
    missing_users: dict[str, int] = field(default_factory=dict)  # user name: rows naming it
    ids: dict[type[models.Model], dict[int, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def read_export(raw: bytes) -> dict[str, Any]:
    """The export's JSON, checked for its shape; ExportUnreadable says what is wrong."""
    if len(raw) > settings.IMPORT_MAX_BYTES:
        raise ExportUnreadable(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_MB}
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ExportUnreadable(
            _("This is not a JSON file. Upload the .json file of a key account's export.")
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportUnreadable(
            _(
                "This file is not a key account export of kamteam. Upload the .json file "
                "that the account's Export page gives."
            )
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ExportUnreadable(
            _(
                "This export has format version %(found)s; this installation reads version "
                "%(version)s. Export the account again from an up-to-date kamteam."
            )
            % {"found": data.get("format_version"), "version": FORMAT_VERSION}
        )
    sections = data.get("sections")
    if not isinstance(sections, dict) or not all(isinstance(r, list) for r in sections.values()):
        raise ExportUnreadable(_("The export's sections are damaged: each must be a list."))
    references = data.get(REFERENCES, {})
    if not isinstance(references, dict) or not all(
        isinstance(entries, dict) and len(entries) <= MAX_REFERENCES
        for entries in references.values()
    ):
        raise ExportUnreadable(_("The export's references are damaged."))
    account = sections.get("account")
    if not account or len(account) != 1 or not isinstance(account[0], dict):
        raise ExportUnreadable(_("The export must hold exactly one key account."))
    rows = sum(len(r) for r in sections.values())
    if rows > settings.IMPORT_ACCOUNT_MAX_ROWS:
        raise ExportUnreadable(
            _("The export has %(rows)s rows; one import takes at most %(max)s.")
            % {"rows": rows, "max": settings.IMPORT_ACCOUNT_MAX_ROWS}
        )
    return data


def ordered_sections() -> list[Section]:
    """SECTIONS with every section after the sections its rows point to."""
    models_in = {s.model: s for s in SECTIONS}
    done: list[Section] = []
    waiting = list(SECTIONS)
    while waiting:
        ready = [
            s
            for s in waiting
            if all(
                models_in.get(t) in done or t is s.model or t not in models_in
                for t in _targets(s.model)
            )
        ]
        if not ready:
            raise RuntimeError(f"The sections point at each other: {[s.name for s in waiting]}")
        done.extend(ready)
        waiting = [s for s in waiting if s not in ready]
    return done


def _targets(model: type[models.Model]) -> set[type[models.Model]]:
    return {f.related_model for f in model._meta.concrete_fields if f.is_relation}


class _Rollback(Exception):
    """Ends the transaction of a preview, or of an import with problems."""


def import_account(
    data: dict[str, Any], *, by: User | None, commit: bool, files: Path | None = None
) -> AccountImport:
    """Writes the export as a new account when `commit` and nothing is in the way;
    else writes nothing and says what it would do."""
    sections: dict[str, list[Any]] = data["sections"]
    result = AccountImport()
    catalogue_ids = _catalogue_ids(data.get(REFERENCES, {}), result)
    writer = RowWriter(by=by, users=_users(sections), catalogue_ids=catalogue_ids, files=files)
    fixed = _account_address(sections["account"][0], result)
    left_out = _left_out_documents(sections, files, writer, result)
    try:
        with transaction.atomic():
            for section in ordered_sections():
                rows = [r for r in sections.get(section.name, []) if id(r) not in left_out]
                rows = _of_the_account(section, rows, writer)
                writer.write_section(section, rows, fixed if section.name == "account" else None)
            writer.finish()
            if writer.problem_count or result.problem_count or not commit:
                raise _Rollback
    except _Rollback:
        writer.forget_files()
    except DatabaseError as error:
        writer.forget_files()
        writer.problem(*writer.at, "", str(error).strip().splitlines()[0])
    _report(result, writer, sections, commit)
    return result


def _report(
    result: AccountImport, writer: RowWriter, sections: dict[str, list[Any]], commit: bool
) -> None:
    result.counts = {s.name: len(writer.written.get(s.name, [])) for s in SECTIONS}
    result.problems = [*result.problems, *writer.problems]
    result.problem_count += writer.problem_count
    result.missing_users = dict(sorted(writer.missing_users.items()))
    if HISTORY in sections:
        result.notes.append(
            _(
                "The history is not imported: each record's history starts with this import. "
                "Keep the export file for the earlier history."
            )
        )
    unknown = sorted(set(sections) - {s.name for s in SECTIONS} - {HISTORY})
    if unknown:
        result.notes.append(
            _("Ignored, not part of an account: %(names)s.") % {"names": ", ".join(unknown)}
        )
    if commit and result.ok:
        result.account = writer.written["account"][0]  # type: ignore[assignment]
        result.ids = writer.ids


def _of_the_account(section: Section, rows: list[Any], writer: RowWriter) -> list[Any]:
    """The rows that hang on a record of this export, as the section's path says; a
    row that does not (a contact's profile naming no contact) is refused, so that an
    edited file cannot write beside the account (a colleague's own profile)."""
    if section.path == "pk":
        return rows
    link = section.model._meta.get_field(section.path.split("__")[0])
    column = link.attname  # type: ignore[union-attr]
    kept = []
    for number, row in enumerate(rows, start=1):
        if isinstance(row, dict) and row.get(column) is None:
            message = _("This row belongs to no record of the account: %(column)s is empty.")
            writer.problem(section.name, number, column, message % {"column": column})
        else:
            kept.append(row)
    return kept


def _account_address(row: dict[str, Any], result: AccountImport) -> dict[str, Any]:
    """The account keeps its address unless another account here has it."""
    name = row.get("name") if isinstance(row.get("name"), str) else ""
    slug = row.get("slug") if isinstance(row.get("slug"), str) else ""
    result.name = name
    if slug and not KeyAccount.objects.filter(slug=slug).exists():
        result.slug = slug
        return {}
    result.slug = free_slug(name or slug)
    if slug:
        result.notes.append(
            _("Another key account here has the address “%(old)s”: this one gets “%(new)s”.")
            % {"old": slug, "new": result.slug}
        )
    return {"slug": result.slug}


def _left_out_documents(
    sections: dict[str, list[Any]], files: Path | None, writer: RowWriter, result: AccountImport
) -> set[int]:
    """Without the export's files: the file documents stay out (links come in)."""
    if files is not None:
        return set()
    kinds = [
        r
        for r in sections.get("documents", [])
        if isinstance(r, dict) and r.get("kind") == Document.Kind.FILE
    ]
    writer.skipped.setdefault(Document, set()).update(r.get("id") for r in kinds)
    if kinds:
        result.notes.append(
            ngettext(
                "%(n)s file document is not imported: an export's JSON holds no files. "
                "Staff can bring it with the files: manage.py import_account --files.",
                "%(n)s file documents are not imported: an export's JSON holds no files. "
                "Staff can bring them with the files: manage.py import_account --files.",
                len(kinds),
            )
            % {"n": len(kinds)}
        )
    return {id(r) for r in kinds}


def _catalogue_ids(
    references: dict[str, Any], result: AccountImport
) -> dict[type[models.Model], dict[int, int]]:
    """{list model: {exported id: id here}}, found by each entry's key."""
    by_label = {m._meta.label_lower: m for m in CATALOGUE_KEYS}
    found: dict[type[models.Model], dict[int, int]] = {}
    for label, entries in references.items():
        model = by_label.get(label)
        if model is None or not isinstance(entries, dict):
            result.problems.append(
                Problem(REFERENCES, None, str(label)[:80], _("Not a list this installation keeps."))
            )
            result.problem_count += 1
            continue
        key = CATALOGUE_KEYS[model]
        keys = {
            old_id: v
            for k, v in entries.items()
            if (old_id := int_param(str(k), max_digits=ID_DIGITS)) is not None
            and isinstance(v, str)
        }
        here = dict(
            model._default_manager.filter(**{f"{key}__in": set(keys.values())}).values_list(
                key, "pk"
            )
        )
        found[model] = {old: here[k] for old, k in keys.items() if k in here}
        for k in sorted(set(keys.values()) - set(here)):
            result.problems.append(
                Problem(
                    REFERENCES,
                    None,
                    str(model._meta.verbose_name),
                    _("“%(key)s” is not in this installation: staff add it in the admin first.")
                    % {"key": k},
                )
            )
            result.problem_count += 1
    return found


def _users(sections: dict[str, list[Any]]) -> dict[str, User]:
    """The colleagues the rows name, by user name."""
    names: set[str] = set()
    for section in SECTIONS:
        columns = [
            f.name
            for f in [*section.model._meta.concrete_fields, *section.model._meta.many_to_many]
            if f.is_relation and f.related_model is User
        ]
        for row in sections.get(section.name, []):
            if isinstance(row, dict):
                names.update(_names(row.get(c) for c in columns))
    ordered = sorted(names)
    users: dict[str, User] = {}
    for start in range(0, len(ordered), USERNAME_CHUNK):
        chunk = ordered[start : start + USERNAME_CHUNK]
        users.update((u.username, u) for u in User.objects.filter(username__in=chunk))
    return users


def _names(values: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    for value in values:
        if isinstance(value, str):
            names.add(value)
        elif isinstance(value, list):
            names.update(v for v in value if isinstance(v, str))
    return names
