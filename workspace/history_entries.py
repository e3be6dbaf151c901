"""The rows of the history page: who changed what, field by field, before and after.

`entries_for` takes one page of history rows (workspace.history.history_rows)
and loads what it needs in a fixed number of queries: per kind of record on
the page, the records together with each one's previous version; per
many-to-many field, the people linked at each version; per kind of related
object, the names to show instead of ids.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Field, Model, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember
from coaching.models import CoachingCheck
from core.collation import name_key
from core.history_guard import normalised
from profiles.models import Profile
from users.models import User

# Bookkeeping, or the link to the account the whole page is about.
HIDDEN_FIELDS = frozenset(
    {"id", "version", "updated_at", "created_at", "updated_by", "account", "plan"}
)
# Related objects whose names need their own relations.
_SELECT_RELATED: dict[type[Model], tuple[str, ...]] = {
    AccountTeamMember: ("user", "role"),
    Profile: ("user", "contact"),
    CoachingCheck: ("account",),
}
EMPTY = "–"
# Related objects neither shown nor used in a label: the account and plan the
# page is about, who saved last, the self-check an answer belongs to.
_NOT_NAMED = frozenset({"account", "plan", "updated_by", "self_check"})


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None when the record was created: only the value is shown
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: User | None
    kind: str  # "+" created, "~" changed, "-" deleted, as simple-history records it
    what: str
    obj: str
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.kind]


class _Names:
    """Display names of related objects, one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[type[Model], set[Any]] = {}
        self.names: dict[type[Model], dict[Any, str]] = {}

    def want(self, model: type[Model], ids: Iterable[Any]) -> None:
        self.wanted.setdefault(model, set()).update(i for i in ids if i is not None)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            rows = model._default_manager.select_related(*_SELECT_RELATED.get(model, ()))
            names = {pk: str(obj) for pk, obj in rows.in_bulk(ids).items()}
            missing = ids - names.keys()
            if missing and hasattr(model._meta, "simple_history_manager_attribute"):
                names.update(_deleted_names(model, missing))
            self.names[model] = names

    def name(self, model: type[Model], pk: Any) -> str:
        return self.names.get(model, {}).get(pk, f"#{pk}")


def _deleted_names(model: type[Model], ids: set[Any]) -> dict[Any, str]:
    """Names of objects deleted since, from their last history record (own fields only)."""
    history = getattr(model, model._meta.simple_history_manager_attribute)
    names: dict[Any, str] = {}
    for record in history.filter(id__in=ids).order_by("-history_id"):
        if record.id not in names:
            texts = (getattr(record, a, "") for a in ("name", "title", "purpose", "text"))
            names[record.id] = str(next((t for t in texts if t), f"#{record.id}"))
    return names


def _history_of(model: type[Model]) -> Any:
    return getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]


