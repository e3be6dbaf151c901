"""Error answers: a page saying why for a person, JSON for a program under /api/ (core.errors)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.demo import pdf
from documents.models import Document
from tests.fixtures import World
from tests.snapshot import database_snapshot

pytestmark = pytest.mark.django_db


def test_a_file_name_too_long_to_read_is_explained_and_nothing_is_stored(world: World) -> None:
    before = database_snapshot()
    url = reverse("documents:create", args=[world.account.slug])
    # Written by hand: Django's own uploads (and so its test client) cut a name to 255.
    boundary = "kamteam-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="kind"\r\n\r\nfile\r\n'
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{"x" * 1100}.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf("Contract")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = world.client_for("lead").generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "its file name is too long" in page
    assert 'href="/"' in page  # the way back, in the site's own frame
    assert database_snapshot() == before
    assert not Document.objects.exists()


def test_a_nul_byte_in_a_page_address_still_answers_the_page(world: World) -> None:
    response = world.client_for("lead").get("/accounts/%00/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL byte" in response.content.decode()


def test_a_page_address_that_matches_nothing_answers_the_page(world: World) -> None:
    response = world.client_for("lead").get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
