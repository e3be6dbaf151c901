"""Writes to profiles: saving with motive scores, erasure and the retention of contact profiles."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import CustomerContact
from core.concurrency import save_versioned
from core.history_guard import normalised
from profiles.models import Motive, MotiveScore, Profile, ProfileShare
from users.models import User


def profile_for_user(user: User) -> Profile:
    return Profile.objects.get_or_create(user=user)[0]


def profile_for_contact(contact: CustomerContact) -> Profile:
    return Profile.objects.get_or_create(contact=contact)[0]


@transaction.atomic
def profile_save(
    *,
    profile: Profile,
    scores: dict[Motive, Decimal | None],
    expected_version: int | None = None,
    changed: bool = True,
) -> Profile:
    """Save the profile and its motive scores; a blank score removes it.

    With `expected_version`, an existing profile is saved only if nobody saved
    it since (else VersionConflict, and nothing is written). With
    `changed=False` (the form came back as it was loaded, version included) an
    existing profile row is not written at all: no new version, no history
    entry; only the motive scores that differ are.
    """
    if profile._state.adding or (expected_version is None and changed):
        profile.save()
    elif changed:
        save_versioned(profile, expected_version=expected_version)
    existing = {s.motive_id: s for s in profile.scores.all()}
    for motive, value in scores.items():
        current = existing.get(motive.pk)
        if value is None:
            if current:
                current.delete()
        elif current is None:
            MotiveScore.objects.create(profile=profile, motive=motive, score=value)
        elif current.score != value:
            current.score = value
            current.save(update_fields=["score"])
    return profile


@transaction.atomic
def profile_erase(*, profile: Profile) -> None:
    """Delete a profile and every trace of it in the history tables."""
    profile_id = profile.pk
    score_ids = list(profile.scores.values_list("pk", flat=True))
    profile.delete()
    # Deleting wrote "deleted" history rows too; remove the whole trail.
    Profile.history.model.objects.filter(id=profile_id).delete()
    MotiveScore.history.model.objects.filter(profile_id=profile_id).delete()
    MotiveScore.history.model.objects.filter(id__in=score_ids).delete()
    if profile.user_id:
        # What the person had shared goes with what was shared, the trail included.
        shares = ProfileShare.objects.filter(user_id=profile.user_id)
        share_ids = list(shares.values_list("pk", flat=True))
        shares.delete()
        ProfileShare.history.model.objects.filter(id__in=share_ids).delete()
        ProfileShare.history.model.objects.filter(user_id=profile.user_id).delete()


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` moved back by whole calendar months (31 March less one month: 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def contact_profiles_past_retention(*, now: datetime | None = None) -> QuerySet[Profile]:
    """Profiles of contacts archived more than CONTACT_PROFILE_RETENTION_MONTHS ago."""
    cutoff = months_before(now or timezone.now(), settings.CONTACT_PROFILE_RETENTION_MONTHS)
    return (
        Profile.objects.filter(contact__archived_at__lt=cutoff)
        .select_related("contact__account")
        .order_by("contact__archived_at", "pk")
    )


@dataclass(frozen=True)
class ProfileChange:
    when: datetime
    who: User | None
    kind: str  # "profile" or "motives"
    fields: tuple[str, ...] = ()  # what a change of the profile changed (its field names)

    @property
    def what_en(self) -> str:
        return "motive scores" if self.kind == "motives" else "profile"


# Bookkeeping and the person the profile is about: never "changed" by an edit.
_NOT_CHANGES = frozenset({"id", "version", "updated_at", "user", "contact"})


def _changed_fields(before: Any, record: Any) -> tuple[str, ...]:
    fields = [f for f in Profile.history.model.tracked_fields if f.name not in _NOT_CHANGES]
    return tuple(
        str(f.verbose_name)
        for f in fields
        if normalised(getattr(before, f.attname)) != normalised(getattr(record, f.attname))
    )


def profile_changes(profile: Profile, limit: int | None = None) -> list[ProfileChange]:
    """Who changed the profile or its motive scores, and when; newest first.

    Saving the motive form touches several scores at once: those are one change.
    A save that changed no field (recorded before core.history_guard) is left out.
    """
    changes = []
    before = None
    for h in profile.history.select_related("history_user").order_by("history_id"):
        fields = _changed_fields(before, h) if before is not None else ()
        if h.history_type != "~" or before is None or fields:
            changes.append(ProfileChange(h.history_date, h.history_user, "profile", fields))
        before = h
    seen: set[tuple[int | None, str]] = set()
    for h in MotiveScore.history.filter(profile_id=profile.pk).select_related("history_user"):
        key = (h.history_user_id, h.history_date.isoformat(timespec="seconds"))
        if key not in seen:
            seen.add(key)
            changes.append(ProfileChange(h.history_date, h.history_user, "motives"))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit] if limit else changes
