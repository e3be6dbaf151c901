"""Safe text for spreadsheet exports: every export writes through this module.

A cell that starts with =, +, - or @ is run as a formula by Excel and
LibreOffice, so an account named "=HYPERLINK(...)" would become a live
formula in a manager's workbook (CSV injection). Such text is exported with
a leading apostrophe, which spreadsheet programs show as plain text.

Exports do not quote cell by cell: csv_text() and workbook_bytes() quote
every cell (header rows, titles and legends included) and the sheet titles
on the way out, so a cell added later cannot be forgotten.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from io import BytesIO, StringIO
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel refuses these in a sheet title, and a title of more than 31 characters.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_sheet_title(title: str) -> str:
    """A sheet title Excel accepts that does not start like a formula.

    An apostrophe cannot start or end a sheet title in Excel, so formula
    starts are dropped here instead of quoted.
    """
    text = SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).lstrip("".join(FORMULA_STARTS) + "' ")
    return text[:SHEET_TITLE_MAX].rstrip("' ") or "Sheet"


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV, every cell quoted, with a byte order mark.

    Excel opens a UTF-8 file (Grün, Müller) correctly only with the mark.
    """
    out = StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx, with every text cell and sheet title made safe."""
    for ws in wb.worksheets:
        ws.title = safe_sheet_title(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                # openpyxl stores a string starting with = as a formula (type "f");
                # the quoted text is stored as a string.
                safe = safe_cell(cell.value)
                if safe is not cell.value:
                    cell.value = safe
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
