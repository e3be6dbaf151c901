"""CSV exports in the reader's conventions (issue 13, point 17).

A German Excel splits a CSV at ";" (the list separator where the decimal
separator is ",") and reads "3100000,00" as a number: the comma-separated
"3100000.00" put everything into one column.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.spreadsheets import csv_text
from tests.fixtures import World

ROWS = [
    ["Account", "Revenue", "Health", "Share", "Note"],
    ["Müller; Söhne", Decimal("3100000.00"), 72, 0.5, "=cmd"],
    ["Delta, Logistik", Decimal("-1250.5"), -3, None, "1.5 (text stays text)"],
]


def _read(text: str, delimiter: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel reads UTF-8 (Grün, Müller) only with the mark
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_german_csv_uses_semicolons_and_decimal_commas() -> None:
    with translation.override("de"):
        text = csv_text(ROWS)
    assert _read(text, ";") == [
        ["Account", "Revenue", "Health", "Share", "Note"],
        ["Müller; Söhne", "3100000,00", "72", "0,5", "'=cmd"],
        ["Delta, Logistik", "-1250,5", "-3", "", "1.5 (text stays text)"],
    ]
    # A cell with the separator in it is quoted; a comma needs no quotes any more.
    assert '"Müller; Söhne";3100000,00;' in text
    assert "\r\nDelta, Logistik;-1250,5;-3;;" in text


def test_english_csv_keeps_commas_and_decimal_points() -> None:
    with translation.override("en"):
        text = csv_text(ROWS)
    assert _read(text, ",") == [
        ["Account", "Revenue", "Health", "Share", "Note"],
        ["Müller; Söhne", "3100000.00", "72", "0.5", "'=cmd"],
        ["Delta, Logistik", "-1250.5", "-3", "", "1.5 (text stays text)"],
    ]


def test_a_negative_number_is_not_taken_for_a_formula() -> None:
    with translation.override("de"):
        assert _read(csv_text([[-5, Decimal("-0.5"), "-5"]]), ";") == [["-5", "-0,5", "'-5"]]


def _german(world: World, who: str) -> Client:
    client = world.client_for(who)
    client.cookies["django_language"] = "de"
    return client


@pytest.mark.parametrize(
    ("name", "who", "by_slug"),
    [("raci:export_csv", "member", True), ("portfolio:export_csv", "manager", False)],
)
def test_exports_in_german_open_in_columns(world: World, name: str, who: str, by_slug) -> None:
    url = reverse(name, args=[world.account.slug] if by_slug else [])
    text = _german(world, who).get(url).content.decode()
    rows = _read(text, ";")
    header, *body = rows
    assert len(header) > 1, "one column: the export was not split at ';'"
    assert body and all(len(row) == len(header) for row in body)
    # No English decimal point in a number cell.
    assert not [c for row in body for c in row if re.fullmatch(r"-?\d+\.\d+", c)]
    english = world.client_for(who).get(url).content.decode()
    assert len(_read(english, ",")[0]) == len(header)
