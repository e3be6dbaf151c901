"""No phantom history: a save that changes nothing records nothing.

django-simple-history writes a "changed" record on every save, whatever it
changed. Many saves change nothing a person would call a change: an edit form
submitted untouched, ``update_or_create`` with the values a row already has
(the demo run again), the plan's revenue targets saved with the plan, a
version moved on by ``core.concurrency``. Each left a "changed" entry without
a changed field in the account's history.

Before a row of a model with history is updated, its tracked values are
compared with the latest record of its history; when they are the same the
save goes ahead but simple-history is told to skip it (its own
``skip_history_when_saving`` flag). Bookkeeping columns are not compared: the
version (moves on every save by design), ``auto_now`` timestamps and
``updated_by`` (who saved last: the history's own ``history_user`` says who
changed something). Text is compared with its line breaks normalised, so a
browser's "\\r\\n" for a stored "\\n" is no change either.

Costs one query per update of a model with history, unless the instance was
read from the database (core.models.Versioned keeps what it was read with) and
a tracked value differs from that: then the save changes the row and is
recorded without asking. Inserts and deletes are recorded as before.
Connected in ``CoreConfig.ready()`` for every model that has a history,
whichever app it belongs to: this module knows no app of ours.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DEFERRED
from django.db.models.signals import post_save, pre_save

from core.forms import normalise_newlines
from core.models import LOADED_FROM_DB

# simple-history's own flag: while an instance has it, no record is written.
SKIP = "skip_history_when_saving"
# Marks the flag as set here, so that it is removed again after the save (and
# a flag someone else set, save_without_historical_record, is left alone).
_OURS = "_history_guard_skip"
IGNORED_FIELDS = frozenset({"version", "updated_by"})


def normalised(value: Any) -> Any:
    """Text with its line breaks read as forms read them (normalise_newlines)."""
    return normalise_newlines(value) if isinstance(value, str) else value


def _compared(field: models.Field) -> bool:
    return field.name not in IGNORED_FIELDS and not getattr(field, "auto_now", False)


def _same(field: models.Field, old: Any, new: Any) -> bool:
    try:
        old, new = field.to_python(old), field.to_python(new)
    except ValidationError:
        return False
    return normalised(old) == normalised(new)


def unchanged_since_last_record(instance: models.Model) -> bool:
    """True when every tracked value equals the latest history record's."""
    manager = getattr(type(instance), instance._meta.simple_history_manager_attribute)
    history = manager.model
    fields = [f for f in history.tracked_fields if _compared(f)]
    pk_name = instance._meta.pk.attname
    last = (
        history.objects.filter(**{pk_name: instance.pk})
        .order_by("-history_id")
        .values(*[f.attname for f in fields])
        .first()
    )
    if last is None:
        return False  # nothing recorded yet: this save is worth recording
    return all(_same(f, last[f.attname], getattr(instance, f.attname)) for f in fields)


def changed_since_loaded(instance: models.Model) -> bool:
    """True when a tracked value differs from what the instance was read with
    (core.models.Versioned keeps that): the save changes the row, so it is
    worth recording without reading the history. False when nothing is known
    or nothing differs; the history decides then."""
    loaded = instance.__dict__.get(LOADED_FROM_DB)
    if loaded is None:
        return False
    before = dict(zip(*loaded, strict=True))
    manager = getattr(type(instance), instance._meta.simple_history_manager_attribute)
    for field in manager.model.tracked_fields:
        if not _compared(field) or field.attname not in before:
            continue
        old = before[field.attname]
        if old is not DEFERRED and not _same(field, old, getattr(instance, field.attname)):
            return True
    return False


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if getattr(instance, _OURS, False):  # left over from a save that failed
        delattr(instance, SKIP)
        delattr(instance, _OURS)
    # A new row (no pk yet) is always recorded. _state.adding is no guide: an
    # instance built afresh with an existing pk (a re-run seed) updates that row.
    if kwargs.get("raw") or instance.pk is None or hasattr(instance, SKIP):
        return
    if changed_since_loaded(instance):
        return
    if unchanged_since_last_record(instance):
        setattr(instance, SKIP, True)
        setattr(instance, _OURS, True)


def _after_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # Runs after simple-history's own receiver: it was connected when the
    # model class was prepared, this one only in ready().
    if LOADED_FROM_DB in instance.__dict__:
        # Saved: the row now holds these values; a second save that changes
        # nothing must not count as a change against the first read.
        names = instance.__dict__[LOADED_FROM_DB][0]
        instance.__dict__[LOADED_FROM_DB] = (names, tuple(getattr(instance, n) for n in names))
    if getattr(instance, _OURS, False):
        delattr(instance, SKIP)
        delattr(instance, _OURS)


def connect() -> None:
    """Guard every model that has a history (simple-history marks them in _meta)."""
    for model in apps.get_models():
        if hasattr(model._meta, "simple_history_manager_attribute"):
            uid = f"history_guard:{model._meta.label}"
            pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(_after_save, sender=model, dispatch_uid=uid)
