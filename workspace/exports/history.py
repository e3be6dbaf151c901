"""The historical rows (simple-history) linked to a person, found model by model.

Any historical model with a field that refers to a person or to one of their
team seats is searched; new models are covered without being named here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from accounts.models import AccountTeamMember
from users.models import User
from workspace.exports.common import CHANGE_TYPES, iso

# A seat on an account team is the person in a role: what refers to the seat
# refers to them.
PERSON_MODELS: tuple[type[models.Model], ...] = (User, AccountTeamMember)


def is_historical(model: type[models.Model]) -> bool:
    """simple-history's historical models (and their many-to-many tables)."""
    return hasattr(model, "instance_type")


def person_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's own fields that refer to a person or to a person's team seat."""
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model in PERSON_MODELS
    ]


def _refers_to(row: models.Model, field: models.Field, user: User, seat_ids: list[int]) -> bool:
    value = getattr(row, field.attname)
    return value == user.pk if field.related_model is User else value in seat_ids


def _condition(fields: list[models.Field], user: User, seat_ids: list[int]) -> Q:
    """Rows where any of `fields` refers to the person or one of their seats."""
    condition = Q()
    for f in fields:
        if f.related_model is User:
            condition |= Q(**{f.attname: user.pk})
        else:
            condition |= Q(**{f"{f.attname}__in": seat_ids})
    return condition


def _model_entries(
    model: type[models.Model], fields: list[models.Field], user: User, seat_ids: list[int]
) -> list[dict[str, Any]]:
    """One historical model's rows linked to the person."""
    m2m = not hasattr(model, "history_date")  # a historical many-to-many row
    rows = model.objects.filter(_condition(fields, user, seat_ids))
    if m2m:
        rows = rows.select_related("history")
    entries = []
    for row in rows:
        event = row.history if m2m else row
        entries.append(
            {
                "model": model.instance_type._meta.label_lower,
                "record": str(model.instance_type._meta.verbose_name),
                "object_id": getattr(row, "id", None) if not m2m else event.id,
                "changed_at": iso(event.history_date),
                "change": CHANGE_TYPES.get(event.history_type, event.history_type),
                "linked_by": [f.name for f in fields if _refers_to(row, f, user, seat_ids)],
            }
        )
    return entries


def history_entries(user: User, seat_ids: list[int]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every historical row linked to the person: what changed, when, and how it is linked.

    Values are left out on purpose: a row the person changed may describe
    someone else (a lead editing a colleague's profile). Their own profile's
    earlier values are in "profile_history".
    """
    entries: list[dict[str, Any]] = []
    labels: list[str] = []
    for model in apps.get_models():
        if not is_historical(model):
            continue
        fields = person_fields(model)
        if not fields:
            continue
        labels.append(model._meta.label_lower)
        entries += _model_entries(model, fields, user, seat_ids)
    entries.sort(key=lambda e: e["changed_at"] or "")
    return entries, labels
