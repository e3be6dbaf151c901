"""Safe text for spreadsheet exports.

A cell that starts with =, +, - or @ is run as a formula by Excel and
LibreOffice, so an account named "=HYPERLINK(...)" would become a live
formula in a manager's workbook (CSV injection). Such text is exported with
a leading apostrophe, which spreadsheet programs show as plain text.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
