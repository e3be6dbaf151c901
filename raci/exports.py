"""The RACI matrix as an Excel workbook, formatted like the screen."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from accounts.models import KeyAccount
from core.spreadsheets import new_workbook, workbook_bytes
from raci.selectors import Matrix

# The same colours as the grid on screen (static/css/kamteam.css).
LETTER_FILL = {
    "R": "CFE2FF",
    "A": "F8D7DA",
    "S": "D1E7DD",
    "C": "FFF3CD",
    "I": "E2E3E5",
}
THIN = Side(style="thin", color="ADB5BD")


def matrix_xlsx(account: KeyAccount, m: Matrix, legend: list[tuple[str, str, str]]) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = "RACI"
    ws["A1"] = _("RACI matrix: %(account)s") % {"account": account.name}
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = timezone.localdate().isoformat()
    header_row = 4
    ws.cell(header_row, 1, _("Task")).font = Font(bold=True)
    for col, (role, people) in enumerate(m.columns, start=2):
        cell = ws.cell(header_row, col, role.name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.cell(header_row + 1, col, people).alignment = Alignment(wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = 16
    ws.column_dimensions["A"].width = 48
    for row_index, (task, cells) in enumerate(m.rows, start=header_row + 2):
        ws.cell(row_index, 1, task.name)
        for col, (_role, letters) in enumerate(cells, start=2):
            cell = ws.cell(row_index, col, "".join(letters))
            cell.alignment = Alignment(horizontal="center")
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            if letters:
                cell.fill = PatternFill("solid", fgColor=LETTER_FILL[letters[0]])
                cell.font = Font(bold="A" in letters)
    ws.freeze_panes = ws.cell(header_row + 2, 2)
    row = header_row + 3 + len(m.tasks)
    ws.cell(row, 1, _("Legend")).font = Font(bold=True)
    for offset, (letter, label, meaning) in enumerate(legend, start=1):
        cell = ws.cell(row + offset, 1, f"{letter}: {label}: {meaning}")
        cell.fill = PatternFill("solid", fgColor=LETTER_FILL[letter])
    return workbook_bytes(wb)  # quotes every cell: role and people names, task names
