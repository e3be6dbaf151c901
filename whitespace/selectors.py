"""Reads of the whitespace map: the grid of one account with its totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from whitespace.models import CellStatus, CustomerUnit, Offering, WhitespaceCell

# How each status looks: a symbol and a text label, so colour is never the only sign.
STATUS_LOOK: dict[str, tuple[str, str]] = {
    CellStatus.SUPPLY: ("bi-check-circle-fill", "bg-success-subtle"),
    CellStatus.OPPORTUNITY: ("bi-star-fill", "bg-warning-subtle"),
    CellStatus.COMPETITOR: ("bi-x-octagon-fill", "bg-danger-subtle"),
    CellStatus.NO_NEED: ("bi-dash-circle", "bg-body-tertiary"),
    CellStatus.UNKNOWN: ("bi-question-circle", ""),
}
STATUS_MEANING = {
    CellStatus.SUPPLY: _("the unit buys this from us"),
    CellStatus.OPPORTUNITY: _("the unit could buy this from us"),
    CellStatus.COMPETITOR: _("the unit buys this from a competitor"),
    CellStatus.NO_NEED: _("the unit does not need this"),
    CellStatus.UNKNOWN: _("we do not know yet"),
}


@dataclass
class Totals:
    value: Decimal = Decimal(0)
    opportunities: int = 0
    opportunity_value: Decimal = Decimal(0)

    def add(self, cell: WhitespaceCell) -> None:
        self.value += cell.yearly_value or 0
        if cell.status == CellStatus.OPPORTUNITY:
            self.opportunities += 1
            self.opportunity_value += cell.yearly_value or 0


@dataclass
class Row:
    unit: CustomerUnit
    cells: list[WhitespaceCell]
    total: Totals = field(default_factory=Totals)


@dataclass
class WhitespaceMap:
    offerings: list[Offering]
    rows: list[Row]
    columns: list[Totals]
    total: Totals

    @property
    def footer(self) -> list[tuple[Offering, Totals]]:
        """Each offering with its column's totals."""
        return list(zip(self.offerings, self.columns, strict=True))


def legend() -> list[tuple[str, str, str, str, str]]:
    """(status, label, meaning, icon, css class) of every status, in the grid's order."""
    return [
        (s.value, s.label, STATUS_MEANING[s], *STATUS_LOOK[s])
        for s in (
            CellStatus.SUPPLY,
            CellStatus.OPPORTUNITY,
            CellStatus.COMPETITOR,
            CellStatus.NO_NEED,
            CellStatus.UNKNOWN,
        )
    ]


def whitespace_map(account: KeyAccount) -> WhitespaceMap:
    """The account's units by the active offerings, in three queries.

    A pair without a saved cell shows as an unsaved cell with the status
    "unknown", so the grid is always complete.
    """
    offerings = list(Offering.objects.filter(is_active=True))
    units = list(account.customer_units.all())
    saved = {
        (c.unit_id, c.offering_id): c
        for c in WhitespaceCell.objects.filter(
            unit__account=account, offering__is_active=True
        ).order_by()
    }
    columns = [Totals() for _o in offerings]
    total = Totals()
    rows = []
    for unit in units:
        row = Row(unit=unit, cells=[])
        for index, offering in enumerate(offerings):
            cell = saved.get((unit.pk, offering.pk)) or WhitespaceCell(status=CellStatus.UNKNOWN)
            _dress(cell, unit, offering)
            row.cells.append(cell)
            row.total.add(cell)
            columns[index].add(cell)
            total.add(cell)
        rows.append(row)
    return WhitespaceMap(offerings=offerings, rows=rows, columns=columns, total=total)


def cell_for(unit: CustomerUnit, offering: Offering) -> WhitespaceCell:
    """The saved cell of `unit` and `offering`, or a new one that is not saved yet."""
    cell = WhitespaceCell.objects.filter(unit=unit, offering=offering).first()
    if cell is None:
        cell = WhitespaceCell(status=CellStatus.UNKNOWN)
    return _dress(cell, unit, offering)


def _dress(cell: WhitespaceCell, unit: CustomerUnit, offering: Offering) -> WhitespaceCell:
    """Set the loaded unit and offering (no query per cell for their names) and the look."""
    cell.unit, cell.offering = unit, offering
    cell.look = STATUS_LOOK[cell.status]  # type: ignore[attr-defined]
    return cell
