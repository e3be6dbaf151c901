"""What an uploaded file is: its name made safe, and its type read from its content.

A name is only shown and offered on download; the storage path is made of the
account and a random id (documents.models.stored_name). The type comes from
the file's first bytes (through the `filetype` library, and the zip's table
of contents for Office files), so a program renamed to .pdf is refused.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

NAME_LIMIT = 150  # DocumentFile.name
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    content_type: str
    # How the content is recognised: a MIME type `filetype` reports, "zip:<part>"
    # for an Office file (a zip holding that part), "ole" for the older Office
    # formats, "text" for plain text.
    signature: str


_OLE = "ole"
ALLOWED: dict[str, FileType] = {
    "pdf": FileType("application/pdf", "application/pdf"),
    "png": FileType("image/png", "image/png"),
    "jpg": FileType("image/jpeg", "image/jpeg"),
    "jpeg": FileType("image/jpeg", "image/jpeg"),
    "gif": FileType("image/gif", "image/gif"),
    "webp": FileType("image/webp", "image/webp"),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip:word/document.xml",
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip:xl/workbook.xml"
    ),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip:ppt/presentation.xml",
    ),
    "odt": FileType("application/vnd.oasis.opendocument.text", "zip:content.xml"),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", "zip:content.xml"),
    "odp": FileType("application/vnd.oasis.opendocument.presentation", "zip:content.xml"),
    "doc": FileType("application/msword", _OLE),
    "xls": FileType("application/vnd.ms-excel", _OLE),
    "ppt": FileType("application/vnd.ms-powerpoint", _OLE),
    "txt": FileType("text/plain", "text"),
    "csv": FileType("text/csv", "text"),
}
ALLOWED_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP, TXT, CSV"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Programs and scripts are refused whatever their name says.
_PROGRAMS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")


def clean_name(raw: str) -> str:
    """The file's own name, without folders, control or direction characters
    (U+202E would show "invoice‮fdp.exe" as "invoiceexe.pdf"), within 150 characters,
    its extension kept."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: control characters; Cf: format ones, the direction overrides among them.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:10]
    if len(name) > NAME_LIMIT:
        stem = stem[: NAME_LIMIT - len(extension) - 1].rstrip(" .")
        name = f"{stem}.{extension}" if extension else stem
    return name or "file"


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def check_upload(upload: UploadedFile, *, max_bytes: int) -> tuple[str, FileType]:
    """The upload's clean name and type, or ValueError with the message for the person."""
    name = clean_name(upload.name or "")
    if not upload.size:
        raise ValueError(_("This file is empty."))
    if upload.size > max_bytes:
        raise ValueError(too_large_message(max_bytes))
    extension = extension_of(name)
    kind = ALLOWED.get(extension)
    if kind is None:
        if extension:
            message = _("Files of type .%(ext)s cannot be added here.") % {"ext": extension}
        else:
            message = _("Files without an extension cannot be added here.")
        raise ValueError(f"{message} {_('Allowed are: %(allowed)s.') % {'allowed': ALLOWED_TEXT}}")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(_PROGRAMS) or not _matches(upload, head, kind):
        raise ValueError(
            _(
                "The content of this file is not what its name says (.%(ext)s). "
                "Save it again from the program that made it and upload that file."
            )
            % {"ext": extension}
        )
    return name, kind


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(max)s, the most a document may have.") % {
        "max": filesizeformat(max_bytes)
    }


def _matches(upload: UploadedFile, head: bytes, kind: FileType) -> bool:
    signature = kind.signature
    if signature == "text":
        return b"\x00" not in head
    if signature == _OLE:
        return head.startswith(_OLE_MAGIC)
    if signature.startswith("zip:"):
        return head.startswith(b"PK\x03\x04") and _zip_holds(upload, signature[4:])
    guess = filetype.guess_mime(head)
    return guess == signature


def _zip_holds(upload: UploadedFile, part: str) -> bool:
    """Whether the zip's table of contents lists `part` (read from its end; nothing unpacked)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
