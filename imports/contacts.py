"""Importing an account's customer contacts: the preview of a file, then its import.

`preview` reads every row against the account as it is now and says what
would happen: a new contact, an update of one (matched by CRM id, else by
name within the account), or nothing because nothing changed; and every
problem, by row and column. imports.writing takes a preview without problems
and writes it in one transaction, attributing each change to the importer.
Importing the same file twice therefore changes nothing the second time.

A column in the file is the truth for its field: an empty cell empties it
(or sets its default). A column not in the file leaves its field alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import BuyingRole, CustomerContact, KeyAccount
from core.validators import validate_plain_email
from imports import columns as c
from imports import progress
from imports.base import Preview, Problem
from imports.readers import Table

COLUMNS = (
    c.Column("crm_id", gettext_lazy("CRM id"), example="CRM-4711"),
    c.Column("first_name", gettext_lazy("First name"), example="Anna"),
    c.Column("last_name", gettext_lazy("Last name"), required=True, example="Berger"),
    c.Column("position", gettext_lazy("Position"), example="Head of purchasing"),
    c.Column("department", gettext_lazy("Department"), example="Purchasing"),
    c.Column("country", gettext_lazy("Country"), example="DE"),
    c.Column("email", gettext_lazy("E-mail"), example="anna.berger@example.com"),
    c.Column("phone", gettext_lazy("Phone"), example="+49 40 1234-0"),
    c.Column("buying_roles", gettext_lazy("Buying-centre roles"), example="buyer, decider"),
    c.Column("attitude", gettext_lazy("Attitude"), example="supporter"),
    c.Column("influence", gettext_lazy("Influence (1–5)"), example="4"),
    c.Column("reports_to", gettext_lazy("Reports to"), example=""),
    c.Column("notes", gettext_lazy("Notes"), example=""),
)
LABELS = {column.key: column.header for column in COLUMNS}
TEXT_FIELDS = ("crm_id", "first_name", "last_name", "position", "department", "phone")
NOTES_LIMIT = 10_000
Node = tuple[str, int]  # ("c", contact pk) or ("r", row number): a contact now or to be

__all__ = ["COLUMNS", "Preview", "Problem", "RowPlan", "preview"]


@dataclass
class RowPlan:
    number: int
    name: str
    action: str = "create"  # create, update, unchanged
    contact: CustomerContact | None = None
    values: dict[str, Any] = field(default_factory=dict)
    boss: str = ""  # the reports-to cell
    changes: list[str] = field(default_factory=list)

    @property
    def node(self) -> Node:
        return ("c", self.contact.pk) if self.contact else ("r", self.number)


@dataclass
class _Context:
    """What the rows are read against: the account's contacts and the lookups."""

    account: KeyAccount
    contacts: list[CustomerContact]
    by_crm: dict[str, CustomerContact]
    by_name: dict[str, list[CustomerContact]]
    roles: dict[str, object]
    attitudes: dict[str, object]
    countries: dict[str, str]


