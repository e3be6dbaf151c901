"""Plan reviews (a manager's, and which lead read them) and weekly health snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import KeyAccount, KeyAccountPlan
from core.collation import NameField


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


class PlanReviewRead(models.Model):
    """A lead has read a review of their plan: it leaves their home page.

    Written when the lead opens the plan's page or marks the review read on
    the home page; one row per review and lead, never changed afterwards.
    """

    review = models.ForeignKey(
        PlanReview, on_delete=models.CASCADE, related_name="reads", verbose_name=_("plan review")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("read by"),
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("read plan review")
        verbose_name_plural = _("read plan reviews")
        constraints = [
            # Read once: two tabs marking the same review read write one row.
            models.UniqueConstraint(fields=["review", "user"], name="planreviewread_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.user}"


class HealthBand(models.TextChoices):
    """The bands of portfolio.selectors.BANDS, as stored in a snapshot."""

    HEALTHY = "healthy", pgettext_lazy("health", "healthy")
    WATCH = "watch", pgettext_lazy("health", "needs attention")
    RISK = "risk", pgettext_lazy("health", "at risk")


class HealthSnapshot(models.Model):
    """An account's health score as it was in one week: the trend behind "dropped a band".

    Written weekly by `manage.py snapshot_health` (portfolio.services.snapshot_health);
    derived data, so no history of its own.
    """

    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.CASCADE,
        related_name="health_snapshots",
        verbose_name=_("account"),
    )
    week = models.DateField(_("week (its Monday)"))
    score = models.PositiveSmallIntegerField(_("health score"))
    band = models.CharField(_("health band"), max_length=10, choices=HealthBand)
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        verbose_name = _("health snapshot")
        verbose_name_plural = _("health snapshots")
        ordering = ["account", "-week"]
        constraints = [
            # One per account and week: running the command again replaces it.
            models.UniqueConstraint(fields=["account", "week"], name="healthsnapshot_one_per_week"),
            models.CheckConstraint(condition=Q(score__lte=100), name="healthsnapshot_score_0_100"),
            models.CheckConstraint(
                condition=Q(band__in=["healthy", "watch", "risk"]), name="healthsnapshot_band_valid"
            ),
        ]
        indexes = [
            # The manager's summary: every account's snapshot of one week.
            models.Index(fields=["week"], name="healthsnapshot_week"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.week} {self.score}"


# The parts of the health score, in the page's order (portfolio.selectors).
HEALTH_PARTS = ("plan", "responsibilities", "execution", "team")
DEFAULT_WEIGHT = 25


class HealthWeights(models.Model):
    """How many of the health score's 100 points each part carries; kept by staff.

    One row at most (its id is 1); without it every part weighs 25. The score's
    SQL reads the row in the same query (portfolio.selectors), so a change
    counts on the next page load everywhere.
    """

    SINGLETON_ID = 1

    plan = models.PositiveSmallIntegerField(
        _("plan"), default=DEFAULT_WEIGHT, help_text=_("Points for an agreed plan with content.")
    )
    responsibilities = models.PositiveSmallIntegerField(
        _("responsibilities"),
        default=DEFAULT_WEIGHT,
        help_text=_("Points when every RACI task has one A and at least one R."),
    )
    execution = models.PositiveSmallIntegerField(
        _("execution"),
        default=DEFAULT_WEIGHT,
        help_text=_("Points when no touchpoint or action of this year is overdue."),
    )
    team = models.PositiveSmallIntegerField(
        _("team"),
        default=DEFAULT_WEIGHT,
        help_text=_("Points when the core team meets in person this year."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("health score weights")
        verbose_name_plural = _("health score weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__lte=100)
                & Q(responsibilities__lte=100)
                & Q(execution__lte=100)
                & Q(team__lte=100)
                & Q(
                    plan=100
                    - models.F("responsibilities")
                    - models.F("execution")
                    - models.F("team")
                ),
                name="healthweights_sum_100",
                violation_error_message=_("The four weights must add up to 100."),
            ),
            # One row: the weights in force.
            models.CheckConstraint(condition=Q(id=1), name="healthweights_one_row"),
        ]

    def __str__(self) -> str:
        return str(_("Health score weights"))

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    def as_dict(self) -> dict[str, int]:
        return {part: getattr(self, part) for part in HEALTH_PARTS}


class HealthScore(models.Model):
    """An account's health score as last computed, and what it was computed from.

    Derived data (portfolio.scores): kept while the account's change counter
    (core.fragments), the weights and the day are those it was computed with,
    and computed again in one query for the accounts where one of them moved.
    The manager's home reads every account's band from here instead of
    computing every score. Written only with bulk_create, which moves no
    counter: storing a score must not make it stale.
    """

    account = models.OneToOneField(
        KeyAccount,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_health",
        verbose_name=_("account"),
    )
    score = models.PositiveSmallIntegerField(_("health score"))
    band = models.CharField(_("health band"), max_length=10, choices=HealthBand)
    # What the score was computed from: the day (overdue touchpoints), the
    # account's change counter (core.CacheGeneration "account:<pk>") and the weights.
    day = models.DateField(_("computed for"))
    generation = models.BigIntegerField(_("account change counter"))
    w_plan = models.PositiveSmallIntegerField()
    w_responsibilities = models.PositiveSmallIntegerField()
    w_execution = models.PositiveSmallIntegerField()
    w_team = models.PositiveSmallIntegerField()
    # The score's four parts, as the portfolio's tooltip explains them.
    plan_points = models.PositiveSmallIntegerField()
    raci_points = models.PositiveSmallIntegerField()
    tp_points = models.PositiveSmallIntegerField()
    team_points = models.PositiveSmallIntegerField()
    # The plan the workspace shows (portfolio_queryset's plan_*), for the plan work.
    # A plan deleted meanwhile moved the account's counter: the score is stale anyway.
    plan = models.ForeignKey(KeyAccountPlan, on_delete=models.SET_NULL, null=True, related_name="+")
    plan_start = models.PositiveSmallIntegerField(null=True)
    plan_end = models.PositiveSmallIntegerField(null=True)
    plan_status = models.CharField(max_length=10, blank=True)
    # That plan's last change and latest review: "to review" without a subquery.
    plan_updated_at = models.DateTimeField(null=True)
    plan_reviewed_at = models.DateTimeField(null=True)
    # The portfolio row's other signals, from the same computation: a page of
    # 25 reads them here instead of running some thirty subqueries again
    # (scores.page_rows). Only the revenue and the pipeline of a chosen year
    # are read live. Names as in portfolio_queryset.
    core_size = models.PositiveIntegerField(default=0)
    extended_size = models.PositiveIntegerField(default=0)
    raci_total = models.PositiveIntegerField(default=0)
    raci_complete = models.PositiveIntegerField(default=0)
    tp_quarter = models.PositiveIntegerField(default=0)
    tp_quarter_done = models.PositiveIntegerField(default=0)
    tp_overdue = models.PositiveIntegerField(default=0)
    met_in_person = models.BooleanField(default=False)
    meeting_planned = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True)  # the latest review of any of its plans
    plan_updated = models.DateTimeField(null=True)  # the latest change of any of its plans
    trend_score = models.PositiveSmallIntegerField(null=True)  # the snapshot compared with
    trend_week = models.DateField(null=True)
    # Key players not met within the account's freshness days (activities.
    # selectors.stale_counts); "lately" moves with the day, as the score does.
    stale_key_players = models.PositiveIntegerField(default=0)
    # For the manager's home (portfolio.summary): its lists by name without a
    # join, and "plan to review" as a column its partial index holds. A new
    # name or a review moves the account's counter: the row is computed again.
    # In the collation of KeyAccount.name, so that the lists sort as the accounts do.
    name = NameField(max_length=200, default="")
    slug = models.SlugField(max_length=80, default="", db_index=False)
    to_review = models.BooleanField(default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("stored health score")
        verbose_name_plural = _("stored health scores")
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="healthscore_score_0_100"),
            models.CheckConstraint(
                condition=Q(band__in=["healthy", "watch", "risk"]), name="healthscore_band_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["band"], name="healthscore_band"),
            # The first plans to review by name, and their count, from the index alone.
            models.Index(
                fields=["name", "account"],
                condition=Q(to_review=True),
                name="healthscore_to_review",
            ),
            models.Index(fields=["name", "account"], name="healthscore_name"),
            # Expired plans: a few rows among thousands.
            models.Index(
                fields=["plan_end"], condition=Q(plan__isnull=False), name="healthscore_plan_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.score} ({self.day})"


class HealthScoreSweep(models.Model):
    """When every stored score was last checked, and the "all" counter then.

    One row. While the counter of any change at all (core.fragments "all")
    and the day are those of the last sweep, and it is under an hour old, no
    account can be stale and portfolio.scores.refresh skips reading every
    account's counter (5,000 of them on a large portfolio).
    """

    SINGLETON_ID = 1

    all_generation = models.BigIntegerField()
    day = models.DateField()
    swept_at = models.DateTimeField()

    class Meta:
        verbose_name = _("health score sweep")
        verbose_name_plural = _("health score sweeps")

    def __str__(self) -> str:
        return f"{self.day} at {self.all_generation}"
