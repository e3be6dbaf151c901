"""Account documents: files and links the whole team (or its core) can reach.

The handbook's information manager keeps documents where every team member
can reach them, because not everyone has rights in the CRM: the framework
contract, workshop results, presentations, price lists. A document is a file
with its versions (a new upload keeps the old ones) or a link; it is seen by
the whole team or by the core team only; archiving keeps it restorable.
Files live in the "documents" storage (settings.STORAGES) and are served only
through documents.views.download, which checks who asks.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import KeyAccount
from core.i18n import pick
from core.models import Versioned


class DocumentCategory(models.Model):
    """A kind of document (contract, offer, presentation, ...): kept by staff for everyone."""

    name_en = models.CharField(_("name (English)"), max_length=60, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active categories can be chosen.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")
        ordering = ["order", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_de)


class Visibility(models.TextChoices):
    TEAM = "team", _("the whole team")
    CORE = "core", _("the core team only")


class DocumentQuerySet(models.QuerySet["Document"]):
    def current(self) -> DocumentQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> DocumentQuerySet:
        return self.filter(archived_at__isnull=False)


class Document(Versioned):
    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")

    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="documents", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.FILE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    category = models.ForeignKey(
        DocumentCategory,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("category"),
    )
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility, default=Visibility.TEAM
    )
    url = models.URLField(_("address"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="documents_added",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["team", "core"]), name="document_visibility_valid"
            ),
            # A link has its address; a file has none (its content is in its versions).
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="")) | (Q(kind="file") & Q(url="")),
                name="document_link_has_address",
            ),
        ]
        # The tab's list: an account's current documents by title.
        indexes = [models.Index(fields=["account", "archived_at"], name="document_account_list")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.account.slug, self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def _documents_storage():  # type: ignore[no-untyped-def]
    # A callable, so tests and settings may swap the storage without a migration.
    return storages["documents"]


def stored_name(instance: DocumentFile, filename: str) -> str:
    """Where a version is stored: nothing the uploader typed reaches the file system
    but a known extension (the name they gave is kept in `name`)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{instance.document.account_id}/{uuid.uuid4().hex}{suffix}"


class DocumentFile(models.Model):
    """One version of a file document; a new upload adds one and keeps the earlier."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="files", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=_documents_storage, upload_to=stored_name)
    name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documentfile_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="documentfile_number_positive"),
            models.CheckConstraint(condition=Q(size__gte=1), name="documentfile_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse(
            "documents:download", args=[self.document.account.slug, self.document_id, self.pk]
        )

    @property
    def previews_inline(self) -> bool:
        """PDFs and raster images open in the browser; everything else is downloaded."""
        return self.content_type in INLINE_TYPES


# Types a browser shows without running anything of the file's: served inline
# (with a sandboxing CSP) when asked for a preview. SVG is not among them: it
# may carry scripts.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
