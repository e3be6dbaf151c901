"""What the weekly digest remembers: which week each person got, and who wants none.

The digest is written by the workspace (workspace.digest), which knows what
needs a person; whether they want it is a notification setting, so it lives here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestSent(models.Model):
    """One person's digest of one week: written before the mail is queued, so a
    second run of `send_digests` in the same week sends nothing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    week = models.DateField(_("week (its Monday)"))
    items = models.PositiveIntegerField(_("items"))
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly digest sent")
        verbose_name_plural = _("weekly digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digestsent_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.week}"


class DigestOptOut(models.Model):
    """A person who wants no weekly digest (the digest mail's unsubscribe link,
    or the notification settings page)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly digest turned off")
        verbose_name_plural = _("weekly digests turned off")

    def __str__(self) -> str:
        return str(self.user)
