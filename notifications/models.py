"""What a person is told about changes that concern them, and how they want to hear it.

A notification is stored once per recipient with the names its text needs
(`params`); the sentence itself is written when it is shown, in the reader's
language (notifications.texts), so a German reader reads German even when
an English-speaking colleague made the change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount

# The weekly digest's bookkeeping lives in its own module; imported here so
# Django finds the models.
from notifications.digest_models import DigestOptOut, DigestSent
from notifications.kinds import Channel, Kind
from notifications.texts import render_text

__all__ = [
    "Channel",
    "DigestOptOut",
    "DigestSent",
    "Kind",
    "Notification",
    "NotificationPreference",
]


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        """A person's own notifications: the only ones anybody is ever shown."""
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    # Who made the change; gone with their account, the notification stays.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Accounts are archived, not deleted; should one be deleted, what was said
    # about it goes with it.
    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key account"),
    )
    # The names the text needs, as the recipient may see them (texts.py).
    params = models.JSONField(_("details"), default=dict, blank=True)
    # A path on this site, where the change is seen or dealt with.
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The top bar's unread count on every page, and "mark all read".
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The list page: a person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def text(self) -> str:
        """The sentence for the reader, in the active language."""
        return render_text(self.kind, self.params)


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    channel = models.CharField(_("how"), max_length=10, choices=Channel)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpref_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notificationpref_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notificationpref_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.channel}"
