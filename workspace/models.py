"""What the workspace remembers per person: when they last looked at their home page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HomeVisit(models.Model):
    """When a person last opened their home page, and the visit before that.

    The home page shows RACI changes since the *previous* visit: a reload a
    minute later must not make them vanish. A visit continues while the page
    is opened again within workspace.visits.VISIT_GAP; `previous_seen_at` moves
    on only when a new visit starts.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="home_visit",
        verbose_name=_("person"),
    )
    seen_at = models.DateTimeField(_("last seen at"))
    previous_seen_at = models.DateTimeField(_("visit before"), null=True, blank=True)

    class Meta:
        verbose_name = _("home page visit")
        verbose_name_plural = _("home page visits")

    def __str__(self) -> str:
        return f"{self.user}: {self.seen_at:%Y-%m-%d %H:%M}"


class Refusal(models.TextChoices):
    """Why a background import of an export wrote nothing (shown on its preview, which
    is read again against the installation as it is now)."""

    PROBLEMS = "problems", _("the export no longer imports cleanly")
    ACCESS = "access", _("you are no longer a manager")
    FAILED = "failed", _("the import stopped with an error")


class AccountUpload(models.Model):
    """A key account's export uploaded by a manager, between its preview and the
    confirmation (workspace.moving_in.account). The export as read, so that the
    confirmation writes exactly what was previewed; deleted once imported.

    A person has one pending upload at most: a new one replaces it.
    """

    uploaded_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_upload",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    data = models.JSONField(_("export"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # A large export is imported by the task worker (workspace.tasks): from its
    # queueing until it is imported or refused, its page shows the progress. Once
    # imported, the export is dropped and the new account kept until the page has
    # taken its importer there.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    refusal = models.CharField(_("refusal"), max_length=20, choices=Refusal, blank=True)
    imported_account = models.ForeignKey(
        "accounts.KeyAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported as"),
    )

    class Meta:
        verbose_name = _("uploaded key account export")
        verbose_name_plural = _("uploaded key account exports")

    def __str__(self) -> str:
        return self.file_name
