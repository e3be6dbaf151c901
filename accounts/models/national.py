"""National plans under a global account's plan: one per country, kept by its NKAM.

A national plan covers the period of the global plan it belongs to. Its
targets add up to (or explain their difference from) the global target; its
objectives say which global objective they serve; and it states whether the
country's offers follow the global framework contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models.constants import MONEY, YEAR_MAX, YEAR_MIN
from accounts.models.plans import KeyAccountPlan, ObjectiveFields, PlanObjective, PotentialFields
from core.models import Versioned


class NationalPlan(Versioned):
    """One country's plan under the global plan, for the same period."""

    plan = models.ForeignKey(
        KeyAccountPlan,
        on_delete=models.CASCADE,
        related_name="national_plans",
        verbose_name=_("global plan"),
    )
    # The plan's account, kept by save(): the rows below reach the account in
    # two steps, as the fragment cache's declarations need (core.fragments).
    account = models.ForeignKey(
        "accounts.KeyAccount",
        on_delete=models.CASCADE,
        related_name="national_plans",
        editable=False,
        verbose_name=_("account"),
    )
    country = CountryField(_("country or region"))
    follows_framework = models.BooleanField(
        _("offers follow the framework contract"),
        default=True,
        help_text=_("National offers keep to the current global framework contract."),
    )
    exception_reason = models.TextField(
        _("reason for the exception"),
        blank=True,
        help_text=_("Why offers in this country do not follow the framework contract."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national plan")
        verbose_name_plural = _("national plans")
        ordering = ["plan", "country"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "country"], name="nationalplan_unique_country"),
            models.CheckConstraint(condition=~Q(country=""), name="nationalplan_has_country"),
            # An exception to the framework contract is visible to the GKAM and
            # management only with its reason.
            models.CheckConstraint(
                condition=Q(follows_framework=True) | ~Q(exception_reason=""),
                name="nationalplan_exception_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.country.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.account_id = self.plan.account_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "accounts:national_plan",
            args=[self.plan.account.slug, self.plan_id, self.country.code.lower()],
        )

    def clean(self) -> None:
        if not self.follows_framework and not self.exception_reason.strip():
            raise ValidationError(
                {
                    "exception_reason": _(
                        "Say why offers in this country do not follow the framework contract."
                    )
                }
            )


class NationalTarget(models.Model):
    """A national revenue target for one year of the plan's period."""

    national_plan = models.ForeignKey(
        NationalPlan,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("national plan"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    amount = models.DecimalField(
        _("national target"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national target")
        verbose_name_plural = _("national targets")
        ordering = ["national_plan", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_plan", "year"], name="nationaltarget_unique_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="nationaltarget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class NationalPotential(PotentialFields):
    """Business we could win in this country."""

    national_plan = models.ForeignKey(
        NationalPlan,
        on_delete=models.CASCADE,
        related_name="potentials",
        verbose_name=_("national plan"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national potential")
        verbose_name_plural = _("national potentials")
        ordering = ["year", "-estimated_value", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="nationalpotential_value_not_negative",
            ),
        ]


class NationalObjective(ObjectiveFields):
    """A country's objective, linked to the global objective it serves."""

    national_plan = models.ForeignKey(
        NationalPlan,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("national plan"),
    )
    serves = models.ForeignKey(
        PlanObjective,
        # Deleting a global objective keeps the national ones; they show as unlinked.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="national_objectives",
        verbose_name=_("serves the global objective"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national objective")
        verbose_name_plural = _("national objectives")
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["relationship", "business"]),
                name="nationalobjective_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "achieved", "missed"]),
                name="nationalobjective_status_valid",
            ),
        ]

    def clean(self) -> None:
        if (
            self.serves_id
            and self.national_plan_id
            and (self.serves.plan_id != self.national_plan.plan_id)
        ):
            raise ValidationError(
                {"serves": _("Choose an objective of the global plan this national plan is under.")}
            )
