"""The portfolio matrix at scale: a crowded cell is one bubble that leads to its list."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import KeyAccount, RevenueActual
from portfolio import charts
from portfolio.filters import PortfolioFilter
from tests.factories import KeyAccountFactory
from tests.fixtures import World
from tests.queries import measured_get

MANY = charts.MAX_PER_CELL + 3


def _row(name: str, revenue: int, attractiveness: int = 4, position: int = 2) -> dict:
    return {
        "name": name,
        "url": f"/accounts/{name}/",
        "classification": "B",
        "attractiveness": attractiveness,
        "relative_position": position,
        "revenue": Decimal(revenue),
    }


def _cell_url(attractiveness: int, position: int) -> str:
    return f"/cell/{attractiveness}-{position}/"


def test_a_crowded_cell_is_one_bubble_with_its_count_and_revenue() -> None:
    crowded = [_row(f"n{i:02}", 10 * i) for i in range(MANY)]
    full = [_row(f"f{i}", 5, attractiveness=1, position=5) for i in range(charts.MAX_PER_CELL)]
    result = charts.bubbles(crowded + full, _cell_url)
    (many,) = [b for b in result if b.count > 1]
    assert many.count == MANY
    assert many.url == "/cell/4-2/"
    assert many.revenue == sum(10 * i for i in range(MANY))
    assert (many.x, many.y) == tuple(round(v, 1) for v in charts.cell_centre(2, 4))
    assert many.r == charts.MAX_R
    # A cell of exactly MAX_PER_CELL keeps a bubble per account.
    assert len([b for b in result if b.count == 1]) == charts.MAX_PER_CELL
    # Without a list to lead to, every account stays a bubble of its own.
    assert len(charts.bubbles(crowded, None)) == MANY


def test_a_crowded_cell_of_the_table_lists_its_largest_and_links_to_the_rest() -> None:
    rows = [_row(f"n{i:02}", 10 * i) for i in range(MANY)] + [_row("alone", 1, 5, 5)]
    grid = dict(charts.grid_table(rows, _cell_url))
    crowded = grid[4][1]  # attractiveness 4, position 2
    largest = sorted(f"n{i:02}" for i in range(MANY - charts.MAX_PER_CELL, MANY))
    assert [a["name"] for a in crowded.accounts] == largest  # by name
    assert (crowded.more, crowded.url) == (MANY - charts.MAX_PER_CELL, "/cell/4-2/")
    assert [a["name"] for a in grid[5][4].accounts] == ["alone"]
    assert grid[5][4].more == 0 and grid[5][4].url == ""


@pytest.fixture
def crowded(world: World) -> list[KeyAccount]:
    """MANY accounts with attractiveness 4 and position 2; Nordwind sits at 3/3."""
    accounts = [
        KeyAccountFactory(
            name=f"Crowd {i:02}", classification="B", attractiveness=4, relative_position=2
        )
        for i in range(MANY)
    ]
    year = PortfolioFilter().year
    for i, account in enumerate(accounts):  # the factory may have booked some already
        RevenueActual.objects.update_or_create(
            account=account, year=year, defaults={"amount": Decimal(100 * (i + 1))}
        )
    return accounts


def test_the_matrix_draws_a_crowded_cell_as_one_bubble_leading_to_its_list(
    world: World, crowded: list[KeyAccount]
) -> None:
    client = world.client_for("manager")
    response = client.get(reverse("portfolio:matrix") + "?classification=B")
    text = response.text
    cell_list = f"{reverse('portfolio:portfolio')}?classification=B&amp;cell=4-2"
    assert f'<a href="{cell_list}" class="bubble-link bubble-cell">' in text
    assert re.search(rf'class="bubble-count"[^>]*>{MANY}</text>', text)
    assert f"{MANY} accounts with attractiveness 4 and position 2" in text
    assert "A grey bubble with a number stands for a cell of more than 8 accounts" in text
    # No bubble of their own; the table names the eight largest and links to the rest.
    assert text.count('class="bubble-link"') == 0
    more = MANY - charts.MAX_PER_CELL
    assert f'<a class="matrix-more" href="{cell_list}">and {more} more</a>' in text
    assert "Crowd 10" in text and "Crowd 00" not in text  # the largest revenue first


def test_the_matrix_without_a_crowded_cell_has_no_grey_bubble(world: World) -> None:
    text = world.client_for("manager").get(reverse("portfolio:matrix")).text
    assert "bubble-cell" not in text and "A grey bubble" not in text


def test_the_portfolio_list_of_one_cell(world: World, crowded: list[KeyAccount]) -> None:
    client = world.client_for("manager")
    url = reverse("portfolio:portfolio")
    response = client.get(f"{url}?cell=4-2&classification=B")
    text = response.text
    assert "Only the matrix cell with attractiveness 4 and position 2." in text
    assert "Crowd 00" in text and world.account.name not in text
    assert f'href="{url}?classification=B">Every cell</a>' in text
    assert '<input type="hidden" name="cell" value="4-2">' in text  # the filter form keeps it
    everyone = client.get(url).text
    assert world.account.name in everyone and "Only the matrix cell" not in everyone


@pytest.mark.parametrize("value", ["9-9", "4", "4-2-1", "<b>"])
def test_an_unknown_cell_is_ignored_and_named(world: World, value: str) -> None:
    response = world.client_for("manager").get(reverse("portfolio:portfolio"), {"cell": value})
    assert response.status_code == 200
    assert "Only the matrix cell" not in response.text
    # The message names what was ignored.
    assert "were not understood and were ignored: cell." in response.text
    assert world.account.name in response.text


def test_the_cell_filter_is_for_managers_only(world: World, crowded: list[KeyAccount]) -> None:
    url = reverse("portfolio:portfolio") + "?cell=4-2"
    assert world.client_for("member").get(url).status_code == 403
    assert world.client_for("outsider").get(url).status_code == 403


def test_the_matrix_costs_the_same_queries_for_more_crowded_cells(world: World) -> None:
    client = world.client_for("manager")
    url = reverse("portfolio:matrix")
    for i in range(MANY):
        KeyAccountFactory(name=f"Small {i}", attractiveness=2, relative_position=4)
    few = len(measured_get(client, url)[1].captured_queries)
    for i in range(3 * MANY):
        KeyAccountFactory(name=f"More {i}", attractiveness=5, relative_position=5)
    response, many = measured_get(client, url)
    assert len(many.captured_queries) == few
    assert response.text.count("<circle") == 3  # two crowded cells and Nordwind


def test_the_crowded_cell_in_german(world: World, crowded: list[KeyAccount]) -> None:
    client = world.client_for("manager")
    client.cookies["django_language"] = "de"
    matrix = client.get(reverse("portfolio:matrix")).text
    assert f"{MANY} Accounts mit Attraktivität 4 und Position 2" in matrix
    assert "Eine graue Blase mit einer Zahl steht für ein Feld mit mehr als 8 Accounts" in matrix
    assert f"und {MANY - charts.MAX_PER_CELL} weitere" in matrix
    listed = client.get(reverse("portfolio:portfolio") + "?cell=4-2").text
    assert "Nur das Matrixfeld mit Attraktivität 4 und Position 2." in listed
    assert ">Alle Felder</a>" in listed


def test_an_export_reads_its_accounts_in_chunks_in_the_lists_order(
    world: World, crowded: list[KeyAccount], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of the list's own read (scores.page_rows): the same rows, in the same order."""
    from portfolio import views

    client = world.client_for("manager")
    url = reverse("portfolio:export_csv") + "?sort=-revenue&classification=B"
    whole = client.get(url).content.decode("utf-8-sig").splitlines()
    monkeypatch.setattr(views, "EXPORT_CHUNK", 3)
    chunked = client.get(url).content.decode("utf-8-sig").splitlines()
    assert chunked == whole
    names = [line.split(",")[0] for line in whole[1:]]
    assert names == [f"Crowd {i:02}" for i in reversed(range(MANY))]  # the largest first
