"""Exports never hand a spreadsheet program a formula typed into kamteam."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.spreadsheets import safe_cell, safe_sheet_title, storable
from tests.fixtures import World

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


# Every spreadsheet export, as (URL name, who may read it, query string).
SPREADSHEET_EXPORTS = [
    ("raci:export_csv", "member", ""),
    ("raci:export_xlsx", "member", ""),
    ("touchpoints:export_xlsx", "member", "?year=2026"),
    ("whitespace:export_xlsx", "member", ""),
    ("portfolio:export_csv", "manager", ""),
    ("portfolio:export_xlsx", "manager", ""),
]


def _cells(response) -> list[object]:
    """Every cell value of a CSV or XLSX answer, sheet titles included."""
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode()
        assert text.startswith("\ufeff") and text[1] != "\ufeff"  # Excel needs one mark
        text = text[1:]
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    wb = load_workbook(io.BytesIO(response.content))
    values: list[object] = list(wb.sheetnames)
    for ws in wb.worksheets:
        values += [cell.value for row in ws.iter_rows() for cell in row]
    return values


def test_every_spreadsheet_url_is_checked() -> None:
    from tests.test_authorization_matrix import ALL_NAMES

    exports = {n for n in ALL_NAMES if "export_csv" in n or "export_xlsx" in n}
    assert exports == {name for name, _who, _query in SPREADSHEET_EXPORTS}


@pytest.mark.parametrize(("name", "who", "query"), SPREADSHEET_EXPORTS)
def test_no_export_cell_starts_like_a_formula(
    world: World, name: str, who: str, query: str
) -> None:
    # A colleague who named themselves like a formula, on the team as lead
    # (the portfolio's KAM column, the RACI header, touchpoint owners), and
    # formula starts in every other kind of name that reaches an export.
    world.lead.first_name = '=HYPERLINK("http://x","y")'
    world.lead.last_name = ""
    world.lead.save()
    world.account.name = "+Nordwind"
    world.account.save()
    world.contact.first_name = "-Max"
    world.contact.save()
    world.raci_task.name = "@SUM(A1)"
    world.raci_task.save()
    role = world.lead_membership.role
    role.name_en = role.name_de = "=1+1"
    role.save()
    world.raci_task.assignments.create(role=role, letter="A")
    if name.startswith("whitespace"):
        from whitespace.models import CustomerUnit

        CustomerUnit.objects.create(account=world.account, name="=Werk Nord")
    kwargs = {} if name.startswith("portfolio") else {"slug": world.account.slug}
    url = reverse(name, kwargs=kwargs)
    response = world.client_for(who).get(url + query)
    assert response.status_code == 200
    cells = [c for c in _cells(response) if isinstance(c, str)]
    assert any(c.startswith(("'=", "'+", "'-", "'@")) for c in cells), cells  # names arrived
    unquoted = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert not unquoted


def test_sheet_titles_are_made_safe() -> None:
    assert safe_sheet_title("=HYPERLINK(x)") == "HYPERLINK(x)"
    assert safe_sheet_title("a/b:c[d]") == "a b c d"
    assert safe_sheet_title("'quoted'") == "quoted"
    assert len(safe_sheet_title("x" * 40)) == 31
    assert safe_sheet_title("=") == "Sheet"


# Each .xlsx export, as (URL name, who may read it, URL kwargs beyond the slug, query).
XLSX_EXPORTS = [
    ("raci:export_xlsx", "member", {}, ""),
    ("touchpoints:export_xlsx", "member", {}, "?year=2026"),
    ("whitespace:export_xlsx", "member", {}, ""),
    ("portfolio:export_xlsx", "manager", None, ""),
    ("accounts:account_export", "lead", {"fmt": "xlsx"}, ""),
]
CONTROL = "Pacific\x0bComponents\x01"


@pytest.mark.parametrize(("name", "who", "kwargs", "query"), XLSX_EXPORTS)
def test_control_characters_typed_into_names_do_not_stop_an_xlsx_export(
    world: World, name: str, who: str, kwargs: dict | None, query: str
) -> None:
    """.xlsx cannot hold most control characters and openpyxl refuses them: one
    vertical tab in an account's name made every manager's portfolio export a
    server error. They are written as spaces."""
    world.account.name = CONTROL
    world.account.save()
    world.contact.position = "Head\x0bof\x1fOps"
    world.contact.save()
    world.raci_task.name = "Task\x0c1"
    world.raci_task.save()
    if name.startswith("whitespace"):
        from whitespace.models import CustomerUnit

        CustomerUnit.objects.create(account=world.account, name="Unit\x0e1")
    url_kwargs = None if kwargs is None else {"slug": world.account.slug, **kwargs}
    response = world.client_for(who).get(reverse(name, kwargs=url_kwargs) + query)
    assert response.status_code == 200
    cells = [c for c in _cells(response) if isinstance(c, str)]
    assert not [c for c in cells if ILLEGAL_CHARACTERS_RE.search(c)]
    text = "\n".join(cells)
    expected = {
        "raci:export_xlsx": "Task 1",
        "touchpoints:export_xlsx": "Head of Ops",
        "whitespace:export_xlsx": "Unit 1",
        "portfolio:export_xlsx": "Pacific Components ",
        "accounts:account_export": "Pacific Components ",
    }[name]
    assert expected in text


def test_storable_text() -> None:
    assert storable("a\x00b\x08c\x0bd\x0ce\x1ff") == "a b c d e f"
    assert storable("tab\tnew\nline\r") == "tab\tnew\nline\r"  # what a cell may hold
    assert storable(3) == 3
    assert storable(None) is None


def test_only_core_makes_workbooks() -> None:
    """Every export's workbook comes from core.spreadsheets.new_workbook."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    makers = []
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        # Hidden folders hold virtual environments (.venv, .venv-3.13) and tools.
        if any(part.startswith(".") for part in parts) or "tests" in parts or parts[0] == "core":
            continue
        text = path.read_text()
        if "Workbook(" in text or "import Workbook" in text:
            makers.append("/".join(parts))
    assert makers == []
