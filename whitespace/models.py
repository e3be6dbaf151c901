"""The whitespace map of a key account: the customer's units against our offerings."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import MONEY, KeyAccount
from core.models import Versioned


class Offering(models.Model):
    """A product line or service of ours: one column of every account's map, kept by staff."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("short description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active offerings are columns of the map.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="offering_unique_name",
                violation_error_message=_("There is already an offering with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CustomerUnit(Versioned):
    """A business unit, plant or country of the customer: one row of the account's map."""

    class Kind(models.TextChoices):
        BUSINESS_UNIT = "business_unit", _("business unit")
        PLANT = "plant", _("plant")
        COUNTRY = "country", _("country")

    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.PROTECT,
        related_name="customer_units",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PLANT)
    country = CountryField(_("country"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer unit")
        verbose_name_plural = _("customer units")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                "account", Lower("name"), name="customerunit_unique_name_per_account"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["business_unit", "plant", "country"]),
                name="customerunit_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CellStatus(models.TextChoices):
    SUPPLY = "supply", _("we supply")
    OPPORTUNITY = "opportunity", _("opportunity")
    COMPETITOR = "competitor", _("competitor supplies")
    NO_NEED = "no_need", _("no need")
    UNKNOWN = "unknown", _("unknown")


class WhitespaceCell(Versioned):
    """What one unit buys of one offering: from us, from a competitor, not at all."""

    unit = models.ForeignKey(
        CustomerUnit, on_delete=models.CASCADE, related_name="cells", verbose_name=_("unit")
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="cells", verbose_name=_("offering")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CellStatus, default=CellStatus.UNKNOWN
    )
    yearly_value = models.DecimalField(
        _("yearly value"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("whitespace cell")
        verbose_name_plural = _("whitespace cells")
        constraints = [
            models.UniqueConstraint(fields=["unit", "offering"], name="whitespacecell_unique"),
            models.CheckConstraint(
                condition=Q(yearly_value__isnull=True) | Q(yearly_value__gte=0),
                name="whitespacecell_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CellStatus]),
                name="whitespacecell_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} × {self.offering}"
