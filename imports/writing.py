"""Writing a contacts preview: new contacts in bulk, updates one by one.

A first import of a company's contacts creates hundreds or thousands at once;
saving them one by one cost about 30 ms each (a history record for the save and
another for the buying-centre roles). New contacts are therefore inserted in
bulk, a reporting level at a time (a boss before the people reporting to
them), with one history record each that already holds their roles, exactly
as a save through the form would have left. Updates go through the versioned
save, so an edit made in a form meanwhile is never overwritten silently.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from accounts.models import BuyingCentreRole, CustomerContact, KeyAccount
from core import fragments
from core.concurrency import save_versioned
from imports import progress
from imports.contacts import Node, Preview, RowPlan

# The history of a contact's roles, one row per role per history record
# (django-simple-history's model for the m2m field; no class of ours to import).
HISTORICAL_ROLES = ("accounts", "HistoricalCustomerContact_buying_roles")
# New contacts written per bulk insert (the database's batches are of 500 anyway).
CHUNK = 500


def apply(account: KeyAccount, result: Preview, actor: Any) -> None:
    """Write a preview without problems (the caller holds the transaction)."""
    assert result.ok, "only a preview without problems is imported"
    roles = {role.code: role.pk for role in BuyingCentreRole.objects.all()}
    created: dict[Node, int] = {}
    # Written rows in the order they are written, for the progress: new ones a level
    # at a time (in chunks, so that a level of thousands moves the bar), then updates.
    done = 0
    for level in _levels([row for row in result.rows if row.action == "create"]):
        for start in range(0, len(level), CHUNK):
            progress.advance(progress.WRITE, done)
            _create(account, level[start : start + CHUNK], roles, created, actor)
            done += len(level[start : start + CHUNK])
    for row in result.rows:
        if row.action == "update":
            progress.advance(progress.WRITE, done)
            _update(row, roles, created, actor)
            done += 1
    if created:
        fragments.bump(fragments.account_scopes(account.pk))


def _levels(rows: list[RowPlan]) -> list[list[RowPlan]]:
    """New contacts in reporting levels: a new boss's level comes before their reports'
    (a preview without problems has no loops)."""
    waiting = {row.node for row in rows}
    levels: list[list[RowPlan]] = []
    while rows:
        ready = [row for row in rows if row.values.get("reports_to") not in waiting]
        if not ready:
            raise ValueError("reports-to loop")  # cannot happen after a clean preview
        levels.append(ready)
        waiting -= {row.node for row in ready}
        rows = [row for row in rows if row.node in waiting]
    return levels


def _boss_id(row: RowPlan, created: dict[Node, int]) -> int | None:
    node = row.values.get("reports_to")
    return created.get(node, node[1]) if node else None


def _fields(row: RowPlan) -> dict[str, Any]:
    return {k: v for k, v in row.values.items() if k not in ("buying_roles", "reports_to")}


def _create(
    account: KeyAccount,
    rows: list[RowPlan],
    roles: dict[str, int],
    created: dict[Node, int],
    actor: Any,
) -> None:
    contacts = [CustomerContact(account=account, **_fields(row)) for row in rows]
    for row, contact in zip(rows, contacts, strict=True):
        if "reports_to" in row.values:
            contact.reports_to_id = _boss_id(row, created)
    # PostgreSQL and SQLite both return the new keys from a bulk insert.
    CustomerContact.objects.bulk_create(contacts, batch_size=500)
    through = CustomerContact.buying_roles.through
    links = through.objects.bulk_create(
        [
            through(customercontact_id=contact.pk, buyingcentrerole_id=roles[code])
            for row, contact in zip(rows, contacts, strict=True)
            for code in sorted(row.values.get("buying_roles") or ())
        ],
        batch_size=1000,
    )
    records = CustomerContact.history.bulk_history_create(
        contacts, batch_size=500, default_user=actor
    )
    record_of = {record.id: record.history_id for record in records}
    historical_roles = apps.get_model(*HISTORICAL_ROLES)
    historical_roles.objects.bulk_create(
        [
            historical_roles(
                id=link.pk,
                customercontact_id=link.customercontact_id,
                buyingcentrerole_id=link.buyingcentrerole_id,
                history_id=record_of[link.customercontact_id],
            )
            for link in links
        ],
        batch_size=1000,
    )
    for row, contact in zip(rows, contacts, strict=True):
        created[row.node] = contact.pk


def _update(row: RowPlan, roles: dict[str, int], created: dict[Node, int], actor: Any) -> None:
    contact = row.contact
    assert contact is not None
    for key, value in _fields(row).items():
        setattr(contact, key, value)
    if "reports_to" in row.values:
        contact.reports_to_id = _boss_id(row, created)
    contact._history_user = actor
    wanted = row.values.get("buying_roles")
    roles_change = wanted is not None and wanted != {r.code for r in contact.buying_roles.all()}
    if roles_change:
        # One history record for the whole change: the roles' (written by the
        # m2m signal, with the new fields), not a second one for the save.
        contact.skip_history_when_saving = True
    save_versioned(contact, expected_version=contact.version)
    if roles_change:
        del contact.skip_history_when_saving
        contact.buying_roles.set([roles[code] for code in sorted(wanted)])
