"""The web app manifest: kamteam on a phone's home screen, with its name, colours and icons."""

from __future__ import annotations

import json
import struct

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.fixtures import World
from tests.test_security_headers import _problems

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _manifest(client: Client | None = None, **headers: str) -> dict:
    response = (client or Client()).get("/manifest.webmanifest", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_manifest_is_served_without_login_at_its_address() -> None:
    assert reverse("manifest") == "/manifest.webmanifest"
    manifest = _manifest()
    assert manifest["name"] == manifest["short_name"] == "kamteam"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    # The top bar's colour and the page's background (static/css/kamteam.css, base.html).
    assert manifest["theme_color"] == "#0b4f6c"
    assert manifest["background_color"] == "#f8f9fa"


@pytest.mark.django_db
def test_the_icons_exist_in_their_sizes_including_maskable_ones() -> None:
    icons = _manifest()["icons"]
    kinds = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable")} <= kinds
    assert ("512x512", "maskable") in kinds
    for icon in icons:
        assert icon["type"] == "image/png"
        assert icon["src"].startswith("/static/img/")
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, icon["src"]
        with open(found, "rb") as image:
            data = image.read()
        assert data.startswith(PNG_MAGIC)
        width, height = struct.unpack(">II", data[16:24])
        assert f"{width}x{height}" == icon["sizes"]


@pytest.mark.django_db
def test_the_description_follows_the_browsers_language() -> None:
    german = _manifest(accept_language="de")
    assert german["lang"] == "de"
    assert german["description"] == "Key-Account-Teammanagement"
    assert _manifest(accept_language="en")["description"] == "Key account team management"


@pytest.mark.django_db
def test_the_manifest_is_cached_for_a_day_and_sends_the_security_headers() -> None:
    response = Client().get("/manifest.webmanifest")
    assert response["Cache-Control"] == "public, max-age=86400"
    assert "Accept-Language" in response["Vary"]
    assert not _problems(response)


def test_logged_in_users_get_it_with_its_own_caching(world: World) -> None:
    response = world.client_for("lead").get("/manifest.webmanifest")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]


@pytest.mark.django_db
def test_the_manifest_refuses_writes() -> None:
    assert Client().post("/manifest.webmanifest").status_code == 405
    assert Client().head("/manifest.webmanifest").status_code == 200


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_the_theme_colour() -> None:
    html = Client().get(reverse("login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b4f6c">' in html


def test_logged_in_pages_link_it_too(world: World) -> None:
    html = world.client_for("lead").get(reverse("home")).content.decode()
    assert 'rel="manifest"' in html
