"""Money on screen: one currency per installation, in the number format of the language.

The currency is the setting KAMTEAM_CURRENCY (an ISO 4217 code, default EUR).
Amounts are whole units with the language's grouping, and the symbol where
the language puts it: "€4,200,000" in English, "4.200.000 €" in German.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import get_language

# Symbols of the currencies a European company is likely to invoice in; any
# other code is written out ("SEK 4,200,000", "4.200.000 SEK").
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}
# Languages that write the currency after the number.
SYMBOL_AFTER = {"de"}
NBSP = "\u00a0"


def currency() -> str:
    """The installation's currency code, e.g. "EUR"."""
    return settings.KAMTEAM_CURRENCY


def format_money(value: Decimal | int) -> str:
    """`value` in whole units of the currency, grouped and placed as the language writes it."""
    # Rounded to whole units, half up (number_format would cut the cents off:
    # -1.50 read "-1"), and a difference that rounds to nothing has no sign.
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0
    number = number_format(whole, decimal_pos=0, use_l10n=True, force_grouping=True)
    code = currency()
    symbol = SYMBOLS.get(code, code)
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language in SYMBOL_AFTER:
        return f"{number}{NBSP}{symbol}"
    # A written-out code needs a space before the number; a symbol sits right at it.
    # A sign stays in front of both: "-€300,000", not "€-300,000".
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}{symbol}{digits}" if symbol != code else f"{sign}{code}{NBSP}{digits}"


def format_percent(value: Decimal | float) -> str:
    """A share in whole per cent, rounded half up: "93%" in English, "93 %" in German."""
    rounded = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    number = number_format(rounded, decimal_pos=0, use_l10n=True, force_grouping=True)
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return f"{number}{NBSP}%" if language in SYMBOL_AFTER else f"{number}%"
