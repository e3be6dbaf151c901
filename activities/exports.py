"""A person's activities, for their own personal-data download.

workspace.exports.personal puts these sections into the download; SOURCES
says which section holds each model's rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from activities.models import Activity
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {
    "activities.activity": ("activities",),
}


def personal_sections(user: User) -> dict[str, Any]:
    """The activities the person logged or took part in."""
    theirs = (
        Activity.objects.filter(Q(logged_by=user) | Q(participants=user))
        .distinct()
        .select_related("account")
        .order_by("happened_on", "pk")
    )
    return {
        "activities": [
            {
                "account": a.account.name,
                "date": a.happened_on.isoformat(),
                "kind": a.kind,
                "subject": a.subject,
                "note": a.note,
                "logged_by_me": a.logged_by_id == user.pk,
            }
            for a in theirs
        ],
    }
