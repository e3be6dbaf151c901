"""The kinds of import: what each reads and writes, and where it lives in the workspace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accounts.access import AccountAccess
from accounts.models import KeyAccount
from imports import columns, contacts, revenue, team, writing
from imports.base import Preview
from imports.models import ImportBatch
from imports.readers import Table
from users.models import User


@dataclass(frozen=True)
class ImportKind:
    key: str  # ImportBatch.Kind
    columns: tuple[columns.Column, ...]
    # The preview of a table against the account; the access is the importer's
    # (None from a shell), for the rules that depend on who imports.
    preview: Callable[[KeyAccount, Table, AccountAccess | None], Preview]
    apply: Callable[[KeyAccount, Preview, User | None], None]
    tab: str  # the workspace tab the pages belong to
    list_url: str  # the page the imported records are listed on
    template_name: dict[str, str]  # the template's file name, by language


KINDS: dict[str, ImportKind] = {
    ImportBatch.Kind.CONTACTS: ImportKind(
        key=ImportBatch.Kind.CONTACTS,
        columns=contacts.COLUMNS,
        preview=lambda account, table, access: contacts.preview(account, table),
        apply=writing.apply,
        tab="contacts",
        list_url="accounts:contacts",
        template_name={"en": "contacts-template.xlsx", "de": "kontakte-vorlage.xlsx"},
    ),
    ImportBatch.Kind.TEAM: ImportKind(
        key=ImportBatch.Kind.TEAM,
        columns=team.COLUMNS,
        preview=team.preview,
        apply=team.apply,
        tab="team",
        list_url="accounts:team",
        template_name={"en": "team-template.xlsx", "de": "team-vorlage.xlsx"},
    ),
    ImportBatch.Kind.REVENUE: ImportKind(
        key=ImportBatch.Kind.REVENUE,
        columns=revenue.COLUMNS,
        preview=revenue.preview,
        apply=revenue.apply,
        tab="plan",
        list_url="accounts:revenue",
        template_name={"en": "revenue-template.xlsx", "de": "umsatz-vorlage.xlsx"},
    ),
}
