"""Optimistic concurrency: refuse a save that would overwrite a newer one.

Two people editing the same plan at once must not silently lose one's work.
Each versioned row carries a `version`; a form sends back the version it was
loaded at, and the save only goes through while the row is still at that
version. The conditional UPDATE takes the row lock, so of two concurrent
saves from the same version exactly one wins, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F


class VersionConflict(Exception):
    """Someone else saved the row after the editor loaded it."""


def save_versioned(instance: models.Model, *, expected_version: int) -> None:
    """Save `instance` if its row is still at `expected_version`, else raise."""
    model = type(instance)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise VersionConflict
        instance.version = expected_version + 1
        instance.save()
