"""Optimistic concurrency: refuse a save that would overwrite a newer one.

Two people editing the same plan at once must not silently lose one's work.
Each versioned row carries a `version`; a form sends back the version it was
loaded at, and the save only goes through while the row is still at that
version. The conditional UPDATE takes the row lock, so of two concurrent
saves from the same version exactly one wins, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # core.models imports this module for VersionConflict
    from core.models import Versioned

T = TypeVar("T")

CONFLICT_CODE = "version_conflict"
CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing it, so your changes were not saved. "
    "Your input is still in the form: open the page again in a new tab to see their "
    "version, then apply your changes to it."
)
CLASH_MESSAGE = _(
    "This could not be saved: it clashes with an entry someone else saved at the same "
    "moment. Your input is still in the form: check it and save again."
)


class VersionConflict(Exception):
    """Someone else saved the row after the editor loaded it."""


def save_versioned(instance: Versioned, *, expected_version: int) -> None:
    """Save `instance` if its row is still at `expected_version`, else raise
    VersionConflict; one UPDATE does both (Versioned.save_at_version)."""
    # No savepoint of its own: a conflict (raised) undoes the caller's
    # transaction too, as it must; a savepoint would cost two statements on
    # every edit.
    with transaction.atomic(savepoint=False):
        instance.save_at_version(expected_version)


def save_bumping_version(instance: models.Model, *, update_fields: Iterable[str]) -> None:
    """Save a change made outside an edit form (archive, restore) under the version.

    The version moves on, so a form loaded before this change is refused
    instead of writing the old values back.
    """
    manager = type(instance)._default_manager
    with transaction.atomic():
        manager.filter(pk=instance.pk).update(version=F("version") + 1)
        instance.version = manager.filter(pk=instance.pk).values_list("version", flat=True).get()
        instance.save(update_fields=[*update_fields, "version"])


def save_or_form_error(form: forms.BaseForm, save: Callable[[], T]) -> T | None:
    """Run `save` in a savepoint; if it is refused, say why at `form` and return None.

    Refusals: a VersionConflict; a ValidationError from a rule a service checks
    under a lock; and an IntegrityError, when a constraint caught what the form
    could not see yet (the same row created at the same moment). The form is
    then validated again, so its own check names the clash in its own words.
    """
    try:
        with transaction.atomic():
            return save()
    except VersionConflict:
        form.add_error(None, ValidationError(CONFLICT_MESSAGE, code=CONFLICT_CODE))
    except ValidationError as error:
        form.add_error(None, error)
    except IntegrityError:
        form.full_clean()
        if not form.errors:
            form.add_error(None, CLASH_MESSAGE)
    return None


def is_conflict(form: forms.BaseForm) -> bool:
    """True when `form` was refused because someone else saved first (answer 409)."""
    return form.is_bound and form.has_error(NON_FIELD_ERRORS, CONFLICT_CODE)
