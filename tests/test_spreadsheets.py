"""Exports never hand a spreadsheet program a formula typed into kamteam."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kamteam.spreadsheets import safe_cell
from tests.conftest import World

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_formula_starts_are_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Müller", "1-2", "", 42, None])
def test_other_values_pass_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def test_raci_exports_quote_a_task_named_like_a_formula(world: World) -> None:
    world.raci_task.name = FORMULA
    world.raci_task.save()
    client = world.client_for("member")
    text = client.get(reverse("raci:export_csv", args=[world.account.slug])).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    xlsx = client.get(reverse("raci:export_xlsx", args=[world.account.slug])).content
    values = [c.value for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]
    assert "'" + FORMULA in values
    assert FORMULA not in values


def test_touchpoint_export_quotes_a_contact_named_like_a_formula(world: World) -> None:
    world.contact.first_name = "=cmd"
    world.contact.save()
    client = world.client_for("member")
    xlsx = client.get(
        reverse("touchpoints:export_xlsx", args=[world.account.slug]) + "?year=2026"
    ).content
    values = [c.value for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("'=cmd") for v in values)
    assert not any(isinstance(v, str) and v.startswith("=cmd") for v in values)
