"""A person's documents, for their own personal-data download.

workspace.exports.personal puts these sections into the download; SOURCES
says which section holds each model's rows. The files themselves stay with
the account (its export and `export_all`): a download names them.
"""

from __future__ import annotations

from typing import Any

from documents.models import Document, DocumentFile
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {
    "documents.document": ("documents_added",),
    "documents.documentfile": ("document_versions_uploaded",),
}


def personal_sections(user: User) -> dict[str, Any]:
    """The documents the person added and the versions they uploaded."""
    added = Document.objects.filter(created_by=user).select_related("account", "category")
    uploaded = DocumentFile.objects.filter(uploaded_by=user).select_related("document__account")
    return {
        "documents_added": [
            {
                "account": d.account.name,
                "title": d.title,
                "category": d.category.name_en,
                "added_at": d.created_at.isoformat(),
            }
            for d in added.order_by("created_at", "pk")
        ],
        "document_versions_uploaded": [
            {
                "account": v.document.account.name,
                "document": v.document.title,
                "version": v.number,
                "file_name": v.name,
                "uploaded_at": v.uploaded_at.isoformat(),
            }
            for v in uploaded.order_by("uploaded_at", "pk")
        ],
    }
