"""Small display helpers shared by the account pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0


@register.filter
def money(value: Decimal | int | None) -> str:
    """Whole euros with the language's thousands separator: '1.250.000 €'."""
    if value is None or value == "":
        return "–"
    return f"{number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)} €"


@register.filter
def attitude_class(value: int) -> str:
    """Bootstrap colour of an attitude towards us, from opponent to supporter."""
    if value >= 2:
        return "text-bg-success"
    if value == 1:
        return "bg-success-subtle text-success-emphasis"
    if value == 0:
        return "text-bg-secondary"
    if value == -1:
        return "bg-warning-subtle text-warning-emphasis"
    return "text-bg-danger"


@register.filter
def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)
