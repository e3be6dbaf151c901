"""Demo documents at Nordstern: files in three categories and a link.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
The framework contract is for the core team only (innendienst, on the core
team, sees it; an extended member would not); the price list has two versions.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount
from core.demo import update_or_create_by_text
from documents.files import check_upload
from documents.models import Document, DocumentCategory, Visibility
from documents.services import document_add_version

# fmt: off
DOCUMENTS = [
    # title, description, category (English), visibility, added by, files (name, text)
    (_("Framework contract 2026–2028"),
     _("Signed in January 2026: prices, discounts and delivery terms for every Nordstern "
       "plant. National offers follow it; exceptions need the GKAM's approval."),
     "Contract", Visibility.CORE, "kam",
     [("Framework-contract-2026-2028.pdf", "Framework contract Nordstern 2026-2028")]),
    (_("Price list drives 2026"),
     _("The prices the framework contract refers to, for the inside sales team's quotes."),
     "Price list", Visibility.TEAM, "innendienst",
     [("Price-list-drives-2026.csv", "article;price EUR\nDR-400;1250\nDR-800;2390\n"),
      ("Price-list-drives-2026.csv", "article;price EUR\nDR-400;1290\nDR-800;2450\n")]),
    (_("Purchasing workshop results"),
     _("What the customer's purchasing team asked of us in the March workshop."),
     "Workshop", Visibility.TEAM, "nkam",
     [("Workshop-purchasing-March.pdf", "Workshop results: purchasing, Hamburg, March")]),
]
LINK = (
    _("Nordstern in the CRM"), _("The account's record in the company CRM."), "Other",
    "https://crm.example.com/accounts/nordstern",
)
# fmt: on


def documents_demo(*, account: KeyAccount, team: Mapping[str, AccountTeamMember]) -> None:
    """`team` by username, as the accounts step returns it."""
    categories = {c.name_en: c for c in DocumentCategory.objects.all()}
    for title, description, category, visibility, author, files in DOCUMENTS:
        document, _created = update_or_create_by_text(
            Document.objects.all(),
            account=account,
            field="title",
            text=title,
            defaults={
                "description": description,
                "category": categories[category],
                "visibility": visibility,
                "created_by": team[author].user,
            },
        )
        for name, text in files[document.files.count() :]:
            content = pdf(text) if name.endswith(".pdf") else text.encode()
            upload = SimpleUploadedFile(name, content)
            upload.clean_name, upload.file_type = check_upload(upload, max_bytes=len(content))  # type: ignore[attr-defined]
            document_add_version(document=document, upload=upload, actor=team[author].user)
    title, description, category, url = LINK
    update_or_create_by_text(
        Document.objects.all(),
        account=account,
        field="title",
        text=title,
        defaults={
            "description": description,
            "category": categories[category],
            "kind": Document.Kind.LINK,
            "url": url,
            "created_by": team["kam"].user,
        },
    )


def pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), with a correct cross-reference table."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
