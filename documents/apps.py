from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from core import fragments
        from documents.models import Document, DocumentCategory, DocumentFile

        # What the cached pages show (core.fragments.watch).
        fragments.watch(Document, account="account")
        fragments.watch(DocumentFile, account="document__account")
        fragments.watch(DocumentCategory)
