"""Account documents: added by the team, seen by the whole team or the core team only,
changed by whoever added them and the leads, served only through the access check;
bad files are refused at the field and leave nothing behind."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook

from documents.demo import pdf
from documents.files import clean_name
from documents.models import Document, DocumentCategory, DocumentFile, Visibility
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

PDF = pdf("Framework contract")


def _stored_files() -> set[str]:
    root = Path(storages["documents"].location)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _category() -> DocumentCategory:
    return DocumentCategory.objects.get(name_en="Contract")


def _add(world: World, who: str = "member", name: str = "contract.pdf", content=PDF, **data):  # type: ignore[no-untyped-def]
    fields = {
        "kind": "file",
        "title": "",
        "category": _category().pk,
        "visibility": "team",
        "description": "",
        **data,
    }
    if content is not None:
        fields["file"] = SimpleUploadedFile(name, content)
    url = reverse("documents:create", args=[world.account.slug])
    return world.client_for(who).post(url, fields)


def _only_document(world: World) -> Document:
    return world.account.documents.get()


def _download_url(document: Document, version: DocumentFile | None = None) -> str:
    version = version or document.files.order_by("-number").first()
    return reverse("documents:download", args=[document.account.slug, document.pk, version.pk])


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


# Adding and downloading


def test_a_member_uploads_a_pdf_and_a_colleague_downloads_it(world: World) -> None:
    response = _add(world, description="Signed in January.")
    document = _only_document(world)
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.title == "contract"  # the file's name, when no title is given
    assert document.created_by == world.member
    version = document.files.get()
    assert (version.number, version.name, version.size) == (1, "contract.pdf", len(PDF))
    assert version.content_type == "application/pdf"
    assert version.file.name.startswith(f"{world.account.pk}/")
    assert not version.file.name.endswith("contract.pdf")  # a random name on disk

    response = world.client_for("lead").get(_download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="contract.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "object-src 'none'" in response["Content-Security-Policy"]  # the site's own


def test_outsiders_find_neither_the_document_nor_its_file(world: World) -> None:
    _add(world)
    document = _only_document(world)
    outsider = world.client_for("outsider")
    assert outsider.get(_download_url(document)).status_code == 404
    assert outsider.get(document.get_absolute_url()).status_code == 404
    # Nor under another account's address: files are found through their document.
    other = reverse("documents:download", args=["another", document.pk, document.files.get().pk])
    assert world.client_for("member").get(other).status_code == 404


def test_media_files_have_no_public_address(world: World) -> None:
    _add(world)
    stored = _only_document(world).files.get().file.name
    for url in (f"/media/documents/{stored}", f"/media/{stored}", f"/documents/{stored}"):
        assert world.client_for("lead").get(url).status_code == 404


def test_a_pdf_previews_in_the_browser_only_when_asked(world: World) -> None:
    _add(world)
    url = _download_url(_only_document(world))
    client = world.client_for("member")
    assert client.get(url)["Content-Disposition"].startswith("attachment")
    assert client.get(url + "?preview=1")["Content-Disposition"].startswith("inline")


def test_text_is_never_shown_inline(world: World) -> None:
    _add(world, name="prices.csv", content=b"article;price\nDR-400;1250\n")
    response = world.client_for("member").get(_download_url(_only_document(world)) + "?preview=1")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "text/csv"


@override_settings(DOCUMENTS_X_ACCEL_REDIRECT="/protected/documents/")
def test_behind_nginx_the_file_is_sent_by_nginx(world: World) -> None:
    _add(world)
    version = _only_document(world).files.get()
    response = world.client_for("member").get(_download_url(version.document))
    assert response["X-Accel-Redirect"] == f"/protected/documents/{version.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="contract.pdf"'


def test_office_files_images_and_text_are_accepted(world: World) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    for name, content in [("plan.xlsx", _xlsx()), ("logo.png", png), ("notes.txt", b"Hi")]:
        response = _add(world, name=name, content=content, title=name)
        assert response.status_code == 302, response.content[:400]
    assert world.account.documents.count() == 3


def test_a_link_is_a_document_without_a_file(world: World) -> None:
    response = _add(
        world, content=None, kind="link", url="https://crm.example.com/a/1", title="In the CRM"
    )
    assert response.status_code == 302
    document = _only_document(world)
    assert (document.kind, document.url, document.files.count()) == ("link", document.url, 0)
    page = world.client_for("member").get(reverse("documents:list", args=[world.account.slug]))
    assert b'href="https://crm.example.com/a/1"' in page.content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "link", "url": ""}, "url", "Enter the link"),
        ({"kind": "link", "url": "javascript:alert(1)"}, "url", "Enter a valid URL"),
        ({"kind": "link", "url": "ftp://files.example.com/x"}, "url", "Enter a valid URL"),
        ({"kind": "file"}, "file", "Choose the file to upload"),
        ({"kind": "file", "category": 999999}, "category", "Select a valid choice"),
        ({"kind": "file", "visibility": "everyone"}, "visibility", "Select a valid choice"),
        ({"kind": "spreadsheet"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_at_the_field(world: World, data, field, message) -> None:  # type: ignore[no-untyped-def]
    response = _add(world, content=None, title="X", **data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Document.objects.exists()
    assert not _stored_files()


# Refused files leave nothing behind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "not what its name says (.pdf)"),
        ("report.pdf", b"Just some text pretending", "not what its name says (.pdf)"),
        ("plan.docx", _xlsx(), "not what its name says (.docx)"),
        ("fake.xlsx", b"PK\x03\x04garbage", "not what its name says (.xlsx)"),
        ("notes.txt", b"text\x00with a zero byte", "not what its name says (.txt)"),
        ("tool.exe", b"MZ\x90\x00", "Files of type .exe cannot be added"),
        ("README", b"hello", "Files without an extension cannot be added"),
        ("empty.pdf", b"", "This file is empty"),
    ],
)
def test_bad_files_are_refused_with_a_message(world: World, name, content, message) -> None:  # type: ignore[no-untyped-def]
    response = _add(world, name=name, content=content, title="X")
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])
    assert not Document.objects.exists()
    assert not DocumentFile.objects.exists()
    assert not _stored_files()


def test_a_30_mb_upload_is_refused_before_its_body_is_read(world: World) -> None:
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)
    response = _add(world, name="scan.pdf", content=big, title="Scan")
    assert response.status_code == 413
    assert "larger than 25.0\xa0MB" in str(response.context["form"].errors["file"])
    # The form is unbound: nothing of the body was parsed, nothing stored.
    assert not response.context["form"].is_bound
    assert not Document.objects.exists()
    assert not _stored_files()


@override_settings(DOCUMENTS_MAX_BYTES=1000)
def test_the_size_is_checked_again_at_the_field(world: World) -> None:
    response = _add(world, name="scan.pdf", content=b"%PDF-1.4\n" + b"0" * 2000, title="Scan")
    assert response.status_code == 400
    assert "larger than 1000" in str(response.context["form"].errors["file"])
    assert not _stored_files()


def test_a_failed_save_leaves_no_orphan_file_and_no_row(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken_save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise IntegrityError("the database went away")

    monkeypatch.setattr(DocumentFile, "save", broken_save)
    response = _add(world)
    assert response.status_code == 400  # the form says the save did not go through
    assert not Document.objects.exists()
    assert not _stored_files()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\kam\\offer.docx", "offer.docx"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("line\nbreak\x00.pdf", "linebreak.pdf"),
        ("  spaced   out  .pdf", "spaced out .pdf"),
        ("...", "file"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
        ("Müller Angebot.pdf", "Müller Angebot.pdf"),
    ],
)
def test_file_names_are_made_safe(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


# Core team only


def test_a_core_document_is_hidden_from_the_extended_team(world: World) -> None:
    _add(world, who="lead", visibility="core", title="Framework contract")
    document = _only_document(world)
    urls = [document.get_absolute_url(), _download_url(document)]
    assert all(world.client_for("member").get(u).status_code == 200 for u in urls)  # core
    assert all(world.client_for("manager").get(u).status_code == 200 for u in urls)

    world.membership.team = "extended"
    world.membership.save()
    member = world.client_for("member")
    assert all(member.get(u).status_code == 404 for u in urls)
    listing = member.get(reverse("documents:list", args=[world.account.slug]))
    assert b"Framework contract" not in listing.content


def test_an_extended_member_sees_the_core_document_they_added(world: World) -> None:
    world.membership.team = "extended"
    world.membership.save()
    _add(world, visibility="core", title="My notes")
    document = _only_document(world)
    assert world.client_for("member").get(document.get_absolute_url()).status_code == 200


# Changing: edit, new version, archive, restore


def test_a_new_version_keeps_the_old_one(world: World) -> None:
    _add(world)
    document = _only_document(world)
    url = reverse("documents:upload", args=[world.account.slug, document.pk])
    second = pdf("Second version")
    response = world.client_for("member").post(
        url, {"file": SimpleUploadedFile("contract-v2.pdf", second)}
    )
    assert response.status_code == 302
    versions = list(document.files.order_by("number"))
    assert [(v.number, v.name) for v in versions] == [(1, "contract.pdf"), (2, "contract-v2.pdf")]
    client = world.client_for("lead")
    assert b"".join(client.get(_download_url(document, versions[0])).streaming_content) == PDF
    assert b"".join(client.get(_download_url(document, versions[1])).streaming_content) == second
    assert len(_stored_files()) == 2
    page = client.get(document.get_absolute_url()).content.decode()
    assert page.index("contract-v2.pdf") < page.index("contract.pdf")  # newest first


def test_an_edit_form_loaded_before_a_new_version_is_out_of_date(world: World) -> None:
    _add(world)
    document = _only_document(world)
    loaded = document.version
    world.client_for("member").post(
        reverse("documents:upload", args=[world.account.slug, document.pk]),
        {"file": SimpleUploadedFile("v2.pdf", PDF)},
    )
    response = world.client_for("lead").post(
        reverse("documents:edit", args=[world.account.slug, document.pk]),
        {"title": "Renamed", "category": _category().pk, "visibility": "team", "version": loaded},
    )
    assert response.status_code == 409
    document.refresh_from_db()
    assert document.title == "contract"


def test_only_its_author_and_the_leads_change_a_document(world: World) -> None:
    _add(world, who="lead", title="Lead's")
    document = _only_document(world)
    edit = reverse("documents:edit", args=[world.account.slug, document.pk])
    assert world.client_for("member").get(edit).status_code == 403
    colleague = UserFactory()
    TeamMemberFactory(account=world.account, user=colleague, role=role("engineering"))
    client = Client()
    client.force_login(colleague)
    assert client.get(edit).status_code == 403
    data = {"title": "Renamed", "category": _category().pk, "visibility": "core"}
    response = world.client_for("lead").post(edit, {**data, "version": document.version})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.visibility) == ("Renamed", Visibility.CORE)


def test_archiving_keeps_the_document_restorable(world: World) -> None:
    _add(world, title="Old offer")
    document = _only_document(world)
    client = world.client_for("member")
    archive = reverse("documents:archive", args=[world.account.slug, document.pk])
    assert b"Archive" in client.get(archive).content  # asked first
    assert client.post(archive).status_code == 302
    listing = reverse("documents:list", args=[world.account.slug])
    assert b"Old offer" not in client.get(listing).content
    assert b"1 archived document" in client.get(listing).content
    assert b"Old offer" in client.get(listing + "?archived=1").content
    assert client.get(_download_url(document)).status_code == 200  # still there
    restore = reverse("documents:restore", args=[world.account.slug, document.pk])
    assert client.post(restore).status_code == 302
    assert b"Old offer" in client.get(listing).content
    assert len(_stored_files()) == 1


def test_a_category_in_use_cannot_be_deleted(world: World) -> None:
    from django.db.models import ProtectedError

    _add(world)
    with pytest.raises(ProtectedError):
        _category().delete()


# The list, search, history


def test_the_list_filters_by_category(world: World) -> None:
    _add(world, title="Contract A")
    offer = DocumentCategory.objects.get(name_en="Offer")
    _add(world, title="Offer B", category=offer.pk)
    url = reverse("documents:list", args=[world.account.slug])
    content = world.client_for("member").get(url, {"category": offer.pk}).content
    assert b"Offer B" in content and b"Contract A" not in content


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_costs_the_same_queries_at_any_size(world: World, count: int) -> None:
    for i in range(count):
        _add(world, title=f"Document {i}", name=f"doc{i}.pdf")
    url = reverse("documents:list", args=[world.account.slug])
    # session, user, account and seats, bell; categories in use, archived count,
    # the page's count and rows, their versions (one prefetch)
    assert page_queries(world.client_for("member"), url) == 11


def test_search_finds_documents_by_title_category_and_description(world: World) -> None:
    _add(world, who="lead", title="Rahmenvertrag Nordstern", description="signed in January")
    _add(world, who="lead", title="Geheim", visibility="core", name="g.pdf")

    def found(who: str, q: str) -> str:
        page = world.client_for(who).get(reverse("search"), {"q": q}).content.decode()
        return re.sub(r"<[^>]+>", "", page)  # the matching words are highlighted

    assert "Rahmenvertrag Nordstern" in found("member", "rahmen")
    assert "Rahmenvertrag Nordstern" in found("member", "january")
    assert "Rahmenvertrag Nordstern" in found("member", "contract")  # the category
    assert "Geheim" in found("member", "geheim")  # a core member
    world.membership.team = "extended"
    world.membership.save()
    assert "Geheim" not in found("member", "geheim")
    assert "Rahmenvertrag" not in found("outsider", "rahmen")


def test_uploads_and_versions_are_in_the_account_history(world: World) -> None:
    _add(world, title="Price list")
    response = world.client_for("lead").get(
        reverse("accounts:history", args=[world.account.slug]), {"kind": "documents"}
    )
    assert response.status_code == 200
    assert b"Price list" in response.content
    assert b"v1" in response.content


def test_the_max_size_comes_from_the_setting() -> None:
    assert settings.DOCUMENTS_MAX_BYTES == 25 * 1024 * 1024


def test_the_account_export_lists_documents_and_export_all_copies_their_files(
    world: World, tmp_path: Path
) -> None:
    import json

    from django.core.management import call_command

    _add(world, who="lead", title="Framework contract", visibility="core")
    version = _only_document(world).files.get()
    response = world.client_for("manager").get(
        reverse("accounts:account_export", args=[world.account.slug, "json"])
    )
    data = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert [d["title"] for d in data["sections"]["documents"]] == ["Framework contract"]
    assert data["sections"]["document_versions"][0]["file"] == version.file.name

    out = tmp_path / "export"
    call_command("export_all", str(out), stdout=io.StringIO())
    assert (out / "files" / version.file.name).read_bytes() == PDF
