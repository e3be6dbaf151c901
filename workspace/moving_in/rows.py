"""Rows of an export written back as records: the engine of moving in.

An export (workspace.exports) gives each record's fields as JSON: a colleague
by user name, another row of the export by its `id`, a staff-kept list entry
by its id with the entry's key in `references`. `RowWriter` writes such rows
as new records of this installation: new ids, every link read through the
ids it gave the rows before, the colleagues and list entries found by name
and key. It never changes a record that is already here.

Rows are saved as `loaddata` saves them (`save_base(raw=True)`): the
timestamps and versions stay as exported, and receivers that would derive
data (an activity from a done touchpoint) leave it to the rows that bring it.
Each record then gets one "created" entry in its history, by the importing
person (simple-history's bulk_history_create).

Every problem is collected with its section, row and column, in words; a
caller runs the writer inside a transaction and rolls back when there is any.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from imports import progress
from users.models import User
from workspace.exports.account import CATALOGUE_KEYS, Section

MAX_PROBLEMS = 200  # listed; beyond that the count only (a wrong file has one cause)


@dataclass(frozen=True)
class Problem:
    """Something that keeps a row from being written, where it is, in words."""

    section: str
    row: int | None  # counted from 1 in the section's list
    column: str
    message: str

    def __str__(self) -> str:
        where = self.section if self.row is None else f"{self.section}, {self.row}"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class _Link:
    """A reference to a row not written yet (a contact's manager further down)."""

    section: str
    row: int
    model: type[models.Model]
    pk: int
    attname: str
    target: type[models.Model]
    old: int
    obj: models.Model | None


@dataclass
class RowWriter:
    """Writes export rows as new records; `ids` maps (model, exported id) to the new id."""

    by: User | None
    users: dict[str, User]
    catalogue_ids: dict[type[models.Model], dict[int, int]]
    files: Path | None = None  # where the export's document files are, if it has them
    ids: dict[type[models.Model], dict[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    written: dict[str, list[models.Model]] = field(default_factory=dict)
    skipped: dict[type[models.Model], set[int]] = field(default_factory=dict)
    failed: dict[type[models.Model], set[int]] = field(default_factory=dict)  # rows with problems
    missing_users: dict[str, int] = field(default_factory=dict)
    stored_files: list[models.fields.files.FieldFile] = field(default_factory=list)
    _links: list[_Link] = field(default_factory=list)
    _pending: list[_Link] = field(default_factory=list)  # the current row's open links
    at: tuple[str, int] = ("", 0)  # the section and row being written
    done: int = 0  # rows written so far, in all sections (for the progress)
    _many: list[tuple[str, models.Model, models.ManyToManyField, list[Any]]] = field(
        default_factory=list
    )

    def problem(self, section: str, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(section, row, column, message))

    def write_section(
        self, section: Section, rows: Iterable[Any], fixed: dict[str, Any] | None = None
    ) -> None:
        """Every row of `section`; `fixed` overrides columns (the account's new address)."""
        written = self.written.setdefault(section.name, [])
        for number, row in enumerate(rows, start=1):
            progress.advance(progress.ALL, self.done)
            self.done += 1
            obj = self._write_row(section, number, row, fixed or {})
            if obj is not None:
                written.append(obj)

    def _write_row(
        self, section: Section, number: int, row: Any, fixed: dict[str, Any]
    ) -> models.Model | None:
        model = section.model
        if not isinstance(row, dict):
            self.problem(section.name, number, "", _("A row must be a JSON object."))
            return None
        old = row.get("id")
        if type(old) is not int or old in self.ids.get(model, {}):
            self.problem(section.name, number, "id", _("Each row needs an id of its own."))
            return None
        self._pending, self.at = [], (section.name, number)
        count = self.problem_count
        values = self._values(section, number, {**row, **fixed})
        if values is None and self.problem_count == count:
            self.skipped.setdefault(model, set()).add(old)  # hangs on a row left out
            return None
        obj = model(**values) if values is not None else None
        if (
            obj is None
            or not self._checked(section.name, number, obj)
            or not self._file(section, number, obj)
        ):
            # Its own problem is listed; the rows that name it need not say so again.
            self.failed.setdefault(model, set()).add(old)
            return None
        obj.save_base(raw=True)
        self.ids.setdefault(model, {})[old] = obj.pk
        for link in self._pending:
            link.obj, link.pk = obj, obj.pk
            self._links.append(link)
        for name, value in _many_values(model, row):
            self._many.append((section.name, obj, model._meta.get_field(name), value))
        return obj

    def _values(self, section: Section, number: int, row: dict[str, Any]) -> dict[str, Any] | None:
        """The row's columns as model field values; None when it cannot be written."""
        values: dict[str, Any] = {}
        fine = True
        for f in section.model._meta.concrete_fields:
            column = f.name if f.related_model is User or not f.is_relation else f.attname
            if f.primary_key or column not in row:
                continue
            try:
                values[f.attname] = self._value(section, f, row[column])
            except _Skip:
                return None
            except ValidationError as error:
                self.problem(section.name, number, column, " ".join(error.messages))
                fine = False
        for f in section.model._meta.concrete_fields:
            # As an insert would stamp them: a row without its timestamps is new now.
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and values.get(
                f.attname
            ) is None:
                values[f.attname] = timezone.now()
        return values if fine else None

    def _value(self, section: Section, f: models.Field, value: Any) -> Any:
        if value is None:
            if not f.null and f.empty_strings_allowed:
                return ""
            return None
        if not f.is_relation:
            if isinstance(value, str) and "\x00" in value:
                raise ValidationError(_("Text may not contain NUL characters."))
            if isinstance(value, dict | list) and not isinstance(f, models.JSONField):
                raise ValidationError(_("This must be a single value, not a list."))
            return f.to_python(value)
        if f.related_model is User:
            return self._user(value).pk
        return self._target(section.model, f, value)

    def _user(self, name: Any) -> User:
        user = self.users.get(name) if isinstance(name, str) else None
        if user is None:
            self.missing_users[str(name)] = self.missing_users.get(str(name), 0) + 1
            raise ValidationError(_("Nobody here has the user name “%(name)s”.") % {"name": name})
        return user

    def _target(self, model: type[models.Model], f: models.Field, old: Any) -> int | None:
        target = f.related_model
        if type(old) is not int:
            raise ValidationError(_("A reference must be a row's id (a whole number)."))
        if target in CATALOGUE_KEYS:
            new = self.catalogue_ids.get(target, {}).get(old)
            if new is None:
                raise ValidationError(
                    _("The export's references do not name %(what)s %(id)s.")
                    % {"what": target._meta.verbose_name, "id": old}
                )
            return new
        if old in self.skipped.get(target, ()) or old in self.failed.get(target, ()):
            raise _Skip  # it hangs on a row left out (a file document without its file)
        new = self.ids.get(target, {}).get(old)
        if new is not None:
            return new
        if target is model and f.null:  # a row further down: linked once it is written
            self._pending.append(_Link(*self.at, model, 0, f.attname, target, old, None))  # type: ignore[arg-type]
            return None
        raise ValidationError(
            _("No row of the export has the id %(id)s for %(what)s.")
            % {"id": old, "what": target._meta.verbose_name}
        )

    def _checked(self, section: str, number: int, obj: models.Model) -> bool:
        """The checks a form makes of each field, without a query (the database checks
        the rest: its constraints, inside the caller's transaction)."""
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.clean_fields(exclude=relations)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                self.problem(section, number, column, " ".join(messages))
            return False
        return True

    def _file(self, section: Section, number: int, obj: models.Model) -> bool:
        """A document version's file, from the export's files folder; False if missing."""
        files = [f for f in obj._meta.concrete_fields if isinstance(f, models.FileField)]
        for f in files:
            name = getattr(obj, f.attname).name
            source = _inside(self.files, name) if self.files else None
            if source is None or not source.is_file():
                message = _("The file %(name)s is not in the export's files.") % {"name": name}
                self.problem(section.name, number, f.name, message)
                return False
            with source.open("rb") as content:
                getattr(obj, f.attname).save(source.name, File(content), save=False)
            self.stored_files.append(getattr(obj, f.attname))
        return True

    def finish(self) -> None:
        """The links to rows written later, the many-to-many rows, then the history."""
        for link in self._links:
            new = self.ids.get(link.target, {}).get(link.old)
            if new is None:
                message = _("No row of the export has the id %(id)s.") % {"id": link.old}
                self.problem(link.section, link.row, link.attname, message)
                continue
            link.model._default_manager.filter(pk=link.pk).update(**{link.attname: new})
            setattr(link.obj, link.attname, new)
        self._write_many()
        for rows in self.written.values():
            _record_history(rows, self.by)

    def _write_many(self) -> None:
        through_rows: dict[type[models.Model], list[models.Model]] = {}
        for section, obj, f, value in self._many:
            try:
                targets = self._many_targets(obj, f, value)
            except ValidationError as error:
                self.problem(section, None, f.name, " ".join(error.messages))
                continue
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            through_rows.setdefault(through, []).extend(
                through(**{f"{source}_id": obj.pk, f"{target}_id": pk}) for pk in targets
            )
        for through, rows in through_rows.items():
            through._default_manager.bulk_create(rows, batch_size=500)

    def _many_targets(self, obj: models.Model, f: models.ManyToManyField, value: Any) -> set[int]:
        if not isinstance(value, list):
            raise ValidationError(_("This must be a list."))
        targets: set[int] = set()
        for old in value:
            try:
                if f.related_model is User:
                    targets.add(self._user(old).pk)
                else:
                    pk = self._target(type(obj), f, old)
                    if pk is not None:
                        targets.add(pk)
            except _Skip:
                continue
        return targets

    def forget_files(self) -> None:
        """Removes the files stored for rows that were rolled back."""
        for stored in self.stored_files:
            stored.storage.delete(stored.name)
        self.stored_files.clear()


class _Skip(Exception):
    """The row hangs on a row that was deliberately left out: leave it out too."""


def _many_values(model: type[models.Model], row: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(f.name, row[f.name]) for f in model._meta.many_to_many if f.name in row]


def _inside(folder: Path, name: str) -> Path | None:
    """`folder/name` if that stays inside `folder` (a hostile name cannot climb out)."""
    root = folder.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) else None


def _record_history(rows: list[models.Model], by: User | None) -> None:
    if not rows:
        return
    model = type(rows[0])
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        return
    getattr(model, attribute).bulk_history_create(
        rows, default_user=by, default_change_reason=_("imported from an export")
    )
