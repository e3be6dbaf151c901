"""Amount fields of the plan forms: one per plan year, in whole euros."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms

from accounts.models import MONEY
from core.localized_numbers import LocalizedAmountField
from core.money import currency


def whole(value: Decimal | None) -> Decimal | None:
    """4200000.00 shows as 4200000 in an input: euros are planned in whole numbers."""
    if value is not None and value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def add_yearly_amounts(
    fields: dict[str, forms.Field],
    years: list[int],
    saved: dict[int, Decimal],
    *,
    name: Callable[[int], str],
    label: Any,
) -> None:
    """One optional amount field per year, named `name(year)`, showing the `saved` amount.

    `label` is formatted with the year and the currency: the global plan's
    revenue targets and a national plan's targets are entered the same way.
    """
    for year in years:
        fields[name(year)] = LocalizedAmountField(
            label=label % {"year": year, "currency": currency()},
            required=False,
            initial=whole(saved.get(year)),
            min_value=Decimal(0),
            **MONEY,
        )
