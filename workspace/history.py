"""An account's history: every change to its plan, team and contacts, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
)
from portfolio.models import PlanReview
from users.models import User


@dataclass
class HistoryEntry:
    when: datetime
    who: User | None
    kind: str  # "+" created, "~" changed, "-" deleted, as simple-history records it
    what: str
    obj: str
    changes: list[tuple[str, str, str]]

    @property
    def kind_label(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.kind]


# Models whose history belongs to an account, with the field that ties a
# history row to the account (children of plans are found by plan ids).
_ACCOUNT_HISTORY: list[tuple[type[Any], str]] = [
    (KeyAccount, "id"),
    (KeyAccountPlan, "account_id"),
    (PlanPotential, "plan_id"),
    (PlanObjective, "plan_id"),
    (PlanRevenueTarget, "plan_id"),
    (PlanReview, "plan_id"),
    (AccountTeamMember, "account_id"),
    (CustomerContact, "account_id"),
]
_HIDDEN_FIELDS = {"version", "updated_at", "created_at", "updated_by", "account", "plan"}


def _related_names(model: type[Any], records: list[Any]) -> dict[str, dict[Any, str]]:
    """Display names of the objects the records' foreign keys point to.

    One query per foreign key, so a page of history costs the same whatever
    its length.
    """
    names: dict[str, dict[Any, str]] = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.name in _HIDDEN_FIELDS:
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        names[f.name] = {
            pk: str(obj) for pk, obj in f.related_model._default_manager.in_bulk(ids).items()
        }
    return names


def _display(record: Any, f: Any, related: dict[str, dict[Any, str]]) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "":
        return "–"
    if f.is_relation:
        return related.get(f.name, {}).get(value, str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(formats.localize(value, use_l10n=True))


def _label(model: type[Any], record: Any, related: dict[str, dict[Any, str]]) -> str:
    if model is AccountTeamMember:
        role = related["role"].get(record.role_id, "")
        country = f" {record.country.name}" if record.country else ""
        return f"{related['user'].get(record.user_id, '')}, {role}{country}"
    if model is CustomerContact:
        return f"{record.first_name} {record.last_name}".strip()
    if model is KeyAccountPlan:
        return f"{record.start_year}–{record.end_year}"
    if model is PlanReview:
        return str(record.comment)[:80]
    if model is PlanRevenueTarget:
        return str(record.year)
    for attr in ("name", "description", "text"):
        if hasattr(record, attr):
            return str(getattr(record, attr))
    return str(record.id)


def account_history(account: KeyAccount) -> list[HistoryEntry]:
    """Every recorded change of the account and what hangs off it, newest first.

    A fixed number of queries: one per model and per foreign key. Changed
    fields are found by comparing each record with the previous record of
    the same object in Python.
    """
    plan_ids = list(account.plans.values_list("pk", flat=True))
    entries: list[HistoryEntry] = []
    for model, key in _ACCOUNT_HISTORY:
        target = plan_ids if key == "plan_id" else [account.pk]
        records = list(
            model.history.filter(**{f"{key}__in": target})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        related = _related_names(model, records)
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in _HIDDEN_FIELDS and not f.primary_key
        ]
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes: list[tuple[str, str, str]] = []
            if record.history_type == "~" and before is not None:
                for f in fields:
                    old, new = _display(before, f, related), _display(record, f, related)
                    if old != new:
                        changes.append((str(f.verbose_name), old, new))
                if not changes:
                    continue  # a save that changed nothing worth showing
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind=record.history_type,
                    what=str(model._meta.verbose_name),
                    obj=_label(model, record, related),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
