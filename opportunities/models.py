"""Opportunities: concrete deals at a key account that close the gap to the plan's target."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MONEY, AccountTeamMember, KeyAccount, PlanObjective, PlanPotential
from core.i18n import pick
from core.models import Versioned
from core.validators import SupportedDatesModel
from whitespace.models import WhitespaceCell

# The smallest value an opportunity may have: one cent.
MIN_VALUE = Decimal("0.01")


class OpportunityStage(models.Model):
    """A step of the sales process (qualify, develop, ...), kept by staff in the admin."""

    name_en = models.CharField(_("name (English)"), max_length=60, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=60, unique=True)
    default_probability = models.PositiveSmallIntegerField(
        _("default probability (%)"),
        validators=[MaxValueValidator(100)],
        help_text=_("A new opportunity at this stage starts with this probability."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active stages can be chosen.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opportunity stage")
        verbose_name_plural = _("opportunity stages")
        ordering = ["order", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_probability__lte=100), name="oppstage_probability_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_de)


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def open(self) -> OpportunityQuerySet:
        return self.filter(status=Opportunity.Status.OPEN)

    def closing_in(self, year: int) -> OpportunityQuerySet:
        """Expected to close within `year` (a range, so the index serves it)."""
        return self.closing_between(*year_bounds(year))

    def closing_between(self, first: datetime.date, last: datetime.date) -> OpportunityQuerySet:
        return self.filter(expected_close__gte=first, expected_close__lte=last)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of `year`."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# The weighted value times 100 (value x probability in per cent), in SQL: sums
# stay exact decimals; divide by 100 once, after summing.
WEIGHTED_X100 = F("value") * F("probability")


class Opportunity(SupportedDatesModel, Versioned):
    """A concrete deal: value, probability, stage, expected close, owner and next step."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        WON = "won", _("won")
        LOST = "lost", _("lost")

    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("account"),
    )
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("value"), **MONEY, validators=[MinValueValidator(MIN_VALUE)])
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"),
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty to take the stage's default."),
    )
    stage = models.ForeignKey(
        OpportunityStage,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("stage"),
    )
    expected_close = models.DateField(_("expected close"))
    owner = models.ForeignKey(
        AccountTeamMember,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("owner"),
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    # A deleted potential or objective leaves the opportunity without the link.
    potential = models.ForeignKey(
        PlanPotential,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("potential"),
    )
    objective = models.ForeignKey(
        PlanObjective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("objective"),
    )
    whitespace_cell = models.ForeignKey(
        WhitespaceCell,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("whitespace cell"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="opportunity_probability_0_to_100",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="opportunity_value_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "won", "lost"]), name="opportunity_status_valid"
            ),
            # Open: not closed. Won or lost: a reason and the day it closed.
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (Q(status__in=["won", "lost"], closed_on__isnull=False) & ~Q(reason="")),
                name="opportunity_closed_has_reason",
            ),
        ]
        indexes = [
            # The plan's and the portfolio's pipeline: an account's open ones closing in a year.
            models.Index(
                fields=["account", "status", "expected_close"], name="opportunity_pipeline"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        url = reverse("opportunities:list", args=[self.account.slug])
        return f"{url}#opportunity-{self.pk}"  # everyone on the team may read the list

    @property
    def weighted_value(self) -> Decimal:
        return self.value * self.probability / 100

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self) -> None:
        errors = self._link_errors()
        if self.status in (self.Status.WON, self.Status.LOST) and not self.reason.strip():
            errors["reason"] = _("Say why it was won or lost.")
        if errors:
            raise ValidationError(errors)

    def _link_errors(self) -> dict[str, object]:
        """Owner, potential, objective and whitespace cell must belong to this account."""
        errors: dict[str, object] = {}
        if not self.account_id:
            return errors
        owner = self.owner if self.owner_id else None
        if owner and (owner.account_id != self.account_id or not owner.is_active):
            errors["owner"] = _("The owner must be on this account's team.")
        if self.potential_id and self.potential.plan.account_id != self.account_id:
            errors["potential"] = _("Choose a potential of this account's plans.")
        if self.objective_id and self.objective.plan.account_id != self.account_id:
            errors["objective"] = _("Choose an objective of this account's plans.")
        if self.whitespace_cell_id and self.whitespace_cell.unit.account_id != self.account_id:
            errors["whitespace_cell"] = _("Choose a cell of this account's whitespace map.")
        return errors
