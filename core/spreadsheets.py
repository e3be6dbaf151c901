"""Safe text for spreadsheet exports: every export writes through this module.

A cell that starts with =, +, - or @ is run as a formula by Excel and
LibreOffice, so an account named "=HYPERLINK(...)" would become a live
formula in a manager's workbook (CSV injection). Such text is exported with
a leading apostrophe, which spreadsheet programs show as plain text.

Exports do not quote cell by cell: csv_text() and workbook_bytes() quote
every cell (header rows, titles and legends included) and the sheet titles
on the way out, so a cell added later cannot be forgotten.

The .xlsx format cannot hold most control characters, and openpyxl refuses
them the moment a cell is written: a vertical tab pasted into an account's
name stopped every manager's portfolio export with a server error. Every
workbook is made by new_workbook(), whose sheets write such a character as
a space.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

from django.utils.formats import get_format, number_format
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

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


def csv_number(value: Any) -> Any:
    """A number as the active language writes it ("3100000,00" in German), anything else as is.

    No thousands separator: Excel reads "3100000,00" as a number in German,
    and a grouped "3.100.000,00" would be text to an English reader's tools.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return number_format(value, use_l10n=True, force_grouping=False)
    return value


def csv_delimiter() -> str:
    """The separator: ";" where the language writes a decimal comma, "," elsewhere.

    Excel splits a CSV at the list separator of the reader's Windows locale,
    which is ";" wherever the decimal separator is ",": a German Excel put
    a comma-separated file into one column.
    """
    return ";" if get_format("DECIMAL_SEPARATOR") == "," else ","


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV in the active language's conventions, every cell made safe, with a
    byte order mark.

    Excel opens a UTF-8 file (Grün, Müller) correctly only with the mark. In
    German the cells are separated by ";" and numbers have a decimal comma,
    as a German Excel reads them (csv_delimiter, csv_number); a cell holding
    the separator is quoted by the csv module.
    """
    out = StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=csv_delimiter())
    # Made safe before it is formatted: a negative number is a number, not a formula.
    writer.writerows([csv_number(safe_cell(value)) for value in row] for row in rows)
    return out.getvalue()


def storable(value: Any) -> Any:
    """Text with the control characters .xlsx cannot hold written as spaces; else as is."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(" ", value)
    return value


class _Sheet(Worksheet):
    """A sheet whose cells take any text (storable): what cell(), append() and
    sheet["A1"] = ... write. (A Cell's own .value is openpyxl's: exports write
    through the sheet.)"""

    def cell(self, row: int, column: int, value: Any = None) -> Any:
        return super().cell(row, column, storable(value))

    def __setitem__(self, key: Any, value: Any) -> None:  # sheet["A1"] = ...
        super().__setitem__(key, storable(value))

    def append(self, iterable: Any) -> None:
        if isinstance(iterable, dict):
            super().append({key: storable(value) for key, value in iterable.items()})
        else:
            super().append([storable(value) for value in iterable])


class _Workbook(Workbook):
    def __init__(self) -> None:
        super().__init__()
        self._sheets.clear()  # the first sheet, as openpyxl makes it, but a _Sheet
        self._sheets.append(_Sheet(self))

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        sheet = _Sheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def new_workbook() -> Workbook:
    """An empty workbook for an export, its sheets made with storable text."""
    return _Workbook()


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
