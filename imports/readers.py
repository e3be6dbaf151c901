"""Reading an uploaded spreadsheet (.xlsx or .csv) into rows of text.

openpyxl reads .xlsx (already used for the exports); the standard library's
csv reads .csv. Every cell becomes text: a formula stays the formula's text
and is never evaluated, a number or date is written the way a person would
type it. Whatever a file is, reading it is bounded: by its size (checked
before this), by IMPORT_MAX_ROWS rows and by MAX_COLUMNS columns.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Beyond this many columns a sheet is not one of our templates.
MAX_COLUMNS = 60
# An .xlsx is a zip; a password-protected one, and an old .xls, are OLE
# compound files with this signature.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# The encodings a .csv may come in, tried in this order: UTF-8 (with or without
# the byte-order mark Excel writes) first, Windows-1252 (German Excel) last.
ENCODINGS = ("utf-8-sig", "cp1252")


class FileRefused(Exception):
    """The file cannot be read; the message says why in the reader's words."""


@dataclass
class Table:
    """The file's header and its rows, each a list of cell texts, numbered as in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def read_table(name: str, data: bytes) -> Table:
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(OLE_SIGNATURE):
        raise FileRefused(
            _(
                "The file is password-protected or an old .xls workbook. Save it "
                "without a password as .xlsx or .csv and upload it again."
            )
        )
    if data.startswith(ZIP_SIGNATURE):
        table = _read_xlsx(data)
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("The file is not an Excel workbook (.xlsx), though its name says so."))
    else:
        table = _read_csv(data)
    if not table.header or not any(table.header):
        raise FileRefused(_("The file has no header row."))
    if not table.rows:
        raise FileRefused(_("The file has a header but no rows to import."))
    return table


# How many rows a file may run to, empty ones included, as a multiple of IMPORT_MAX_ROWS.
EMPTY_ROWS_FACTOR = 5


def _too_many_rows() -> FileRefused:
    return FileRefused(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)}
    )


def _cell_text(value: object) -> str:
    """A cell as the person typed it; never evaluated (a formula stays text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value).strip()


def _trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells at the end (a sheet read up to MAX_COLUMNS has them)."""
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _collected(rows: Iterable[list[str]]) -> Table:
    """The first row as the header, then the rows with anything in them, read lazily
    and no further than IMPORT_MAX_ROWS. Rows are numbered as a spreadsheet shows
    them (a quoted line break stays inside its row), the header being row 1."""
    table: Table | None = None
    # Empty rows count too, more generously: a 5 kB workbook with one cell in
    # A1 and one in row 1,048,576 made openpyxl hand over a million empty rows
    # (six seconds of a worker), and none of them counted against the limit.
    last_row = settings.IMPORT_MAX_ROWS * EMPTY_ROWS_FACTOR
    for number, cells in enumerate(rows, start=1):
        if number > last_row:
            raise FileRefused(
                _(
                    "The file runs on past row %(row)s, mostly empty. Delete the empty "
                    "rows below your data, save it and upload it again."
                )
                # Grouped as the reader writes numbers: "50,000" is fifty in German.
                % {"row": number_format(last_row, force_grouping=True)}
            )
        if table is None:
            table = Table(header=cells)
        elif any(cells):
            if len(table.rows) >= settings.IMPORT_MAX_ROWS:
                raise _too_many_rows()
            table.rows.append((number, cells))
    return table or Table(header=[])


def _read_xlsx(data: bytes) -> Table:
    # Imported here: openpyxl takes a moment to load, and only imports need it.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet; data_only=False keeps a formula's text
        # instead of a cached result (nothing here ever evaluates it).
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRefused(_("The file is not a readable Excel workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        return _collected(_trimmed([_cell_text(v) for v in values]) for values in rows)
    except FileRefused:
        raise
    except Exception as error:  # a damaged part of the zip surfaces only while reading
        raise FileRefused(_("The file is not a readable Excel workbook.")) from error
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileRefused(
            _("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a .csv file.")
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_nul(text)
        return text
    raise FileRefused(
        _("The file's characters cannot be read. Save it as UTF-8 or as Windows CSV.")
    )


def _refuse_nul(text: str) -> None:
    """A NUL further in than the binary check looks: no database stores it (PostgreSQL
    refuses it in text), so the file is refused with its line, before any preview."""
    at = text.find("\x00")
    if at >= 0:
        raise FileRefused(
            _(
                "Line %(line)s of the file holds a NUL character, which cannot be stored: "
                "remove it and upload the file again."
            )
            % {"line": text.count("\n", 0, at) + 1}
        )


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # German Excel separates with semicolons; others with commas.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _collected([v.strip() for v in values[:MAX_COLUMNS]] for values in reader)
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)s of the file is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
