"""Importing revenue actuals per year: matching by year, amounts in either language,
the revenue form's rules, idempotence, history, and the pages and the command."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import RevenueActual
from imports import revenue
from imports.models import ImportBatch
from imports.readers import Table, read_table
from tests.fixtures import World
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
HEADER = ["Year", "Actual revenue"]
THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _no_actuals(world: World) -> None:
    """The world records this year's revenue; these tests start from none."""
    world.account.revenue_actuals.all().delete()


def table(*rows: list[str], header: list[str] = HEADER) -> Table:
    return Table(header=header, rows=[(n, list(row)) for n, row in enumerate(rows, start=2)])


def problems(result) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.row, p.column, p.message) for p in result.problems]


def actuals(world: World) -> dict[int, Decimal]:
    return dict(world.account.revenue_actuals.values_list("year", "amount"))


def run(world: World, data: Table):  # type: ignore[no-untyped-def]
    result = revenue.preview(world.account, data)
    assert result.ok, problems(result)
    revenue.apply(world.account, result, world.lead)
    return result


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("de", "4.700.000,50", "4700000.50"),
        ("en", "4,700,000.50", "4700000.50"),
        ("en", "4.700.000,50", "4700000.50"),  # a German file, an English reader
        ("de", "4700000.5", "4700000.50"),  # as a spreadsheet stores a number
        ("de", "1 250 000", "1250000"),
        ("en", "0", "0"),
    ],
)
def test_amounts_in_either_language(world: World, language: str, text: str, amount: str) -> None:
    with translation.override(language):
        run(world, table(["2024", text]))
    assert actuals(world) == {2024: Decimal(amount)}


def test_the_same_file_twice_changes_nothing_and_a_corrected_one_updates(world: World) -> None:
    RevenueActual.objects.create(account=world.account, year=2021, amount=Decimal(7))
    data = table(["2023", "1000000"], ["2024", "1200000"])
    assert run(world, data).counts == {"create": 2, "update": 0, "unchanged": 0}
    assert run(world, data).counts == {"create": 0, "update": 0, "unchanged": 2}
    result = run(world, table(["2023", "1000000"], ["2024", "1250000"], header=["Jahr", "Umsatz"]))
    assert result.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert [row.changes for row in result.rows if row.action == "update"] == [["Actual revenue"]]
    # Years not in the file stay.
    assert actuals(world) == {2021: 7, 2023: 1000000, 2024: 1250000}
    changed = RevenueActual.objects.get(account=world.account, year=2024)
    assert changed.version == 2
    assert [(h.history_type, h.history_user) for h in changed.history.all()] == [
        ("~", world.lead),
        ("+", world.lead),
    ]


def test_problems_by_row_and_column(world: World) -> None:
    result = revenue.preview(
        world.account,
        table(
            ["2024", "lots"],
            ["twenty", "1"],
            [str(THIS_YEAR + 1), "1"],
            ["1999", "1"],
            ["2022", "-5"],
            ["2022", "5"],
            ["2023", ""],
            ["", "5"],
            ["2020", "1" * 30],
            ["2019", "NaN"],
            ["2018", "5"],
            ["2018", "6"],
        ),
    )
    assert problems(result) == [
        (2, "Actual revenue", "“lots” is not an amount."),
        (3, "Year", "“twenty” is not a year."),
        (4, "Year", f"{THIS_YEAR + 1} has not begun yet: record its revenue once it is booked."),
        (5, "Year", "Give a year from 2000 on."),
        (6, "Actual revenue", "Revenue cannot be negative."),
        (8, "Actual revenue", "The amount is missing."),
        (9, "Year", "The year is missing."),
        (10, "Actual revenue", "“" + "1" * 30 + "” is not an amount."),
        (11, "Actual revenue", "“NaN” is not an amount."),
        (13, "Year", "Row 12 has this year already."),
    ]
    assert [row.year for row in result.rows] == [2022, 2018]


def test_required_columns_and_the_row_limit(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = revenue.preview(world.account, table(["2024"], header=["Year"]))
    assert problems(result) == [(None, "Actual revenue", "The file has no column for this.")]
    monkeypatch.setattr(revenue, "MAX_ROWS", 2)
    result = revenue.preview(world.account, table(["2021", "1"], ["2022", "1"], ["2023", "1"]))
    assert problems(result) == [
        (None, "", "A revenue import takes at most 2 rows; this file has 3.")
    ]


def _upload(client, world: World, text: str):  # type: ignore[no-untyped-def]
    url = reverse("imports:revenue", args=[world.account.slug])
    return client.post(url, {"file": SimpleUploadedFile("umsatz.csv", text.encode("cp1252"))})


def test_a_lead_imports_revenue_in_the_browser(world: World) -> None:
    client = world.client_for("lead")
    page = client.get(reverse("accounts:revenue", args=[world.account.slug])).content.decode()
    assert reverse("imports:revenue", args=[world.account.slug]) in page
    response = _upload(client, world, "Jahr;Umsatz\n2023;3.900.000\n2024;4.200.000,50\n")
    batch = ImportBatch.objects.get()
    assert batch.kind == "revenue"
    text = client.get(response.url).content.decode()
    assert "Import 2 years" in text and "2</span> new years" in text
    done = client.post(response.url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("accounts:revenue", args=[world.account.slug])
    assert "2 new, 0 updated, 0 unchanged" in done.content.decode()
    assert actuals(world) == {2023: Decimal(3900000), 2024: Decimal("4200000.50")}


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("manager", 403), ("outsider", 404)])
def test_only_leads_import_revenue(world: World, who: str, status: int) -> None:
    client = world.client_for(who)
    assert client.get(reverse("imports:revenue", args=[world.account.slug])).status_code == status
    assert _upload(client, world, "Year;Revenue\n2024;1\n").status_code == status
    template = reverse("imports:revenue_template", args=[world.account.slug])
    assert client.get(template).status_code == status
    assert not ImportBatch.objects.exists() and not RevenueActual.objects.exists()


@pytest.mark.parametrize("language, first", [("en", "Year"), ("de", "Jahr")])
def test_the_template_reads_back_as_a_clean_preview(
    world: World, language: str, first: str
) -> None:
    client = world.client_for("lead")
    url = reverse("imports:revenue_template", args=[world.account.slug])
    response = client.get(url, {"lang": language})
    data = read_table("revenue.xlsx", response.content)
    assert data.header[0] == first
    result = revenue.preview(world.account, data)
    assert result.ok and [(r.year, r.amount) for r in result.rows] == [(2025, 4700000)]


def test_the_preview_costs_the_same_queries_for_1_and_20_years(world: World) -> None:
    client = world.client_for("lead")

    def page(years: int) -> str:
        lines = "".join(f"{2000 + n};{n}\n" for n in range(years))
        return _upload(client, world, "Year;Revenue\n" + lines).url

    queries = page_queries(client, page(1))
    assert queries == page_queries(client, page(20))
    assert queries <= 9


def test_the_command_imports_revenue(world: World, tmp_path: Path) -> None:
    path = tmp_path / "revenue.csv"
    path.write_text("Year,Revenue\n2024,-1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_data", "revenue", str(path), "--account", world.account.slug)
    path.write_text("Year,Revenue\n2024,1500000\n", encoding="utf-8")
    call_command("import_data", "revenue", str(path), "--account", world.account.slug)
    assert actuals(world) == {2024: Decimal(1500000)}
