"""The import templates: a workbook with the column names in one language, an example
row, and a sheet saying what each column takes."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import YEAR_MIN, AccountTeamMember, BuyingRole, CustomerContact, TeamRole
from core.spreadsheets import new_workbook
from imports import contacts, key_accounts, revenue, team
from imports.columns import Column
from imports.models import ImportBatch


def _contact_notes() -> list[tuple[Column, str]]:
    columns = contacts.COLUMNS
    roles = ", ".join(str(label) for label in BuyingRole.labels)
    attitudes = ", ".join(f"{v} = {label}" for v, label in CustomerContact.Attitude.choices)
    return [
        (columns[0], _("The contact's key in your CRM. Matched first; keep it stable.")),
        (columns[2], _("Required. Without a CRM id, contacts are matched by full name.")),
        (columns[5], _("A country code (DE) or name.")),
        (columns[8], _("Any of: %(roles)s; separated by commas.") % {"roles": roles}),
        (columns[9], _("A number or a word: %(values)s.") % {"values": attitudes}),
        (columns[10], _("1 (little) to 5 (decisive).")),
        (
            columns[11],
            _("The CRM id or full name of the contact's boss (in the file or in kamteam)."),
        ),
    ]


def _team_notes() -> list[tuple[Column, str]]:
    columns = team.COLUMNS
    roles = ", ".join(
        f"{role.code} = {role.name}" + (" *" if role.is_national else "")
        for role in TeamRole.objects.all()
    )
    teams = ", ".join(str(label) for label in AccountTeamMember.Team.labels)
    return [
        (columns[0], _("Required. The colleague's e-mail or user name in kamteam.")),
        (
            columns[1],
            _("Required. One of: %(roles)s. * a national role: give its country.")
            % {"roles": roles},
        ),
        (columns[2], _("A country code (DE) or name; required for a national role.")),
        (columns[3], _("One of: %(teams)s. Empty: core team.") % {"teams": teams}),
        (columns[4], _("yes or no. Some roles always lead (GKAM, NKAM).")),
        (
            columns[1],
            _(
                "A row whose person already holds the role (in that country) updates the "
                "seat; other seats of the team stay as they are."
            ),
        ),
    ]


def _revenue_notes() -> list[tuple[Column, str]]:
    columns = revenue.COLUMNS
    return [
        (
            columns[0],
            _("Required. A year from %(first)s up to this one; one row a year.")
            % {"first": YEAR_MIN},
        ),
        (
            columns[1],
            _(
                "Required. What the customer bought in that year (this year: so far), "
                "as a number: 4700000, 4.700.000,50 or 4,700,000.50."
            ),
        ),
        (
            columns[0],
            _("A year already recorded is updated; years not in the file stay as they are."),
        ),
    ]


def _account_notes() -> list[tuple[Column, str]]:
    by_key = {column.key: column for column in key_accounts.COLUMNS}
    return [
        (
            by_key["name"],
            _(
                "Required. The customer's name. A row finds its account by the short name, "
                "else by this name: an account found is updated, any other is created."
            ),
        ),
        (
            by_key["slug"],
            _(
                "The account's address (a-z, 0-9 and hyphens). Leave it empty to derive it "
                "from the name."
            ),
        ),
        (by_key["hq_country"], _("Required. A country code (DE) or name (Germany, Deutschland).")),
        (
            by_key["first_lead"],
            _(
                "Required for a new account: the colleague who leads it, by e-mail or user "
                "name. They join its core team and are told. Not used for an account found."
            ),
        ),
        (
            by_key["lead_role"],
            _(
                "The lead's team role, by code or name (default: the first role that leads). "
                "A national role needs a country: create such an account by hand."
            ),
        ),
        (by_key["classification"], _("A (strategic), B (important) or C (developing); default B.")),
        (by_key["attractiveness"], _("1 (low) to 5 (high); default 3.")),
        (by_key["relative_position"], _("1 (weak) to 5 (strong); default 3.")),
    ]


# Per kind: its columns, the name of its sheet and what its "Values" sheet says.
_SHEETS = {
    ImportBatch.Kind.CONTACTS: (contacts.COLUMNS, _contact_notes),
    ImportBatch.Kind.TEAM: (team.COLUMNS, _team_notes),
    ImportBatch.Kind.REVENUE: (revenue.COLUMNS, _revenue_notes),
    ImportBatch.Kind.ACCOUNTS: (key_accounts.COLUMNS, _account_notes),
}


def _sheet_title(kind: str) -> str:
    titles = {
        ImportBatch.Kind.CONTACTS: _("Contacts"),
        ImportBatch.Kind.TEAM: _("Team"),
        ImportBatch.Kind.REVENUE: _("Revenue"),
        ImportBatch.Kind.ACCOUNTS: _("Key accounts"),
    }
    return titles[kind][:31]


def template_workbook(kind: str, language: str) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns, notes_of = _SHEETS[kind]
    workbook = new_workbook()  # a catalogue's names are text anyone may have typed
    sheet = workbook.active
    with translation.override(language):
        sheet.title = _sheet_title(kind)
        sheet.append([column.name(language) for column in columns])
        sheet.append([column.example for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(columns, start=1):
            width = max(14, len(column.name(language)) + 2, len(column.example) + 2)
            sheet.column_dimensions[get_column_letter(index)].width = width
        values = workbook.create_sheet(_("Values")[:31])
        values.append([_("Column"), _("What it takes")])
        values["A1"].font = values["B1"].font = Font(bold=True)
        for column, text in notes_of():
            values.append([column.name(language), text])
        values.column_dimensions["A"].width = 28
        values.column_dimensions["B"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
