"""Writes to profiles: saving with motive scores, export and erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import CustomerContact
from profiles.models import Motive, MotiveScore, Profile, User


def profile_for_user(user: User) -> Profile:
    return Profile.objects.get_or_create(user=user)[0]


def profile_for_contact(contact: CustomerContact) -> Profile:
    return Profile.objects.get_or_create(contact=contact)[0]


@transaction.atomic
def profile_save(*, profile: Profile, scores: dict[Motive, Decimal | None]) -> None:
    """Save the profile and its motive scores; a blank score removes it."""
    profile.save()
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


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything kamteam stores about `user`, for their own download."""
    memberships = user.team_memberships.select_related("account", "role").order_by("created_at")
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "user": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "team_memberships": [
            {
                "account": m.account.name,
                "role": m.role.name_en,
                "country": m.country.code or None,
                "team": m.team,
                "lead": m.is_account_lead,
                "responsibilities": m.responsibilities,
                "since": m.created_at.isoformat(),
                "left": m.archived_at.isoformat() if m.archived_at else None,
            }
            for m in memberships
        ],
        "profile": None,
        "profile_changes": [],
    }
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return data
    data["profile"] = {
        "primary_colour": profile.primary_colour or None,
        "secondary_colour": profile.secondary_colour or None,
        "goals": profile.goals,
        "bonus": profile.bonus,
        "interests": profile.interests,
        "character_notes": profile.character_notes,
        "share_with_team": profile.share_with_team,
        "updated_at": profile.updated_at.isoformat(),
        "motives": {
            s.motive.name_en: float(s.score) for s in profile.scores.select_related("motive")
        },
    }
    data["profile_changes"] = [
        {
            "changed_at": c.when.isoformat(),
            "changed_by": c.who.username if c.who else None,
            "what": c.what_en,
        }
        for c in profile_changes(profile)
    ]
    return data


@dataclass(frozen=True)
class ProfileChange:
    when: datetime
    who: User | None
    kind: str  # "profile" or "motives"

    @property
    def what_en(self) -> str:
        return "motive scores" if self.kind == "motives" else "profile"


def profile_changes(profile: Profile, limit: int | None = None) -> list[ProfileChange]:
    """Who changed the profile or its motive scores, and when; newest first.

    Saving the motive form touches several scores at once: those are one change.
    """
    changes = [
        ProfileChange(h.history_date, h.history_user, "profile")
        for h in profile.history.select_related("history_user")
    ]
    seen: set[tuple[int | None, str]] = set()
    for h in MotiveScore.history.filter(profile_id=profile.pk).select_related("history_user"):
        key = (h.history_user_id, h.history_date.isoformat(timespec="seconds"))
        if key not in seen:
            seen.add(key)
            changes.append(ProfileChange(h.history_date, h.history_user, "motives"))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit] if limit else changes
