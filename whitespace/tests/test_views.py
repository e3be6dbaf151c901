"""The whitespace tab: who sees and edits it, in place and without JavaScript, and the export."""

from __future__ import annotations

import io
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from openpyxl import load_workbook

from tests.fixtures import World
from tests.queries import page_queries
from whitespace.models import CellStatus, CustomerUnit, Offering, WhitespaceCell
from whitespace.tests.factories import (
    CustomerUnitFactory,
    OfferingFactory,
    WhitespaceCellFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def grid(world: World) -> tuple[CustomerUnit, Offering]:
    """One unit of the world's account and one offering, with no cell saved yet."""
    return CustomerUnitFactory(account=world.account, name="Werk Hamburg"), OfferingFactory(
        name="Drive systems"
    )


def _map(world: World) -> str:
    return reverse("whitespace:map", args=[world.account.slug])


def _cell_url(world: World, unit: CustomerUnit, offering: Offering) -> str:
    return reverse("whitespace:cell", args=[world.account.slug, unit.pk, offering.pk])


def test_outsider_gets_404_everywhere(world: World, grid) -> None:
    unit, offering = grid
    client = world.client_for("outsider")
    assert client.get(_map(world)).status_code == 404
    assert client.get(_cell_url(world, unit, offering)).status_code == 404
    response = client.post(_cell_url(world, unit, offering), {"status": "supply"})
    assert response.status_code == 404
    assert not WhitespaceCell.objects.exists()


@pytest.mark.parametrize("actor", ["member", "manager"])
def test_member_and_manager_read_but_may_not_write(world: World, grid, actor: str) -> None:
    unit, offering = grid
    WhitespaceCellFactory(unit=unit, offering=offering, note="Framework since 2022")
    client = world.client_for(actor)
    page = client.get(_map(world))
    assert page.status_code == 200
    assert "Framework since 2022" in page.text and "we supply" in page.text
    assert _cell_url(world, unit, offering) not in page.text  # no edit links
    data = {"status": "competitor", "version": 1}
    assert client.post(_cell_url(world, unit, offering), data, **HTMX).status_code == 403
    delete = reverse("whitespace:unit_delete", args=[world.account.slug, unit.pk])
    assert client.post(delete).status_code == 403
    assert WhitespaceCell.objects.get().status == CellStatus.SUPPLY
    assert CustomerUnit.objects.count() == 1


def test_lead_edits_a_cell_in_place(world: World, grid, lead_client) -> None:
    unit, offering = grid
    url = _cell_url(world, unit, offering)
    form = lead_client.get(url, **HTMX)
    assert form.status_code == 200
    assert 'data-hx-post="' + url in form.text and "<html" not in form.text
    response = lead_client.post(
        url, {"status": "opportunity", "yearly_value": "180,000", "note": "New line"}, **HTMX
    )
    assert response.status_code == 200
    cell = WhitespaceCell.objects.get()
    assert (cell.status, cell.yearly_value, cell.note) == ("opportunity", 180000, "New line")
    # The cell's content, with the row, column and map totals swapped out of band.
    assert "opportunity" in response.text and "New line" in response.text
    assert response.text.count('data-hx-swap-oob="true"') == 3
    assert f'id="ws-row-total-{unit.pk}"' in response.text
    assert f'id="ws-col-total-{offering.pk}"' in response.text
    assert "1 opportunity" in response.text
    # The page shows it too (the cached fragment moved on).
    assert "New line" in lead_client.get(_map(world)).text


def test_refused_cell_input_stays_in_the_cell(world: World, grid, lead_client) -> None:
    unit, offering = grid
    response = lead_client.post(
        _cell_url(world, unit, offering), {"status": "supply", "yearly_value": "-3"}, **HTMX
    )
    assert response.status_code == 200  # htmx swaps only successful answers
    assert "invalid-feedback" in response.text or "is-invalid" in response.text
    assert not WhitespaceCell.objects.exists()


def test_cancel_in_place_shows_the_cell_again(world: World, grid, lead_client) -> None:
    unit, offering = grid
    response = lead_client.get(_cell_url(world, unit, offering) + "?cancel=1", **HTMX)
    assert response.status_code == 200
    assert "unknown" in response.text and "<form" not in response.text
    assert not WhitespaceCell.objects.exists()


def test_lead_edits_a_cell_without_javascript(world: World, grid, lead_client) -> None:
    unit, offering = grid
    url = _cell_url(world, unit, offering)
    page = lead_client.get(url)
    assert page.status_code == 200 and "<html" in page.text
    response = lead_client.post(url, {"status": "supply", "yearly_value": "420000"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ws-cell-{unit.pk}-{offering.pk}")
    cell = WhitespaceCell.objects.get()
    # Two edits from forms loaded at the same version: the second is refused.
    first = lead_client.post(url, {"status": "no_need", "version": cell.version})
    second = lead_client.post(url, {"status": "competitor", "version": cell.version})
    cell.refresh_from_db()
    assert (first.status_code, second.status_code, cell.status) == (302, 409, "no_need")


def test_bad_plain_form_input_is_a_field_error(world: World, grid, lead_client) -> None:
    unit, offering = grid
    response = lead_client.post(
        _cell_url(world, unit, offering), {"status": "supply", "yearly_value": "x"}
    )
    assert response.status_code == 400
    assert "yearly_value" in response.context["form"].errors
    assert not WhitespaceCell.objects.exists()


def test_another_accounts_unit_is_not_found(world: World, grid, lead_client) -> None:
    _unit, offering = grid
    foreign = CustomerUnitFactory()
    url = reverse("whitespace:cell", args=[world.account.slug, foreign.pk, offering.pk])
    assert lead_client.post(url, {"status": "supply"}).status_code == 404
    inactive = OfferingFactory(is_active=False)
    url = _cell_url(world, _unit, inactive)
    assert lead_client.get(url).status_code == 404


def test_lead_adds_renames_moves_and_deletes_units(world: World, lead_client) -> None:
    slug = world.account.slug
    create = reverse("whitespace:unit_create", args=[slug])
    lead_client.post(create, {"name": "Werk Hamburg", "kind": "plant", "country": "DE"})
    lead_client.post(create, {"name": "Plant Wuhan", "kind": "plant", "country": "CN"})
    clash = lead_client.post(create, {"name": "werk hamburg", "kind": "plant"})
    assert clash.status_code == 400 and "already has a unit" in clash.text
    hamburg, wuhan = world.account.customer_units.all()
    assert (hamburg.name, wuhan.order) == ("Werk Hamburg", 2)
    edit = reverse("whitespace:unit_edit", args=[slug, wuhan.pk])
    data = {"name": "Werk Wuhan", "kind": "plant", "country": "CN", "version": wuhan.version}
    assert lead_client.post(edit, data).status_code == 302
    move = reverse("whitespace:unit_move", args=[slug, wuhan.pk])
    assert lead_client.post(move, {"direction": "up"}).status_code == 302
    assert [u.name for u in world.account.customer_units.all()] == ["Werk Wuhan", "Werk Hamburg"]
    WhitespaceCellFactory(unit=hamburg)
    delete = reverse("whitespace:unit_delete", args=[slug, hamburg.pk])
    assert "Delete unit" in lead_client.get(delete).text
    assert lead_client.post(delete).status_code == 302
    assert list(world.account.customer_units.all()) == [wuhan]
    assert not WhitespaceCell.objects.exists()


def test_a_unit_whose_cells_are_linked_is_not_deleted(world: World, lead_client) -> None:
    cell = WhitespaceCellFactory(unit__account=world.account)
    delete = reverse("whitespace:unit_delete", args=[world.account.slug, cell.unit.pk])
    # What an opportunity's PROTECT foreign key on the cell raises.
    error = ProtectedError("protected", {cell})
    with (
        mock.patch("whitespace.services.Collector.collect", side_effect=error),
        mock.patch.object(CustomerUnit, "delete", side_effect=error),
    ):
        page = lead_client.get(delete)
        response = lead_client.post(delete)
    assert "cannot be deleted" in page.text
    assert response.status_code == 409 and "Remove those links first" in response.text
    assert CustomerUnit.objects.filter(pk=cell.unit.pk).exists()


def test_empty_map_explains_what_to_do(world: World, lead_client) -> None:
    assert "There are no offerings yet" in lead_client.get(_map(world)).text
    OfferingFactory()
    text = lead_client.get(_map(world)).text
    assert "No units in this map yet" in text and "Add unit" in text


def test_export_has_status_words_and_totals(world: World, grid) -> None:
    unit, offering = grid
    WhitespaceCellFactory(unit=unit, offering=offering, yearly_value=Decimal(420000))
    url = reverse("whitespace:export_xlsx", args=[world.account.slug])
    response = world.client_for("member").get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Werk Hamburg" in values and "Drive systems" in values
    assert any(str(v).startswith("we supply") for v in values)
    assert 420000 in values


def _fill(world: World, units: int, offerings: int) -> None:
    have_units = world.account.customer_units.count()
    for i in range(have_units, units):
        CustomerUnitFactory(account=world.account, name=f"Unit {i}")
    for i in range(Offering.objects.count(), offerings):
        OfferingFactory(name=f"Line {i}")
    statuses = list(CellStatus)
    for u_index, unit in enumerate(world.account.customer_units.all()):
        for o_index, offering in enumerate(Offering.objects.all()):
            WhitespaceCell.objects.get_or_create(
                unit=unit,
                offering=offering,
                defaults={"status": statuses[(u_index + o_index) % 5], "yearly_value": 1000},
            )


@pytest.mark.parametrize("name", ["whitespace:map", "whitespace:export_xlsx"])
def test_map_queries_do_not_grow_with_the_grid(world: World, name: str) -> None:
    url = reverse(name, args=[world.account.slug])
    _fill(world, 2, 3)
    small = page_queries(world.client_for("lead"), url)
    _fill(world, 6, 8)
    large = page_queries(world.client_for("lead"), url)
    assert small == large
    if name == "whitespace:map":
        assert large == 9, large
