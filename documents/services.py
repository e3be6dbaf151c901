"""Writes of account documents: add a file or a link, add a version, archive, restore.

A file is written to the documents storage inside the transaction that
records it; if the transaction does not commit, the file is deleted again,
so a failed upload leaves neither an orphan file nor a row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.concurrency import save_versioned
from documents.models import Document, DocumentFile
from users.models import User


def document_save(
    *, document: Document, expected_version: int, upload: UploadedFile | None, actor: User
) -> Document:
    """Save a new document (with its first version, for a file) or an edited one
    (VersionConflict for an edit of an old version)."""
    with _files_kept_only_on_commit() as stored, transaction.atomic():
        if document._state.adding:
            document.created_by = actor
            document.save()
            if document.kind == Document.Kind.FILE and upload is not None:
                stored.append(_store(document=document, upload=upload, actor=actor))
        else:
            save_versioned(document, expected_version=expected_version)
    return document


def document_add_version(*, document: Document, upload: UploadedFile, actor: User) -> DocumentFile:
    with _files_kept_only_on_commit() as stored, transaction.atomic():
        # The document's row is locked, so two uploads at once number 2 and 3, not 2 twice.
        locked = Document.objects.select_for_update().get(pk=document.pk)
        version = _store(document=locked, upload=upload, actor=actor)
        stored.append(version)
        # Edit forms loaded before this upload are out of date; the history records it.
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
    return version


def document_archive(*, document: Document) -> None:
    document.archived_at = timezone.now()
    document.save(update_fields=["archived_at", "updated_at"])


def document_restore(*, document: Document) -> None:
    document.archived_at = None
    document.save(update_fields=["archived_at", "updated_at"])


@contextmanager
def _files_kept_only_on_commit() -> Iterator[list[DocumentFile]]:
    """The versions stored within the block; their files are deleted if it raises."""
    stored: list[DocumentFile] = []
    try:
        yield stored
    except BaseException:
        storage = storages["documents"]
        for version in stored:
            storage.delete(version.file.name)
        raise


def _store(*, document: Document, upload: UploadedFile, actor: User) -> DocumentFile:
    """Write the file and its row; the row's failure deletes the file at once."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    latest = document.files.aggregate(latest=Max("number"))["latest"] or 0
    name: str = upload.clean_name  # type: ignore[attr-defined] (documents.forms.UploadField)
    version = DocumentFile(
        document=document,
        number=latest + 1,
        name=name,
        size=size,
        content_type=upload.file_type.content_type,  # type: ignore[attr-defined]
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    version.file.save(name, upload, save=False)
    try:
        version.save()
    except BaseException:
        version.file.storage.delete(version.file.name)
        raise
    return version
