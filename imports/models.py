"""An uploaded import file between its preview and its confirmation, and afterwards
the record of what it did."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount


class ImportBatch(models.Model):
    """One upload: its rows as read (so the confirmation imports exactly the file
    previewed) and, once imported, how many records it created and updated.

    A person has at most one pending upload per account and kind: a new upload
    replaces it (imports.services.upload).
    """

    class Refusal(models.TextChoices):
        """Why a background import wrote nothing (shown on its preview, which is read
        again against the account as it is now)."""

        PROBLEMS = "problems", _("the file no longer imports cleanly")
        ACCESS = "access", _("you may no longer edit the account")
        FAILED = "failed", _("the import stopped with an error")

    class Kind(models.TextChoices):
        CONTACTS = "contacts", _("customer contacts")
        TEAM = "team", _("team seats")
        REVENUE = "revenue", _("revenue actuals")
        ACCOUNTS = "accounts", _("key accounts")

    # None for key accounts (kind ACCOUNTS): such a file creates accounts.
    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.CASCADE,
        related_name="imports",
        verbose_name=_("account"),
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="imports",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    header = models.JSONField(_("header"), default=list)
    rows = models.JSONField(_("rows"), default=list)  # [[row number, [cell, ...]], ...]
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # A large file is imported by the task worker (imports.tasks): from its
    # queueing until it is imported or refused, its page shows the progress.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    refusal = models.CharField(_("refusal"), max_length=20, choices=Refusal, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "uploaded_by"],
                condition=models.Q(imported_at__isnull=True),
                name="import_one_pending_per_person",
            ),
            # (NULLs differ in the constraint above: key accounts' files need their own.)
            models.UniqueConstraint(
                fields=["kind", "uploaded_by"],
                condition=models.Q(imported_at__isnull=True, account__isnull=True),
                name="import_one_pending_accounts_file_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="accounts", account__isnull=True)
                | (~models.Q(kind="accounts") & models.Q(account__isnull=False)),
                name="import_account_unless_accounts_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.account or self.get_kind_display()})"
