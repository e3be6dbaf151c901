"""A manager's review of an account's key account plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import KeyAccountPlan


class PlanReview(models.Model):
    """A manager marked a plan as reviewed, with a comment for the lead.

    Reviews are appended, never edited: the latest one is what the lead
    sees, the earlier ones stay as the plan's review trail.
    """

    plan = models.ForeignKey(
        KeyAccountPlan,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("key account plan"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    comment = models.TextField(
        _("comment"),
        max_length=2000,
        help_text=_("What the lead should know: what is convincing, what is missing."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-reviewed_at", "-pk"]
        indexes = [
            # workspace and portfolio: the latest review of a plan
            models.Index(fields=["plan", "-reviewed_at"], name="planreview_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.reviewed_at:%Y-%m-%d}"
