"""A person's notifications and settings, for their own personal-data download.

workspace.exports.personal puts these sections into the download; SOURCES
says which section holds each model's rows.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from notifications.models import DigestOptOut, DigestSent, Notification
from notifications.services import preferences_of
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {
    "notifications.notification": ("notifications_received", "notifications_caused"),
    "notifications.notificationpreference": ("notification_settings",),
    "notifications.digestsent": ("weekly_digests",),
    "notifications.digestoptout": ("notification_settings",),
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def personal_sections(user: User) -> dict[str, Any]:
    """The sections of SOURCES: what the person was told, whom their changes
    told, and how they chose to hear of each kind."""
    received = Notification.objects.for_user(user).select_related("actor", "account")
    caused = Notification.objects.filter(actor=user).select_related("recipient", "account")
    with translation.override("en"):  # as the rest of the download
        return {
            "notifications_received": [
                {
                    "kind": n.kind,
                    "text": n.text(),
                    "account": n.account.name if n.account else None,
                    "by": n.actor.display_name if n.actor else None,
                    "link": n.url,
                    "created_at": n.created_at.isoformat(),
                    "read_at": _iso(n.read_at),
                }
                for n in received
            ],
            "notifications_caused": [
                {
                    "kind": n.kind,
                    "account": n.account.name if n.account else None,
                    "told": n.recipient.display_name,
                    "created_at": n.created_at.isoformat(),
                }
                for n in caused
            ],
            "weekly_digests": [
                {"week": d.week.isoformat(), "items": d.items, "queued_at": d.queued_at.isoformat()}
                for d in DigestSent.objects.filter(user=user).order_by("week")
            ],
            "notification_settings": {
                "weekly_digest": not DigestOptOut.objects.filter(user=user).exists(),
                "language_for_emails": user.language or None,
                "channels": {kind: str(channel) for kind, channel in preferences_of(user).items()},
            },
        }
