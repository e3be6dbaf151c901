"""A key account's multi-year plans: revenue targets, potentials, objectives."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models.accounts import AccountTeamMember, KeyAccount
from accounts.models.constants import MAX_PLAN_YEARS, MONEY, YEAR_MAX, YEAR_MIN
from core.constraints import PostgresExclusionConstraint, YearRange
from core.models import KeptHistoricalRecords, Versioned
from core.validators import SupportedDatesModel

# Leads are warned this many days before their plan's period ends, so that the
# next plan can be worked out in a workshop before the old one expires.
PLAN_EXPIRY_WARNING_DAYS = 90


class KeyAccountPlanQuerySet(models.QuerySet["KeyAccountPlan"]):
    def current_first(self, year: int) -> KeyAccountPlanQuerySet:
        """The plans ordered by the rule for an account's *current* plan, first.

        The current plan is the one covering `year`, else the latest to start.
        Every page that shows "the plan" (workspace, home, portfolio, print)
        takes the first of this order, so they cannot disagree.
        """
        return self.annotate(
            covers=Case(
                When(start_year__lte=year, end_year__gte=year, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ).order_by("-covers", "-start_year")


class KeyAccountPlan(SupportedDatesModel, Versioned):
    """The multi-year key account plan, worked out with the core team."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed")

    objects = KeyAccountPlanQuerySet.as_manager()

    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="plans", verbose_name=_("account")
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    account_profile = models.TextField(
        _("account profile"),
        blank=True,
        help_text=_("Who the customer is: business, markets, organisation, history with us."),
    )
    swot_strengths = models.TextField(_("customer strengths"), blank=True)
    swot_weaknesses = models.TextField(_("customer weaknesses"), blank=True)
    swot_opportunities = models.TextField(_("customer opportunities"), blank=True)
    swot_threats = models.TextField(_("customer threats"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    workshop_date = models.DateField(
        _("workshop date"),
        null=True,
        blank=True,
        help_text=_("When the team worked out this plan together."),
    )
    workshop_participants = models.ManyToManyField(
        AccountTeamMember,
        blank=True,
        related_name="plan_workshops",
        verbose_name=_("workshop participants"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    history = KeptHistoricalRecords(m2m_fields=[workshop_participants])

    class Meta:
        verbose_name = _("key account plan")
        verbose_name_plural = _("key account plans")
        ordering = ["account", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "start_year"], name="plan_unique_start"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year"))
                & Q(end_year__lt=F("start_year") + MAX_PLAN_YEARS),
                name="plan_period_1_to_10_years",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "agreed"]), name="plan_status_valid"
            ),
            # clean() names the overlapping plan; this guards against two saves at once.
            PostgresExclusionConstraint(
                name="plan_periods_do_not_overlap",
                expressions=[
                    ("account", RangeOperators.EQUAL),
                    (YearRange("start_year", "end_year"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:plan_detail", args=[self.account.slug, self.pk])

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    # Expiry: a plan is expired once its last year is over. It then counts as
    # no plan at all (portfolio health) and every page says so, whatever its status.

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.end_year, 12, 31)

    def is_expired_on(self, today: datetime.date) -> bool:
        return self.end_year < today.year

    def runs_out_within(self, today: datetime.date, days: int = PLAN_EXPIRY_WARNING_DAYS) -> bool:
        """True while the plan is running and ends within `days` of `today`."""
        # Not self.covers(): current_first() annotates a `covers` column over it.
        running = self.start_year <= today.year <= self.end_year
        return running and (self.ends_on - today).days <= days

    @property
    def is_expired(self) -> bool:
        return self.is_expired_on(timezone.localdate())

    @property
    def days_left(self) -> int:
        return (self.ends_on - timezone.localdate()).days

    @property
    def has_content(self) -> bool:
        """A strategy or at least one objective: what makes an agreed plan worth full points.

        Uses the prefetched objectives when there are any (plans_with_rows).
        """
        if self.strategy.strip():
            return True
        if "objectives" in getattr(self, "_prefetched_objects_cache", {}):
            return bool(self.objectives.all())
        return self.objectives.exists()

    def clean(self) -> None:
        if self.start_year and self.end_year:
            if self.end_year < self.start_year:
                raise ValidationError(
                    {"end_year": _("The end year cannot be before the start year.")}
                )
            if self.end_year - self.start_year >= MAX_PLAN_YEARS:
                raise ValidationError(
                    {"end_year": _("A plan covers at most %(n)d years.") % {"n": MAX_PLAN_YEARS}}
                )
            if self.account_id:
                overlapping = (
                    KeyAccountPlan.objects.filter(account_id=self.account_id)
                    .exclude(pk=self.pk)
                    .filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
                    .first()
                )
                if overlapping:
                    raise ValidationError(
                        _("This period overlaps the plan %(period)s of this account.")
                        % {"period": overlapping.period}
                    )


class PlanRevenueTarget(models.Model):
    plan = models.ForeignKey(
        KeyAccountPlan, on_delete=models.CASCADE, related_name="revenue_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("revenue target"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revenue target")
        verbose_name_plural = _("revenue targets")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="revenuetarget_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenuetarget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class PotentialFields(Versioned):
    """What a potential says, in the global plan and in a national one."""

    description = models.CharField(_("description"), max_length=300)
    estimated_value = models.DecimalField(
        _("estimated value"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.description


class PlanPotential(PotentialFields):
    """Whitespace: business we could win at this customer."""

    plan = models.ForeignKey(KeyAccountPlan, on_delete=models.CASCADE, related_name="potentials")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("potential")
        verbose_name_plural = _("potentials")
        ordering = ["year", "-estimated_value", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="potential_value_not_negative",
            ),
        ]


class ObjectiveFields(SupportedDatesModel, Versioned):
    """What an objective says, in the global plan and in a national one."""

    class Kind(models.TextChoices):
        RELATIONSHIP = "relationship", _("relationship goal")
        BUSINESS = "business", _("business goal")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        ACHIEVED = "achieved", _("achieved")
        MISSED = "missed", _("missed")

    text = models.CharField(_("objective"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.BUSINESS)
    target = models.CharField(
        _("target"), max_length=200, blank=True, help_text=_("How we measure it, e.g. '+15 %'.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text


class PlanObjective(ObjectiveFields):
    plan = models.ForeignKey(KeyAccountPlan, on_delete=models.CASCADE, related_name="objectives")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["relationship", "business"]), name="objective_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "achieved", "missed"]),
                name="objective_status_valid",
            ),
        ]

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
        )
