"""Reading uploaded files: formats, encodings, separators, and every kind of bad file."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from imports.readers import FileRefused, read_table


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_is_read_as_text_and_a_formula_stays_its_text() -> None:
    table = read_table(
        "c.xlsx",
        xlsx([["Last name", "Influence (1–5)", "Notes"], ["Berger", 4, '=HYPERLINK("x")'], []]),
    )
    assert table.header == ["Last name", "Influence (1–5)", "Notes"]
    assert table.rows == [(2, ["Berger", "4", '=HYPERLINK("x")'])]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Nachname;Position\nMüller;Einkäufer\n", "utf-8"),
        ("Nachname;Position\nMüller;Einkäufer\n", "utf-8-sig"),
        ("Nachname;Position\r\nMüller;Einkäufer\r\n", "cp1252"),
        ("Nachname,Position\nMüller,Einkäufer\n", "utf-8"),
    ],
)
def test_a_csv_in_any_of_excels_encodings_and_separators(data: str, encoding: str) -> None:
    table = read_table("c.csv", data.encode(encoding))
    assert table.header == ["Nachname", "Position"]
    assert table.rows == [(2, ["Müller", "Einkäufer"])]


def test_quoted_cells_keep_their_separators_and_line_breaks() -> None:
    table = read_table("c.csv", b'Last name;Notes\nBerger;"a; b\nc"\n')
    assert table.rows == [(2, ["Berger", "a; b\nc"])]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("c.csv", b"", "empty"),
        ("c.csv", b"   \n\n", "empty"),
        ("c.csv", b"Last name\n", "no rows"),
        ("c.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        ("c.xlsx", b"PK\x03\x04 not really a zip", "not a readable Excel"),
        ("c.xlsx", b"Last name\nBerger\n", "not an Excel workbook"),
        ("c.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "not a spreadsheet"),
        ("c.csv", b'Last name\n"Berger\n', "not valid CSV"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(name: str, data: bytes, words: str) -> None:
    with pytest.raises(FileRefused, match=words):
        read_table(name, data)


def test_an_xlsx_without_rows_is_refused() -> None:
    with pytest.raises(FileRefused, match="no rows"):
        read_table("c.xlsx", xlsx([["Last name"]]))


@override_settings(IMPORT_MAX_ROWS=10)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_more_rows_than_the_limit_are_refused_while_reading(kind: str) -> None:
    rows = [["Last name"]] + [[f"Name {i}"] for i in range(11)]
    data = xlsx(rows) if kind == "xlsx" else "\n".join(r[0] for r in rows).encode()
    with pytest.raises(FileRefused, match="more than 10 rows"):
        read_table(f"c.{kind}", data)
    ten = rows[:11]
    data = xlsx(ten) if kind == "xlsx" else "\n".join(r[0] for r in ten).encode()
    assert len(read_table(f"c.{kind}", data).rows) == 10


def _reaching_the_last_row() -> bytes:
    """A workbook with a header, one record, and a cell in Excel's last row."""
    workbook = Workbook()
    workbook.active["A1"] = "Last name"
    workbook.active["A2"] = "Berger"
    workbook.active["A1048576"] = "Zander"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_sheet_running_on_to_its_last_row_is_refused_without_reading_it_all() -> None:
    """A hostile tester's 5 kB workbook: one cell in A1, one in row 1,048,576.
    openpyxl handed over a million empty rows, six seconds of a worker, and as
    none counted against the limit the file went through."""
    with pytest.raises(FileRefused, match="runs on past row 50,000"):
        read_table("c.xlsx", _reaching_the_last_row())


@override_settings(IMPORT_MAX_ROWS=10)
def test_empty_rows_between_the_data_are_allowed_up_to_a_bound() -> None:
    rows = "Last name\n" + "\n" * 30 + "Berger\n"
    assert read_table("c.csv", rows.encode()).rows == [(32, ["Berger"])]
    too_far = "Last name\n" + "\n" * 60 + "Berger\n"
    with pytest.raises(FileRefused, match="runs on past row 50,"):
        read_table("c.csv", too_far.encode())
    # 49 empty lines: the record is line 51, one past the bound.
    just_past = "Last name\n" + "\n" * 49 + "Berger\n"
    with pytest.raises(FileRefused, match="past row 50,"):
        read_table("c.csv", just_past.encode())
    at_the_bound = "Last name\n" + "\n" * 48 + "Berger\n"
    assert read_table("c.csv", at_the_bound.encode()).rows == [(50, ["Berger"])]


def test_the_row_limits_are_written_as_a_german_reader_writes_numbers() -> None:
    """ "50,000" reads as fifty in German."""
    with translation.override("de"), pytest.raises(FileRefused, match=r"Zeile 50\.000 hinaus"):
        read_table("c.xlsx", _reaching_the_last_row())
