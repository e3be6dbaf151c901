"""Revenue per year: the account's actuals against its plans' targets, and the actuals' form.

One rule for every page (account list, overview, plan, portfolio, exports,
print): a year's actual is compared only with the same year's target, and
the target of a year is the one of the plan covering that year. Plans never
overlap and keep targets only inside their period, so there is at most one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.amounts import whole
from accounts.models import KeyAccount, PlanRevenueTarget, RevenueActual
from core.forms import VersionedForm, bounded_formfield
from core.localized_numbers import LocalizedAmountField
from core.money import currency
from core.prepared import prepared


def reporting_year(today: datetime.date | None = None) -> int:
    """The year lists compare by default: this year, the one the plans' targets address.

    Its actual is what was booked so far; earlier years are one click away.
    """
    return (today or timezone.localdate()).year


def attainment(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """The actual as a share of the same year's target, in per cent; None without both."""
    if actual is None or not target:
        return None
    return actual * 100 / target


def targets_of_year(year: int) -> Any:
    """Targets for `year` of the plan covering it, per account (OuterRef "pk")."""
    return PlanRevenueTarget.objects.filter(
        plan__account=OuterRef("pk"),
        plan__start_year__lte=year,
        plan__end_year__gte=year,
        year=year,
    )


def revenue_columns(year: int) -> dict[str, Subquery]:
    """Annotations for a KeyAccount queryset: `revenue_actual` and `revenue_target` of `year`."""
    actuals = RevenueActual.objects.filter(account=OuterRef("pk"), year=year)
    return {
        "revenue_actual": Subquery(actuals.values("amount")[:1]),
        "revenue_target": Subquery(targets_of_year(year).values("amount")[:1]),
    }


@dataclass(frozen=True)
class RevenueYear:
    """One year of one account: what was booked, what the plan aimed at."""

    year: int
    actual: RevenueActual | None
    target: Decimal | None
    this_year: int

    @property
    def is_current(self) -> bool:
        """This year: its actual is what was booked so far."""
        return self.year == self.this_year

    @property
    def is_future(self) -> bool:
        return self.year > self.this_year

    @property
    def actual_amount(self) -> Decimal | None:
        return self.actual.amount if self.actual else None

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.actual_amount, self.target)


def revenue_years(
    account: KeyAccount, years: list[int] | None = None, *, today: datetime.date | None = None
) -> list[RevenueYear]:
    """`years` of `account` (default: every year with an actual or a target), newest last.

    Two queries, whatever the number of years.
    """
    this_year = (today or timezone.localdate()).year
    actuals = {a.year: a for a in _actuals(account.pk)}
    targets: dict[int, Decimal] = {}
    for target in _targets(account.pk):
        if target.plan.covers(target.year):
            targets[target.year] = target.amount
    shown = sorted(set(years) if years is not None else set(actuals) | set(targets))
    return [RevenueYear(y, actuals.get(y), targets.get(y), this_year) for y in shown]


@prepared
def _actuals(account_id: int) -> QuerySet[RevenueActual]:
    return RevenueActual.objects.filter(account_id=account_id)


@prepared
def _targets(account_id: int) -> QuerySet[PlanRevenueTarget]:
    return PlanRevenueTarget.objects.filter(plan__account_id=account_id).select_related("plan")


class RevenueActualForm(VersionedForm):
    """A lead records (or corrects) the revenue of one year."""

    class Meta:
        model = RevenueActual
        formfield_callback = bounded_formfield
        fields = ["year", "amount"]
        field_classes = {"amount": LocalizedAmountField}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.initial["amount"] = whole(self.initial.get("amount"))
        self.fields["amount"].label = _("Actual revenue (%(currency)s)") % {"currency": currency()}
        self.fields["amount"].help_text = _(
            "What the customer bought from us in that year; for this year, so far."
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(
                _("%(year)s has not begun yet: record its revenue once it is booked.")
                % {"year": year}
            )
        taken = self.instance.account.revenue_actuals.filter(year=year).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The revenue of %(year)s is recorded already: edit that entry instead.")
                % {"year": year}
            )
        return year
