"""What a key account actually bought from us, year by year.

The targets per year belong to the plan (`PlanRevenueTarget`); the actuals
belong to the account, since they exist whether or not a plan covered the
year. Pages compare a year's actual only with the same year's target.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models.accounts import KeyAccount
from accounts.models.constants import MONEY, YEAR_MAX, YEAR_MIN
from core.models import Versioned


class RevenueActual(Versioned):
    """The revenue of one account in one year, as the books have it (or so far this year)."""

    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.PROTECT,
        related_name="revenue_actuals",
        verbose_name=_("account"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    amount = models.DecimalField(
        _("actual revenue"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revenue actual")
        verbose_name_plural = _("revenue actuals")
        ordering = ["account", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="revenueactual_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenueactual_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="revenueactual_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.year}"
