"""Guards that apply to every request."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fixtures import World


@pytest.mark.parametrize("path", ["/people/lead%00/", "/accounts/?q=a%00b", "/directory/?%00=1"])
def test_nul_byte_in_the_address_is_a_clear_bad_request(world: World, path: str) -> None:
    response = world.client_for("lead").get(path)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


def test_nul_byte_in_a_calendar_address_gives_no_server_error(db: None) -> None:
    # Public: calendar programs cannot log in. 400 says nothing about any feed.
    assert Client().get("/calendar/abc%00def.ics").status_code == 400
