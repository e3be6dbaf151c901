"""The whitespace map's invariants: database constraints and the forms' friendly messages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.fixtures import World
from whitespace import selectors, services
from whitespace.forms import CustomerUnitForm, WhitespaceCellForm
from whitespace.models import CellStatus, CustomerUnit, Offering, WhitespaceCell
from whitespace.tests.factories import (
    CustomerUnitFactory,
    OfferingFactory,
    WhitespaceCellFactory,
)


def _refused(**fields: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        WhitespaceCell.objects.create(**fields)


def test_one_cell_per_unit_and_offering(world: World) -> None:
    cell = WhitespaceCellFactory(unit__account=world.account)
    _refused(unit=cell.unit, offering=cell.offering, status=CellStatus.OPPORTUNITY)


def test_negative_value_and_unknown_status_are_refused_by_the_database(world: World) -> None:
    unit, offering = CustomerUnitFactory(account=world.account), OfferingFactory()
    _refused(unit=unit, offering=offering, yearly_value=Decimal(-1))
    _refused(unit=unit, offering=offering, status="maybe")


def test_unit_names_are_unique_per_account_in_any_case(world: World) -> None:
    CustomerUnitFactory(account=world.account, name="Werk Hamburg")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerUnitFactory(account=world.account, name="werk hamburg")
    CustomerUnitFactory(name="Werk Hamburg")  # another account may have one too


def test_offering_names_are_unique_in_any_case(db: None) -> None:
    OfferingFactory(name="Drive systems")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferingFactory(name="DRIVE SYSTEMS")


def test_unit_form_names_the_clash_at_the_field(world: World) -> None:
    CustomerUnitFactory(account=world.account, name="Werk Hamburg")
    form = CustomerUnitForm({"name": " werk hamburg ", "kind": "plant"}, account=world.account)
    assert not form.is_valid()
    assert "already has a unit" in form.errors["name"][0]
    assert CustomerUnit.objects.count() == 1


def test_unit_form_refuses_a_bad_kind_and_country(world: World) -> None:
    form = CustomerUnitForm(
        {"name": "Werk Kiel", "kind": "galaxy", "country": "XX"}, account=world.account
    )
    assert not form.is_valid()
    assert set(form.errors) == {"kind", "country"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "supply", "yearly_value": "-5"}, "yearly_value"),
        ({"status": "supply", "yearly_value": "1" * 20}, "yearly_value"),
        ({"status": "supply", "yearly_value": "lots"}, "yearly_value"),
        ({"status": "maybe"}, "status"),
        ({"status": "supply", "note": "x" * 301}, "note"),
    ],
)
def test_cell_form_refuses_bad_input_at_the_field(world: World, data: dict, field: str) -> None:
    unit, offering = CustomerUnitFactory(account=world.account), OfferingFactory()
    form = WhitespaceCellForm(data, instance=selectors.cell_for(unit, offering))
    assert not form.is_valid()
    assert field in form.errors
    assert not WhitespaceCell.objects.exists()


def test_map_fills_missing_cells_and_adds_up(world: World) -> None:
    hamburg = CustomerUnitFactory(account=world.account, name="Hamburg", order=1)
    wuhan = CustomerUnitFactory(account=world.account, name="Wuhan", order=2)
    drives, service = OfferingFactory(order=1), OfferingFactory(order=2)
    OfferingFactory(is_active=False)  # not a column
    WhitespaceCellFactory(unit=hamburg, offering=drives, yearly_value=Decimal(100))
    WhitespaceCellFactory(unit=hamburg, offering=service, status="opportunity", yearly_value=40)
    WhitespaceCellFactory(unit=wuhan, offering=service, status="opportunity", yearly_value=None)
    ws_map = selectors.whitespace_map(world.account)
    assert [o.pk for o in ws_map.offerings] == [drives.pk, service.pk]
    assert [r.unit for r in ws_map.rows] == [hamburg, wuhan]
    assert ws_map.rows[1].cells[0].status == CellStatus.UNKNOWN  # not saved
    assert ws_map.rows[1].cells[0].pk is None
    assert ws_map.rows[0].total.value == Decimal(140)
    assert ws_map.rows[0].total.opportunities == 1
    assert ws_map.columns[1].opportunities == 2
    assert ws_map.columns[1].opportunity_value == Decimal(40)
    assert ws_map.total.value == Decimal(140)


def test_units_move_up_and_down(world: World) -> None:
    a, b, c = (CustomerUnitFactory(account=world.account, order=i) for i in (1, 2, 3))
    services.unit_move(unit=c, up=True)
    assert list(world.account.customer_units.all()) == [a, c, b]
    services.unit_move(unit=a, up=True)  # already first: nothing happens
    assert list(world.account.customer_units.all()) == [a, c, b]


def test_deleting_a_unit_deletes_its_cells_and_keeps_their_history(world: World) -> None:
    cell = WhitespaceCellFactory(unit__account=world.account)
    assert services.unit_delete_blockers(unit=cell.unit) == []
    assert services.unit_delete(unit=cell.unit) == []
    assert not WhitespaceCell.objects.exists()
    assert WhitespaceCell.history.filter(id=cell.pk, history_type="-").exists()
    assert CustomerUnit.history.filter(history_type="-").count() == 1


def test_an_offering_with_cells_cannot_be_deleted(world: World) -> None:
    cell = WhitespaceCellFactory(unit__account=world.account)
    with pytest.raises(Exception, match="protected"), transaction.atomic():
        Offering.objects.filter(pk=cell.offering_id).delete()