def _name_key(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".casefold().split())


def _context(account: KeyAccount) -> _Context:
    contacts = list(account.contacts.prefetch_related("buying_roles"))
    by_name: dict[str, list[CustomerContact]] = {}
    for contact in contacts:
        if contact.archived_at is None:
            by_name.setdefault(_name_key(contact.first_name, contact.last_name), []).append(contact)
    return _Context(
        account=account,
        contacts=contacts,
        by_crm={contact.crm_id.casefold(): contact for contact in contacts if contact.crm_id},
        by_name=by_name,
        roles=c.choice_lookup(BuyingRole),
        attitudes=c.choice_lookup(CustomerContact.Attitude),
        countries=c.country_lookup(),
    )


def preview(account: KeyAccount, table: Table) -> Preview:
    found, unknown, twice = c.match_header(table.header, COLUMNS)
    result = Preview(ignored=unknown)
    for name in twice:
        result.problems.append(Problem(None, name, _("This column appears twice.")))
    if "last_name" not in found:
        result.problems.append(
            Problem(None, str(LABELS["last_name"]), _("The file has no column for the last name."))
        )
        return result
    context = _context(account)
    for done, (number, cells) in enumerate(table.rows):
        progress.advance(progress.CHECK, done)
        cell = {key: (cells[i] if i < len(cells) else "") for key, i in found.items()}
        result.rows.append(_read_row(context, number, cell, result.problems))
    _match(context, result)
    _resolve_bosses(context, result)
    for row in result.rows:
        _compare(row)
    return result


def _read_row(context: _Context, number: int, cell: dict[str, str], problems: list) -> RowPlan:
    values: dict[str, Any] = {}

    def refuse(key: str, message: str) -> None:
        problems.append(Problem(number, str(LABELS[key]), message))

    for key in TEXT_FIELDS:
        if key in cell:
            limit = CustomerContact._meta.get_field(key).max_length
            if len(cell[key]) > limit:
                refuse(key, c.too_long(limit))
            values[key] = cell[key][:limit]
    if "reports_to" in cell:
        values["reports_to"] = None  # resolved to a contact once all rows are read
    if not values.get("last_name"):
        refuse("last_name", _("The last name is missing."))
    if "email" in cell:
        try:
            validate_plain_email(cell["email"])
            values["email"] = cell["email"]
        except ValidationError:
            refuse("email", _("“%(value)s” is not an e-mail address.") % {"value": cell["email"]})
    if "notes" in cell:
        if len(cell["notes"]) > NOTES_LIMIT:
            refuse("notes", c.too_long(NOTES_LIMIT))
        values["notes"] = cell["notes"][:NOTES_LIMIT]
    _read_choices(context, cell, values, refuse)
    return RowPlan(
        number=number,
        name=f"{values.get('first_name', '')} {values.get('last_name', '')}".strip(),
        values=values,
        boss=cell.get("reports_to", ""),
    )


def _read_choices(context: _Context, cell: dict[str, str], values: dict, refuse) -> None:  # type: ignore[no-untyped-def]
    if "country" in cell:
        code = c.find(context.countries, cell["country"]) if cell["country"] else ""
        if code is None:
            refuse("country", _("“%(value)s” is not a country.") % {"value": cell["country"]})
        values["country"] = code or ""
    if "buying_roles" in cell:
        roles = set()
        for part in filter(None, (p.strip() for p in re.split(r"[,;/|]", cell["buying_roles"]))):
            role = c.find(context.roles, part)
            if role is None:
                refuse(
                    "buying_roles",
                    _("“%(value)s” is not a buying-centre role; the roles are: %(known)s.")
                    % {
                        "value": part,
                        "known": ", ".join(str(label) for label in BuyingRole.labels),
                    },
                )
            else:
                roles.add(role)
        values["buying_roles"] = roles
    if "attitude" in cell:
        text = cell["attitude"]
        # A number first: the lookup ignores signs, so "-1" would read as 1.
        if not text:
            attitude: object = 0
        elif c.is_whole_number(text):
            attitude = int(text) if -3 <= int(text) <= 3 else None
        else:
            attitude = c.find(context.attitudes, text)
        if attitude is None:
            refuse("attitude", _("“%(value)s” is not an attitude from -3 to 3.") % {"value": text})
        values["attitude"] = int(attitude or 0)
    if "influence" in cell:
        text = cell["influence"] or "3"
        if c.is_whole_number(text) and 1 <= int(text) <= 5:
            values["influence"] = int(text)
        else:
            refuse("influence", _("The influence is a whole number from 1 to 5."))


def _match(context: _Context, result: Preview) -> None:
    """Each row's contact (by CRM id, else by name), and rows naming one contact twice."""
    seen: dict[object, int] = {}
    for row in result.rows:
        crm = row.values.get("crm_id", "").casefold()
        name = _name_key(row.values.get("first_name", ""), row.values.get("last_name", ""))
        label = str(LABELS["crm_id"] if crm else LABELS["last_name"])
        key = ("crm", crm) if crm else ("name", name)
        if key in seen:
            result.problems.append(
                Problem(
                    row.number,
                    label,
                    _("Row %(row)s is this contact already.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        namesakes = [x for x in context.by_name.get(name, []) if not (crm and x.crm_id)]
        contact = context.by_crm.get(crm) if crm else None
        if contact is None and len(namesakes) > 1:
            result.problems.append(
                Problem(
                    row.number,
                    label,
                    _("Several contacts are called %(name)s; give their CRM id to tell them apart.")
                    % {"name": row.name},
                )
            )
            continue
        contact = contact or (namesakes[0] if namesakes else None)
        if contact is not None and contact.archived_at is not None:
            result.problems.append(
                Problem(
                    row.number,
                    label,
                    _("%(name)s is archived; restore the contact first.") % {"name": contact},
                )
            )
        if contact is not None and not crm and contact.crm_id:
            # Found by name: an empty CRM id cell keeps the key it has.
            row.values.pop("crm_id", None)
        row.contact = contact
        row.action = "update" if contact else "create"


def _row_name_key(row: RowPlan) -> str:
    return _name_key(row.values.get("first_name", ""), row.values.get("last_name", ""))


def _file_index(result: Preview) -> dict[str, Node]:
    """The file's rows by CRM id and by full name (the first row with a key wins):
    one pass, so resolving every reports-to cell stays linear in the rows."""
    index: dict[str, Node] = {}
    for row in result.rows:
        crm = row.values.get("crm_id", "").casefold()
        if crm:
            index.setdefault(crm, row.node)
        index.setdefault(_row_name_key(row), row.node)
    return index


def _boss_node(context: _Context, in_file: dict[str, Node], text: str) -> Node | None:
    """The contact a reports-to cell names by CRM id or full name: a row of the file
    first, else one of the account's contacts."""
    wanted = _name_key("", text)
    if wanted in in_file:
        return in_file[wanted]
    contact = context.by_crm.get(wanted)
    if contact is None:
        namesakes = context.by_name.get(wanted, [])
        contact = namesakes[0] if len(namesakes) == 1 else None
    return ("c", contact.pk) if contact is not None else None


def _resolve_bosses(context: _Context, result: Preview) -> None:
    """Each reports-to cell to a contact; a boss nobody knows, or a loop, is a problem."""
    label = str(LABELS["reports_to"])
    parent: dict[Node, Node | None] = {
        ("c", contact.pk): ("c", contact.reports_to_id) if contact.reports_to_id else None
        for contact in context.contacts
    }
    in_file = _file_index(result)
    for row in result.rows:
        if "reports_to" not in row.values:
            continue
        node = _boss_node(context, in_file, row.boss) if row.boss else None
        if row.boss and node is None:
            result.problems.append(
                Problem(
                    row.number,
                    label,
                    _(
                        "No contact “%(value)s” in the file or the account "
                        "(give a CRM id or a full name)."
                    )
                    % {"value": row.boss},
                )
            )
        elif node is not None and node == row.node:
            result.problems.append(
                Problem(row.number, label, _("A contact cannot report to themselves."))
            )
            node = None
        row.values["reports_to"] = node
        parent[row.node] = node
    on_loop = _on_loops(parent, [row.node for row in result.rows])
    for row in result.rows:
        if row.node in on_loop:
            result.problems.append(
                Problem(
                    row.number,
                    label,
                    _("%(name)s would report to themselves through others: that makes a loop.")
                    % {"name": row.name},
                )
            )


def _on_loops(parent: dict[Node, Node | None], starts: list[Node]) -> set[Node]:
    """The contacts on a reporting loop, each chain walked once (linear in the contacts,
    however long a chain a file makes)."""
    done: set[Node] = set()
    on_loop: set[Node] = set()
    for start in starts:
        path: dict[Node, int] = {}  # this walk's contacts, in order
        node: Node | None = start
        while node is not None and node not in done and node not in path:
            path[node] = len(path)
            node = parent.get(node)
        if node is not None and node in path:  # the walk came back to itself
            on_loop.update(n for n, i in path.items() if i >= path[node])
        done.update(path)
    return on_loop


def _compare(row: RowPlan) -> None:
    """What an update changes; a row changing nothing is left alone."""
    contact = row.contact
    if contact is None:
        return
    for key, value in row.values.items():
        if key == "buying_roles":
            now: object = {role.code for role in contact.buying_roles.all()}
        elif key == "reports_to":
            now = ("c", contact.reports_to_id) if contact.reports_to_id else None
        else:
            now = getattr(contact, key)
        if now != value:
            row.changes.append(str(LABELS[key]))
    if not row.changes:
        row.action = "unchanged"
