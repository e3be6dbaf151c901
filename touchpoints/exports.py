"""The touchpoint plan as Excel: contacts x quarters, as on screen."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill

from accounts.models import KeyAccount
from core.spreadsheets import new_workbook, workbook_bytes
from touchpoints.models import Touchpoint

STATUS_FILL = {"planned": "FFFFFF", "done": "D1E7DD", "cancelled": "E2E3E5"}
OVERDUE_FILL = "F8D7DA"


def cell_text(tp: Touchpoint) -> str:
    date = f" ({tp.date.isoformat()})" if tp.date else ""
    return f"{tp.title}{date} – {tp.owner.user} [{tp.get_status_display()}]"


def grid_xlsx(account: KeyAccount, year: int, rows: list) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = str(year)
    ws["A1"] = _("Touchpoint plan %(year)s: %(account)s") % {"year": year, "account": account}
    ws["A1"].font = Font(bold=True, size=14)
    header = [_("Customer contact"), "Q1", "Q2", "Q3", "Q4"]
    for col, value in enumerate(header, start=1):
        ws.cell(3, col, value).font = Font(bold=True)
    ws.column_dimensions["A"].width = 32
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 40
    for r, row in enumerate(rows, start=4):
        ws.cell(r, 1, f"{row.contact}\n{row.contact.position}").alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        for q, items in enumerate(row.quarters, start=2):
            cell = ws.cell(r, q, "\n".join(cell_text(tp) for tp in items))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if items:
                fill = (
                    OVERDUE_FILL
                    if any(tp.is_overdue for tp in items)
                    else STATUS_FILL[items[0].status]
                )
                cell.fill = PatternFill("solid", fgColor=fill)
    return workbook_bytes(wb)  # quotes every cell
