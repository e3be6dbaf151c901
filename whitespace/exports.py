"""The whitespace map as an Excel workbook, with the status in words and the totals."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from accounts.models import KeyAccount
from core.spreadsheets import new_workbook, workbook_bytes
from whitespace.models import CellStatus
from whitespace.selectors import Totals, WhitespaceMap, legend

# Light fills like the grid on screen; the status is always written out too.
STATUS_FILL = {
    CellStatus.SUPPLY: "D1E7DD",
    CellStatus.OPPORTUNITY: "FFF3CD",
    CellStatus.COMPETITOR: "F8D7DA",
    CellStatus.NO_NEED: "E2E3E5",
    CellStatus.UNKNOWN: "FFFFFF",
}
THIN = Side(style="thin", color="ADB5BD")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
MONEY_FORMAT = "#,##0"


def _totals_text(totals: Totals) -> str:
    count = totals.opportunities
    return ngettext("%(count)s opportunity", "%(count)s opportunities", count) % {"count": count}


def map_xlsx(account: KeyAccount, ws_map: WhitespaceMap) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = _("Whitespace")[:31]
    ws["A1"] = _("Whitespace map: %(account)s") % {"account": account.name}
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = timezone.localdate().isoformat()
    head = 4
    last = 2 + len(ws_map.offerings)
    ws.cell(head, 1, _("Unit")).font = Font(bold=True)
    for col, offering in enumerate(ws_map.offerings, start=2):
        cell = ws.cell(head, col, offering.name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = 24
    ws.cell(head, last, _("Total value")).font = Font(bold=True)
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions[get_column_letter(last)].width = 20
    for row_index, row in enumerate(ws_map.rows, start=head + 1):
        label = row.unit.name
        if row.unit.country:
            label += f" ({row.unit.country.name})"
        ws.cell(row_index, 1, label)
        for col, cell in enumerate(row.cells, start=2):
            text = cell.get_status_display()
            if cell.yearly_value is not None:
                text += f"\n{cell.yearly_value:,.0f}"
            if cell.note:
                text += f"\n{cell.note}"
            out = ws.cell(row_index, col, text)
            out.alignment = Alignment(wrap_text=True, vertical="top")
            out.border = BOX
            out.fill = PatternFill("solid", fgColor=STATUS_FILL[cell.status])
        total = ws.cell(row_index, last, row.total.value)
        total.number_format = MONEY_FORMAT
        ws.cell(row_index, last + 1, _totals_text(row.total))
    foot = head + 1 + len(ws_map.rows)
    ws.cell(foot, 1, _("Total value")).font = Font(bold=True)
    for col, totals in enumerate(ws_map.columns, start=2):
        ws.cell(foot, col, totals.value).number_format = MONEY_FORMAT
        ws.cell(foot + 1, col, _totals_text(totals))
    grand = ws.cell(foot, last, ws_map.total.value)
    grand.number_format = MONEY_FORMAT
    grand.font = Font(bold=True)
    ws.cell(foot + 1, last, _totals_text(ws_map.total))
    ws.freeze_panes = ws.cell(head + 1, 2)
    row = foot + 3
    ws.cell(row, 1, _("Legend")).font = Font(bold=True)
    for offset, (status, label, meaning, _icon, _css) in enumerate(legend(), start=1):
        cell = ws.cell(row + offset, 1, f"{label}: {meaning}")
        cell.fill = PatternFill("solid", fgColor=STATUS_FILL[status])
    return workbook_bytes(wb)  # quotes every cell: unit and offering names, notes
