"""Documents in a real browser: kam uploads a PDF at Nordstern; a program renamed .pdf
and a 30 MB scan are refused with a message and leave nothing behind; innendienst
downloads the PDF on her phone; an outsider finds nothing at its address.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import pytest

from documents.demo import pdf
from documents.models import Document, DocumentFile
from tests.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
OFFER = pdf("Offer for the Wuhan plant")


def _file(name: str, content: bytes, mime: str = "application/pdf") -> dict[str, object]:
    return {"name": name, "mimeType": mime, "buffer": content}


def test_kam_uploads_a_pdf_that_inside_sales_downloads(browser, demo: str) -> None:
    page = browser.new_context(viewport=DESKTOP).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/documents/")
    page.get_by_role("link", name="Framework contract 2026–2028", exact=True).wait_for()
    assert page.get_by_text("core team only").count() == 1
    page.get_by_role("link", name="Add a document").click()

    # A program renamed .pdf: refused at the field, nothing stored.
    files = DocumentFile.objects.count()
    page.get_by_label("File", exact=True).set_input_files(_file("offer.pdf", b"MZ\x90\x00" * 64))
    page.get_by_label("Title").fill("Offer Wuhan")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("The content of this file is not what its name says (.pdf)").wait_for()
    assert DocumentFile.objects.count() == files

    # 30 MB: the browser refuses it before sending, with the server's message.
    page.get_by_label("File", exact=True).set_input_files(
        _file("scan.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024))
    )
    page.get_by_text("The file is larger than 25.0").wait_for()
    page.get_by_role("button", name="Add").click()
    assert "/documents/new/" in page.url
    assert DocumentFile.objects.count() == files

    page.get_by_label("File", exact=True).set_input_files(_file("Offer-Wuhan.pdf", OFFER))
    page.get_by_label("Title").fill("Offer Wuhan")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Document added for the team.").wait_for()
    page.get_by_role("cell", name="Offer-Wuhan.pdf").wait_for()
    download_url = page.get_by_role("link", name="Download v1").get_attribute("href")
    assert DocumentFile.objects.count() == files + 1

    phone = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
    login(phone, demo, "innendienst")
    phone.goto(f"{demo}/accounts/nordstern/documents/")
    row = phone.locator("tbody tr", has=phone.get_by_role("link", name="Offer Wuhan", exact=True))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with phone.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "Offer-Wuhan.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == OFFER

    stranger = browser.new_context(viewport=PHONE).new_page()
    login(stranger, demo, "outsider")
    response = stranger.goto(f"{demo}{download_url}")
    assert response is not None and response.status == 404
    assert Document.objects.filter(title="Offer Wuhan").count() == 1
