"""A deleted profile leaves nothing behind in the history tables.

Every route that deletes a profile ends here: the erase command and admin
action (services.profile_erase), the admin's ordinary Delete,
``Profile.delete()`` and ``QuerySet.delete()`` in code, and the cascade when a
user or a customer contact is deleted. simple-history writes a "deleted" row
on post_delete; the receiver below is connected after it (in
ProfilesConfig.ready) and removes that row together with the rest of the trail.

A motive score deleted on its own (a lead clears one in the form) keeps its
history: the profile lives on, and its change record is part of it. Erasing
the profile removes those rows too.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete

from profiles.models import MotiveScore, Profile


def profile_history_purge(*, profile_id: int) -> None:
    """Delete every historical row of the profile and of its motive scores."""
    Profile.history.model.objects.filter(id=profile_id).delete()
    MotiveScore.history.model.objects.filter(profile_id=profile_id).delete()


def _on_profile_delete(sender: type[Profile], instance: Profile, **kwargs: Any) -> None:
    profile_history_purge(profile_id=instance.pk)


def connect_signals() -> None:
    post_delete.connect(_on_profile_delete, sender=Profile, dispatch_uid="profiles-erase-history")
