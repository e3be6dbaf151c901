"""Comments: the team's conversation on the plan, its objectives and potentials, the RACI
tasks and a manager's plan review (where the lead answers the review).

A comment belongs to exactly one thread: one of its five target columns is
set (a database constraint), each a real foreign key, so a thread goes with
the thing it discusses and the database vouches for every link. Editing keeps
the earlier wording in the history; removing leaves "comment removed" in the
thread and the words only in the history, which the account's leads read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import KeyAccount, KeyAccountPlan, PlanObjective, PlanPotential
from core.models import Versioned
from portfolio.models import PlanReview
from raci.models import RaciTask

MAX_LENGTH = 4000


class Target(models.TextChoices):
    """What a thread is about; the value is the URL's word and the column's name."""

    PLAN = "plan", _("the plan")
    OBJECTIVE = "objective", _("an objective")
    POTENTIAL = "potential", _("a potential")
    TASK = "task", _("a RACI task")
    REVIEW = "review", _("a plan review")


def _only(target: str) -> Q:
    """`target` set and every other target column empty."""
    q = Q(**{f"{target}__isnull": False})
    for other in Target.values:
        if other != target:
            q &= Q(**{f"{other}__isnull": True})
    return q


class Comment(Versioned):
    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="comments", verbose_name=_("account")
    )
    # The thread: exactly one of these. A thread goes with what it discusses
    # (CASCADE); the history keeps its comments.
    plan = models.ForeignKey(
        KeyAccountPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("key account plan"),
    )
    objective = models.ForeignKey(
        PlanObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("objective"),
    )
    potential = models.ForeignKey(
        PlanPotential,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("potential"),
    )
    task = models.ForeignKey(
        RaciTask,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("RACI task"),
    )
    review = models.ForeignKey(
        PlanReview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("plan review"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments_written",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=MAX_LENGTH, blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentioned")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_only("plan")
                | _only("objective")
                | _only("potential")
                | _only("task")
                | _only("review"),
                name="comment_one_thread",
            ),
            # A removed comment keeps no words outside the history.
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | Q(body=""), name="comment_removed_is_empty"
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=False) | ~Q(body=""), name="comment_has_words"
            ),
        ]
        indexes = [models.Index(fields=["account", "created_at"], name="comment_account_time")]

    def __str__(self) -> str:
        return self.body[:60] if self.body else str(_("comment removed"))

    @property
    def target(self) -> str:
        return next(t for t in Target.values if getattr(self, f"{t}_id") is not None)

    @property
    def target_id(self) -> int:
        return getattr(self, f"{self.target}_id")

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
