"""Model validation without a query where the answer is already known.

Django validates a `CheckConstraint` with a query (`SELECT 1 WHERE <condition>`)
and a foreign key with another (`SELECT 1 FROM <target> WHERE id = ...`). A
form that saves a touchpoint paid five of them for a quarter, a status, a
kind, a contact and an owner it had just read and checked itself. Here:

- `check_in_python`: a condition of plain literals (`quarter__gte=1`,
  `status__in=[...]`, `date__isnull=False`, joined by AND, OR and NOT) is
  decided on the instance's values, with SQL's rule that an unknown (NULL)
  result passes, as Django's own check wraps it in COALESCE(..., true).
  Anything else (F(), functions, lookups across relations, values of a
  different type) is left to the database query, which stays the reference.
- `held_foreign_keys`: a foreign key whose object the instance holds, read
  from the database (a form's choice comes from its queryset), needs no
  existence query. The database's foreign key still refuses a row deleted
  in between.

The database constraints stay the invariants; this only spares the queries
that repeat what was just read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import CheckConstraint, Model, Q
from django.db.models.constants import LOOKUP_SEP

UNDECIDED = object()  # not decidable in Python: ask the database

_NUMBERS = (int, float, Decimal)
_LOOKUPS = frozenset({"exact", "gt", "gte", "lt", "lte", "in", "range", "isnull"})


def _same_kind(a: Any, b: Any) -> bool:
    """Whether Python compares `a` and `b` as SQL would: both numbers (not
    booleans), both strings, both dates or both datetimes, both booleans."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, _NUMBERS) and isinstance(b, _NUMBERS):
        return True
    if isinstance(a, str) and isinstance(b, str):
        return True
    if isinstance(a, datetime.datetime) or isinstance(b, datetime.datetime):
        return (
            isinstance(a, datetime.datetime)
            and isinstance(b, datetime.datetime)
            and (a.tzinfo is None) == (b.tzinfo is None)
        )
    return isinstance(a, datetime.date) and isinstance(b, datetime.date)


def _literal(value: Any) -> bool:
    return not hasattr(value, "resolve_expression")


def _compare(value: Any, op: str, operand: Any) -> Any:
    """True, False, None (NULL: unknown) or UNDECIDED."""
    if op == "isnull":
        if not isinstance(operand, bool):
            return UNDECIDED
        return (value is None) == operand
    if op == "exact" and operand is None:
        return value is None  # Django reads field=None as IS NULL
    if op in ("in", "range"):
        if not isinstance(operand, (list, tuple, set, frozenset)) or not all(
            _literal(o) for o in operand
        ):
            return UNDECIDED
        if value is None:
            return None
        if op == "range":
            if len(operand) != 2:
                return UNDECIDED
            low, high = operand
            if not (_same_kind(value, low) and _same_kind(value, high)):
                return UNDECIDED
            return low <= value <= high
        if not operand:
            return False
        if not all(_same_kind(value, o) for o in operand if o is not None):
            return UNDECIDED
        return value in [o for o in operand if o is not None] or (
            None if None in operand else False
        )
    if value is None:
        return None
    if not _literal(operand) or not _same_kind(value, operand):
        return UNDECIDED
    comparisons = {
        "exact": lambda: value == operand,
        "gt": lambda: value > operand,
        "gte": lambda: value >= operand,
        "lt": lambda: value < operand,
        "lte": lambda: value <= operand,
    }
    if op not in comparisons:
        return UNDECIDED
    return comparisons[op]()


def _fields(model: type[Model]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        found[f.name] = f
        found[f.attname] = f
    return found


def _evaluate(q: Q, instance: Model, fields: dict[str, Any], exclude: set[str]) -> Any:
    results = []
    for child in q.children:
        if isinstance(child, Q):
            result = _evaluate(child, instance, fields, exclude)
        elif isinstance(child, tuple) and len(child) == 2:
            lookup, operand = child
            name, _sep, op = lookup.partition(LOOKUP_SEP)
            field = fields.get(name)
            op = op or "exact"
            if field is None or op not in _LOOKUPS or field.name in exclude:
                return UNDECIDED  # a lookup across a relation, a transform, an excluded field
            result = _compare(getattr(instance, field.attname), op, operand)
        else:
            return UNDECIDED
        if result is UNDECIDED:
            return UNDECIDED
        results.append(result)
    if q.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    elif q.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        return UNDECIDED
    if q.negated:
        return None if value is None else not value
    return value


def check_in_python(
    constraint: CheckConstraint, instance: Model, exclude: Iterable[str] = ()
) -> Any:
    """Whether `instance` satisfies `constraint`: True, False, or UNDECIDED."""
    condition = constraint.condition
    if not isinstance(condition, Q):
        return UNDECIDED
    result = _evaluate(condition, instance, _fields(type(instance)), set(exclude))
    if result is UNDECIDED:
        return UNDECIDED
    return result is not False  # NULL passes, as in the database


def held_foreign_keys(instance: Model) -> set[str]:
    """The foreign keys whose object `instance` holds, read from the database."""
    held = set()
    for f in instance._meta.concrete_fields:
        if not f.many_to_one or f.get_limit_choices_to() or not f.is_cached(instance):
            continue
        target = f.get_cached_value(instance)
        if (
            target is not None
            and not target._state.adding
            and target.pk is not None
            and getattr(target, f.target_field.attname) == getattr(instance, f.attname)
        ):
            held.add(f.name)
    return held
