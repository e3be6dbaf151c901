"""Decimal inputs in the reader's number format, both ways.

A German reader types "1,5" and reads "2,0" in an error message; an English
reader types "1.5". The browser's own <input type="number"> cannot be trusted
with this: what it accepts and what it sends for "1,5" depends on the
browser's locale, not the page's language, and Chromium sends nothing at all
for text it cannot parse. So these fields are text inputs with
inputmode="decimal" (the phone shows its number pad), parsed and shown by the
server in the language of the page.

The decimal point is always accepted as well: with no thousands separator
in use (USE_THOUSAND_SEPARATOR is off), "1.5" cannot mean fifteen in German.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import get_format, number_format

# Typed or pasted minus signs that are not the ASCII hyphen-minus: the page
# itself writes the bounds with U+2212 MINUS SIGN, and phones offer the dashes.
MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})


def localized(value: Any) -> str:
    """A number as the active language writes it: "2,0" in German, "2.0" in English."""
    return number_format(value, use_l10n=True)


class _LocalizedLimit:
    """Shows the limit and the typed value in the active language's number format."""

    def __call__(self, value: Any) -> None:
        try:
            super().__call__(value)  # type: ignore[misc]
        except ValidationError as error:
            params = dict(error.params or {})
            for key in ("limit_value", "show_value"):
                if isinstance(params.get(key), int | float | Decimal):
                    params[key] = localized(params[key])
            raise ValidationError(error.message, code=error.code, params=params) from None


class LocalizedMinValueValidator(_LocalizedLimit, MinValueValidator):
    pass


class LocalizedMaxValueValidator(_LocalizedLimit, MaxValueValidator):
    pass


def _localize_limit(validator: Any) -> Any:
    if type(validator) is MinValueValidator:
        return LocalizedMinValueValidator(validator.limit_value, validator.message)
    if type(validator) is MaxValueValidator:
        return LocalizedMaxValueValidator(validator.limit_value, validator.message)
    return validator


class LocalizedDecimalField(forms.DecimalField):
    """A DecimalField read and written in the language of the page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["localize"] = True
        attrs = {"inputmode": "decimal", "autocomplete": "off"}
        widget = kwargs.pop("widget", None) or forms.TextInput
        if isinstance(widget, type):
            widget = widget(attrs=attrs)
        else:
            widget.attrs = attrs | widget.attrs
        super().__init__(widget=widget, **kwargs)
        self.validators = [_localize_limit(v) for v in self.validators]

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().translate(MINUS_SIGNS)
            # Decimal() reads "1_000" and the digits of every script (full-width, Arabic-Indic):
            # only the digits people see as numbers here (as core.params does).
            if not value.isascii() or "_" in value:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


# Spaces people type or paste inside amounts ("4 700 000", Swiss "4'700'000").
_AMOUNT_SPACES = str.maketrans({" ": "", "\u00a0": "", "\u202f": "", "'": "", "\u2019": ""})


def _plain_amount(text: str) -> str:
    """ "4.700.000,50" (German) or "4,700,000.50" (English) as "4700000.50".

    Grouping is read only where it cannot be a decimal mark: groups of exactly
    three digits. "1.5" in German is one and a half, as in every other number
    field of the app; "4.700" is four thousand seven hundred.
    """
    value = text.strip().translate(MINUS_SIGNS).translate(_AMOUNT_SPACES)
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    group = str(get_format("THOUSAND_SEPARATOR"))
    dec, grp = re.escape(decimal), re.escape(group)
    # Other scripts' digits (\d) pass here; LocalizedDecimalField.to_python refuses them.
    if re.fullmatch(rf"-?\d{{1,3}}(?:{grp}\d{{3}})+(?:{dec}\d+)?", value):
        return value.replace(group, "").replace(decimal, ".")
    if re.fullmatch(rf"-?\d+(?:{dec}\d+)?", value):
        return value.replace(decimal, ".")
    if decimal != "." and re.fullmatch(r"-?\d+\.\d{1,2}", value):
        return value
    return text  # not an amount: DecimalField says so at the field


class LocalizedAmountField(LocalizedDecimalField):
    """An amount of money, typed and shown with the language's grouping.

    A German KAM types "4.700.000" or "4700000,50", an English one
    "4,700,000"; both read the amount back grouped as they would write it.
    """

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and value.strip():
            value = _plain_amount(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            # Whole amounts without ",00": euros are planned in whole numbers.
            if isinstance(value, Decimal) and value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            return number_format(value, force_grouping=True, use_l10n=True)
        return value
