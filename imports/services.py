"""Uploading an import file, and importing it once its preview is confirmed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import AccountAccess, account_access
from accounts.models import KeyAccount
from core.concurrency import VersionConflict
from imports import key_accounts, progress
from imports.base import Preview, Problem
from imports.kinds import KINDS
from imports.models import ImportBatch
from imports.readers import FileRefused, Table, read_table
from users.models import User


def upload(
    *, account: KeyAccount | None, kind: str, name: str, data: bytes, actor: User
) -> ImportBatch:
    """Read the file (FileRefused when it cannot be) and keep its rows for the preview;
    the person's earlier pending upload of this kind for this account goes. A file of
    key accounts (kind ACCOUNTS) belongs to no account."""
    table = read_table(name, data)
    with transaction.atomic():
        pending = ImportBatch.objects.filter(
            account=account, kind=kind, uploaded_by=actor, imported_at__isnull=True
        )
        running = pending.filter(queued_at__isnull=False).first()
        if running is not None:
            # The worker may hold it (and its lock) right now: it is not replaced.
            raise FileRefused(
                _("%(file)s is still being imported. Upload the next file once it is done.")
                % {"file": running.file_name}
            )
        pending.delete()
        return ImportBatch.objects.create(
            account=account,
            kind=kind,
            uploaded_by=actor,
            file_name=name[:255],
            header=table.header,
            rows=[[number, cells] for number, cells in table.rows],
        )


def table_of(batch: ImportBatch) -> Table:
    return Table(header=batch.header, rows=[(number, cells) for number, cells in batch.rows])


def preview(batch: ImportBatch, access: AccountAccess | None = None) -> Preview:
    return KINDS[batch.kind].preview(batch.account, table_of(batch), access)


def import_rows(
    account: KeyAccount,
    table: Table,
    actor: User | None,
    *,
    kind: str = ImportBatch.Kind.CONTACTS,
    access: AccountAccess | None = None,
    write: bool = True,
) -> Preview:
    """Preview `table` against the account under a lock on it, so two imports cannot
    interleave, and write it when it has no problems (and `write`). The caller holds
    the transaction: the browser's confirm, or `manage.py import_data`."""
    KeyAccount.objects.select_for_update().filter(pk=account.pk).first()
    result = KINDS[kind].preview(account, table, access)
    if result.ok and write:
        KINDS[kind].apply(account, result, actor)
    return result


def confirm(
    *, batch: ImportBatch, actor: User, access: AccountAccess | None = None
) -> Preview | None:
    """Import the batch in one transaction, all rows or none.

    The rows are read again against the account as it is now, under a lock on
    the account, so two imports (or a double click) cannot interleave; if a
    problem has appeared since the preview, nothing is written and the new
    preview is returned. None when the batch was imported meanwhile.
    """
    try:
        return _confirm(batch, actor, access)
    except (VersionConflict, ValidationError):
        # A form saved one of the records between this import's reading and its
        # writing, or a rule of the team's own save refused a seat: nothing was
        # written (the transaction rolled back); the preview, read again, shows
        # the file against the account as it is now.
        return _changed_meanwhile(
            preview(batch, access),
            _(
                "The account was changed by someone else during the import. Nothing "
                "was imported: look at the preview again, then confirm."
            ),
        )


def _confirm(batch: ImportBatch, actor: User, access: AccountAccess | None) -> Preview | None:
    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk, imported_at__isnull=True)
            .first()
        )
        if locked is None:
            return None
        result = import_rows(
            batch.account, table_of(locked), actor, kind=locked.kind, access=access
        )
        if not result.ok:
            return result
        # The rows are personal data: once imported, only the counts are kept.
        locked.rows = []
        locked.imported_at = timezone.now()
        counts = result.counts
        locked.created, locked.updated = counts["create"], counts["update"]
        locked.unchanged = counts["unchanged"]
        locked.save()
    return result


def in_background(batch: ImportBatch) -> bool:
    """Whether the confirmation hands the batch to the task worker (imports.tasks)."""
    return len(batch.rows) > settings.IMPORT_BACKGROUND_ROWS


def mark_queued(batch: ImportBatch) -> bool:
    """Mark a pending batch as queued (its page then shows the progress); False when it
    is queued or imported already (a double click). The caller enqueues it on commit."""
    marked = ImportBatch.objects.filter(
        pk=batch.pk, imported_at__isnull=True, queued_at__isnull=True
    ).update(queued_at=timezone.now(), refusal="", task_id="")
    return bool(marked)


def run_queued(batch_id: int, actor_id: int) -> str:
    """Import a queued batch as its uploader, storing the progress as it goes (the task
    worker's side of imports.tasks). What happened: imported, refused or gone."""
    batch = (
        ImportBatch.objects.select_related("account")
        .filter(pk=batch_id, imported_at__isnull=True, queued_at__isnull=False)
        .first()
    )
    if batch is None:  # discarded, or imported meanwhile
        return "gone"
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    access = _access(actor, batch.account) if actor is not None else None
    if actor is None or access is None:
        # The uploader lost the right to edit the account since queueing it.
        refuse(batch.pk, ImportBatch.Refusal.ACCESS)
        return "refused"
    with progress.tracking(progress.key_of(batch.pk), len(batch.rows)):
        result = confirm(batch=batch, actor=actor, access=access)
    if result is not None and not result.ok:
        refuse(batch.pk, ImportBatch.Refusal.PROBLEMS)
        return "refused"
    return "imported"


def refuse(batch_id: int, reason: str) -> None:
    """The queued batch was not imported: its page shows the preview again, with why."""
    ImportBatch.objects.filter(pk=batch_id, imported_at__isnull=True).update(
        queued_at=None, refusal=reason
    )


def _access(user: User, account: KeyAccount) -> AccountAccess | None:
    try:
        return account_access(user, account.slug, write=True)
    except (Http404, PermissionDenied):
        return None


def preview_accounts(batch: ImportBatch, actor: User) -> Preview:
    return key_accounts.preview(table_of(batch), actor)


def confirm_accounts(*, batch: ImportBatch, actor: User) -> tuple[Preview | None, list]:
    """Import a file of key accounts in one transaction, all rows or none: (the preview
    as read again now, the accounts created). (None, []) when imported meanwhile."""
    try:
        with transaction.atomic():
            locked = (
                ImportBatch.objects.select_for_update()
                .filter(pk=batch.pk, imported_at__isnull=True)
                .first()
            )
            if locked is None:
                return None, []
            result = key_accounts.preview(table_of(locked), actor)
            if not result.ok:
                return result, []
            created = key_accounts.apply(result, actor)
            locked.rows = []
            locked.imported_at = timezone.now()
            counts = result.counts
            locked.created, locked.updated = counts["create"], counts["update"]
            locked.unchanged = counts["unchanged"]
            locked.save()
        return result, created
    except (VersionConflict, ValidationError, IntegrityError):
        # Someone saved one of the accounts, or created one at the same address,
        # between this reading and the writing: nothing was written.
        message = _(
            "Key accounts were changed by someone else during the import. Nothing "
            "was imported: look at the preview again, then confirm."
        )
        return _changed_meanwhile(preview_accounts(batch, actor), message), []


def _changed_meanwhile(result: Preview, message: str) -> Preview:
    """The preview read again after a write refused midway (nothing was written)."""
    result.problems.append(Problem(None, "", message))
    return result
