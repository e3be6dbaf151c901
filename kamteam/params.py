"""Reading numbers from query strings without trusting them."""

from __future__ import annotations


def int_param(value: str | None, *, max_digits: int = 9) -> int | None:
    """A positive whole number written in ASCII digits, else None.

    str.isdigit() also accepts "²" or Arabic-Indic digits, which int() then
    refuses or reads unexpectedly; ids and years are plain ASCII.
    """
    if value and value.isascii() and value.isdecimal() and len(value) <= max_digits:
        return int(value)
    return None