def _with_previous(model: type[Model], ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """history_id -> (record, the object's record before it or None), in one query."""
    history = _history_of(model)
    pk = model._meta.pk.attname
    previous = Subquery(
        history.filter(**{pk: OuterRef(pk)}, history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    before = history.filter(history_id__in=ids).annotate(previous_id=previous)
    wanted = Q(history_id__in=ids) | Q(history_id__in=before.values("previous_id"))
    rows = history.filter(wanted).annotate(previous_id=previous).select_related("history_user")
    records = {r.history_id: r for r in rows}
    return {i: (records[i], records.get(records[i].previous_id)) for i in ids if i in records}


def _m2m_values(model: type[Model], history_ids: set[int], names: _Names) -> dict[str, dict]:
    """field name -> {history_id: ids linked at that version}."""
    historical = _history_of(model).model
    values: dict[str, dict[int, set[Any]]] = {}
    for m2m in getattr(historical, "_history_m2m_fields", []):
        rows = apps.get_model(historical._meta.app_label, f"{historical.__name__}_{m2m.name}")
        target = f"{m2m.m2m_reverse_field_name()}_id"
        linked: dict[int, set[Any]] = {}
        for history_id, target_id in rows.objects.filter(history_id__in=history_ids).values_list(
            "history_id", target
        ):
            linked.setdefault(history_id, set()).add(target_id)
        values[m2m.name] = linked
        names.want(m2m.related_model, {t for ids in linked.values() for t in ids})
    return values


def display(record: Any, f: Field, names: _Names) -> str:
    """A field's value in a record as the page shows it."""
    value = getattr(record, f.attname)
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        return names.name(f.related_model, value)
    if hasattr(value, "code") and hasattr(value, "name"):  # a country
        return str(value.name) or str(value.code)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    if isinstance(value, Decimal):  # money and scores: as the language writes numbers
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(formats.localize(value, use_l10n=True))


@dataclass
class _Page:
    """One page's records, loaded, with what is needed to describe them."""

    sources: Sequence[Any]
    loaded: dict[tuple[int, int], tuple[Any, Any]] = field(default_factory=dict)
    m2m: dict[int, dict[str, dict[int, set[Any]]]] = field(default_factory=dict)
    names: _Names = field(default_factory=_Names)

    def load(self, rows: list[dict[str, Any]]) -> None:
        wanted: dict[int, list[int]] = {}
        for row in rows:
            wanted.setdefault(row["source"], []).append(row["history_id"])
        for index, ids in wanted.items():
            model = self.sources[index].model
            pairs = _with_previous(model, ids)
            self.loaded.update({(index, i): pair for i, pair in pairs.items()})
            records = [r for pair in pairs.values() for r in pair if r is not None]
            # Hidden fields too: labels name them ("Framework contract: GKAM R").
            for f in _history_of(model).model.tracked_fields:
                if f.is_relation and f.name not in _NOT_NAMED:
                    self.names.want(f.related_model, {getattr(r, f.attname) for r in records})
            self.m2m[index] = _m2m_values(model, {r.history_id for r in records}, self.names)
        self.names.load()

    def entry(self, row: dict[str, Any]) -> HistoryEntry | None:
        index = row["source"]
        pair = self.loaded.get((index, row["history_id"]))
        if pair is None:
            return None
        record, before = pair
        source = self.sources[index]
        changes = self._changes(index, record, before)
        if record.history_type == "~" and before is not None and not changes:
            return None  # saved without a change (recorded before core.history_guard)
        return HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=record.history_type,
            what=str(source.model._meta.verbose_name),
            obj=source.label(record, lambda name: self._named(record, name)),
            changes=changes,
        )

    def _named(self, record: Any, name: str) -> str:
        return display(record, record._meta.get_field(name), self.names)

    def _changes(self, index: int, record: Any, before: Any) -> list[Change]:
        if record.history_type == "-" or (record.history_type == "~" and before is None):
            return []
        created = record.history_type == "+"
        changes = []
        for f in _fields(self.sources[index]):
            new = display(record, f, self.names)
            old = EMPTY if created else display(before, f, self.names)
            if normalised(old) != normalised(new):
                changes.append(Change(str(f.verbose_name), None if created else old, new))
        for name, linked in self.m2m.get(index, {}).items():
            f = self.sources[index].model._meta.get_field(name)
            new_ids = linked.get(record.history_id, set())
            old_ids = set() if created else linked.get(before.history_id, set())
            if new_ids != old_ids:
                old = None if created else self._joined(f.related_model, old_ids)
                new = self._joined(f.related_model, new_ids)
                changes.append(Change(str(f.verbose_name), old, new))
        return changes

    def _joined(self, model: type[Model], ids: set[Any]) -> str:
        return ", ".join(sorted((self.names.name(model, i) for i in ids), key=name_key)) or EMPTY


def _fields(source: Any) -> list[Field]:
    hidden = HIDDEN_FIELDS | source.hidden
    return [
        f
        for f in _history_of(source.model).model.tracked_fields
        if f.name not in hidden and not f.primary_key
    ]


def entries_for(rows: list[dict[str, Any]], sources: Sequence[Any]) -> list[HistoryEntry]:
    """The page's entries, in the rows' order; saves that changed nothing are left out."""
    page = _Page(sources)
    page.load(rows)
    return [entry for row in rows if (entry := page.entry(row)) is not None]
