"""The favicon and the touch icons answer at the addresses browsers ask for unprompted.

A print view has no icon link, so the browser asks for /favicon.ico; iOS
asks for /apple-touch-icon.png (and -precomposed, -NxN) on "Add to Home
Screen". None of these may be a 404 or a redirect to the login page.
"""

from __future__ import annotations

import struct

import pytest
from django.test import Client
from django.urls import reverse

from tests.fixtures import World

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _ico_sizes(data: bytes) -> list[int]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1), "not an icon file"
    sizes = []
    for number in range(count):
        width, *_rest, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * number)
        assert data[offset : offset + 8] == PNG_MAGIC
        assert offset + length <= len(data)
        sizes.append(width or 256)
    return sizes


@pytest.mark.django_db
def test_favicon_ico_is_served_without_login() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert {16, 32, 48} <= set(_ico_sizes(response.content))
    # Long enough that a browser does not ask on every page, short enough for a new icon.
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert reverse("favicon") == "/favicon.ico"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/apple-touch-icon.png",
        "/apple-touch-icon-precomposed.png",
        "/apple-touch-icon-180x180.png",
        "/apple-touch-icon-120x120-precomposed.png",
    ],
)
def test_touch_icons_are_served_without_login(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", response.content[16:24])
    assert (width, height) == (180, 180)


def test_logged_in_users_get_the_icon_with_its_own_caching(world: World) -> None:
    # NoStoreMiddleware would make it no-store for a logged-in user otherwise.
    response = world.client_for("lead").get("/favicon.ico")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]


@pytest.mark.django_db
def test_icons_refuse_writes_and_unknown_names() -> None:
    assert Client().post("/favicon.ico").status_code == 405
    assert Client().head("/favicon.ico").status_code == 200
    # Only the conventional names: anything else is an ordinary (login-protected) miss.
    assert Client().get("/apple-touch-icon-huge.png").status_code in (302, 404)


@pytest.mark.django_db
def test_every_page_links_the_icons() -> None:
    html = Client().get(reverse("login")).content.decode()
    assert 'rel="icon"' in html and "favicon.ico" in html and "favicon.svg" in html
    assert 'rel="apple-touch-icon"' in html
