"""The portfolio as Excel and CSV: the columns of the page, one row per account."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.models import KeyAccount
from core.money import currency
from core.spreadsheets import csv_text, new_workbook, safe_sheet_title, workbook_bytes

# The health badges' colours on screen (Bootstrap success, warning, danger).
BAND_FILL = {"healthy": "D1E7DD", "watch": "FFF3CD", "risk": "F8D7DA"}


# The money columns: revenue actual and target of one year, the weighted pipeline.
MONEY_COLUMNS = (5, 6, 21)


def columns(year: int) -> list[str]:
    """The header; the pipeline is always this year's (opportunities.selectors.with_coverage)."""
    money = {"year": year, "currency": currency()}
    this_year = {"year": timezone.localdate().year, "currency": currency()}
    return [
        _("Account"),
        _("Classification"),
        _("Industry"),
        _("KAM"),
        _("Countries"),
        _("Revenue %(year)s, actual (%(currency)s)") % money,
        _("Revenue %(year)s, target (%(currency)s)") % money,
        _("Revenue %(year)s, attained (%%)") % money,
        _("Plan period"),
        _("Plan status"),
        _("Core team"),
        _("Extended team"),
        _("RACI tasks complete"),
        _("RACI tasks"),
        _("Touchpoints done this quarter"),
        _("Touchpoints this quarter"),
        _("Overdue touchpoints"),
        _("Core team met in person"),
        _("Health score"),
        _("Health"),
        _("Last change"),
        _("Weighted pipeline %(year)s (%(currency)s)") % this_year,
        _("Pipeline covers the %(year)s gap (%%)") % this_year,
        _("Health trend"),
        _("Health change (points)"),
        _("Key players not contacted lately"),
    ]


def _met(account: KeyAccount) -> str:
    if account.met_in_person:
        return _("yes")
    if account.meeting_planned:
        return _("planned")
    return _("no")


def rows(accounts: Iterable[KeyAccount]) -> list[list[Any]]:
    """Accounts from portfolio_queryset with attach_people applied."""
    result = []
    for a in accounts:
        result.append(
            [
                a.name,
                a.classification,
                a.industry,
                ", ".join(m.user.display_name for m in a.kams),
                ", ".join(a.country_codes),
                a.revenue_actual,
                a.revenue_target,
                _whole(a.attainment),
                f"{a.plan_start}–{a.plan_end}" if a.plan_start else "",
                str(a.plan_status_label),
                a.core_size,
                a.extended_size,
                a.raci_complete,
                a.raci_total,
                a.tp_quarter_done,
                a.tp_quarter,
                a.tp_overdue,
                _met(a),
                a.health,
                str(a.band.label),
                timezone.localtime(a.last_change).strftime("%Y-%m-%d %H:%M"),
                a.pipeline_weighted,
                _whole(a.pipeline_coverage),
                str(a.trend.label),
                a.trend.change if a.trend.code else None,
                a.stale_key_players,
            ]
        )
    return result


def _whole(share: Decimal | None) -> int | None:
    return None if share is None else int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def portfolio_csv(year: int, accounts: Iterable[KeyAccount]) -> str:
    """With a byte order mark, so that Excel opens the UTF-8 file with its umlauts intact."""
    return csv_text([columns(year), *rows(accounts)])


def portfolio_xlsx(year: int, accounts: list[KeyAccount]) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = safe_sheet_title(_("Portfolio"))
    header = columns(year)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    health_col = header.index(_("Health score")) + 1
    # Row numbers counted here: openpyxl's ws.max_row scans every cell each time.
    for number, (account, row) in enumerate(zip(accounts, rows(accounts), strict=True), start=2):
        ws.append(row)
        fill = PatternFill("solid", fgColor=BAND_FILL[account.band.code])
        ws.cell(number, health_col).fill = fill
        ws.cell(number, health_col + 1).fill = fill
    for index in MONEY_COLUMNS:
        col = index + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "#,##0"
    widths = {1: 34, 3: 22, 4: 28, 5: 14, 6: 17, 7: 17, 21: 17, 22: 17, 23: 17, 24: 15}
    for index in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(index, 13)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    return workbook_bytes(wb)  # quotes every cell
