"""The import templates: a workbook with the column names in one language and an example row."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import BuyingRole, CustomerContact
from imports.contacts import COLUMNS


def contacts_template(language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    with translation.override(language):
        sheet.title = _("Contacts")[:31]
        sheet.append([column.name(language) for column in COLUMNS])
        sheet.append([column.example for column in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(COLUMNS, start=1):
            width = max(14, len(column.name(language)) + 2, len(column.example) + 2)
            sheet.column_dimensions[get_column_letter(index)].width = width
        values = workbook.create_sheet(_("Values")[:31])
        values.append([_("Column"), _("What it takes")])
        values["A1"].font = values["B1"].font = Font(bold=True)
        roles = ", ".join(str(label) for label in BuyingRole.labels)
        attitudes = ", ".join(f"{v} = {label}" for v, label in CustomerContact.Attitude.choices)
        for column, text in (
            (COLUMNS[0], _("The contact's key in your CRM. Matched first; keep it stable.")),
            (COLUMNS[2], _("Required. Without a CRM id, contacts are matched by full name.")),
            (COLUMNS[5], _("A country code (DE) or name.")),
            (COLUMNS[8], _("Any of: %(roles)s; separated by commas.") % {"roles": roles}),
            (COLUMNS[9], _("A number or a word: %(values)s.") % {"values": attitudes}),
            (COLUMNS[10], _("1 (little) to 5 (decisive).")),
            (
                COLUMNS[11],
                _("The CRM id or full name of the contact's boss (in the file or in kamteam)."),
            ),
        ):
            values.append([column.name(language), text])
        values.column_dimensions["A"].width = 24
        values.column_dimensions["B"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
